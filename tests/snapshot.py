"""Everything a request could change, to assert that a refused or invalid one changed nothing.

``snapshot`` reads every row of every tenant model (``tests.tenant_models``) in the given
organizations, the organizations themselves, the given people and every row that belongs to
one of them (API tokens, email addresses, email opt-outs, …: any model with a foreign key to
the user). Each model's rows are keyed by primary key, with the values of all its columns, so a
new model or a new column is covered without touching this file.

Limited to the given organizations and people: other test runs may share the database and
commit rows of their own meanwhile (e.g. the Celery worker tests).
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from mentorship.models import Organization
from tests.tenant_models import is_tenant_model, label, tenant_models

# Columns that record when something was used, which a request that changes nothing still
# writes: signing in, authenticating with a token.
BOOKKEEPING = {"mentorship.User": {"last_login"}, "mentorship.ApiToken": {"last_used_at"}}


def _user_field(model):
    """The foreign key to the user of a model that belongs to a person, else None."""
    user_model = get_user_model()
    for field in model._meta.concrete_fields:
        if field.is_relation and field.many_to_one and field.related_model is user_model:
            return field.name
    return None


def _rows(queryset):
    model = queryset.model
    skip = BOOKKEEPING.get(label(model), set())
    columns = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
    return {row[0]: row for row in queryset.order_by().values_list("pk", *columns)}


def snapshot(organizations, users=()) -> dict[str, dict]:
    """Model label → {pk: the row's values}, for ``organizations`` (objects or ids) and the
    people ``users`` (ids)."""
    orgs = [getattr(o, "pk", o) for o in organizations]
    users = list(users)
    state = {}
    with scopes_disabled():
        state[label(Organization)] = _rows(Organization.objects.filter(pk__in=orgs))
        state[label(get_user_model())] = _rows(get_user_model().objects.filter(pk__in=users))
        for model in tenant_models():
            state[label(model)] = _rows(model._default_manager.filter(organization__in=orgs))
        for model in apps.get_models():
            field = _user_field(model)
            if field is not None and not is_tenant_model(model):
                state[label(model)] = _rows(
                    model._default_manager.filter(**{f"{field}__in": users})
                )
    return state


def changed(before, after) -> list[str]:
    """The labels of the models whose rows differ."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def cast_snapshot(cast) -> dict[str, dict]:
    """``snapshot`` of the standard cast's two organizations and their members."""
    with scopes_disabled():
        users = get_user_model().objects.filter(
            memberships__organization__in=[cast.org_a, cast.org_b]
        )
        return snapshot([cast.org_a, cast.org_b], users.values_list("pk", flat=True))
