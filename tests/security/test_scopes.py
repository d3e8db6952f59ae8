"""Tenant-owned models refuse to be queried outside a tenant scope, and inside one see only it.

Every tenant model (``tests.tenant_models``: each model with an ``organization``) is covered,
so a new app's models are the day they exist; the world (``tests/<app>/world.py``) must hold a
row of each in both organizations, or ``test_inside_a_scope_only_that_tenant`` names the model.
"""

import pytest
from django_scopes import ScopeError, scope, scopes_disabled

from matching.models import Match
from mentorship.models import AuditLogEntry, Membership
from mentorship.scoping import StrictDisabledQuerySet
from programs.models import Enrollment, Program
from tests.tenant_models import label, tenant_models

pytestmark = pytest.mark.django_db

TENANT_MODELS = tenant_models()

# Every way of reading rows that must raise without a scope.
QUERIES = {
    "iterate": lambda m: list(m.objects.all()),
    "filter": lambda m: list(m.objects.filter(pk__gt=0)),
    "get": lambda m: m.objects.get(pk=1),
    "first": lambda m: m.objects.first(),
    "count": lambda m: m.objects.count(),
    "values": lambda m: list(m.objects.values("pk")),
    "order_by": lambda m: list(m.objects.order_by("pk")),
    "update": lambda m: m.objects.update(organization=None),
    "delete": lambda m: m.objects.all().delete(),
    "in_bulk": lambda m: m.objects.in_bulk([1]),
    "related": lambda m: list(m.objects.select_related("organization")),
    # django-scopes alone lets these run across every tenant; mentorship.scoping closes them.
    "exists": lambda m: m.objects.exists(),
    "exclude-then-exists": lambda m: m.objects.exclude(pk=0).exists(),
    "distinct": lambda m: list(m.objects.distinct()),
    "prefetch": lambda m: list(m.objects.prefetch_related("organization")),
}


def test_the_tenant_models_are_found():
    """A broken discovery must not pass by finding nothing."""
    assert {Membership, AuditLogEntry, Program, Enrollment, Match} <= set(TENANT_MODELS)


@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_default_manager_is_the_strict_tenant_manager(model):
    assert model._default_manager is model.objects
    assert type(model.objects.get_queryset()) is StrictDisabledQuerySet, (
        f"{label(model)}: use objects = TenantManager(organization='organization')"
    )


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_query_outside_a_scope_raises(db, model, query):
    with pytest.raises(ScopeError):
        query(model)


@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_even_an_explicit_organization_filter_needs_a_scope(cast, model):
    with pytest.raises(ScopeError):
        model.objects.filter(organization=cast.org_a).count()


def test_related_managers_are_scoped_too(cast):
    with pytest.raises(ScopeError):
        list(cast.org_a.memberships.all())
    with pytest.raises(ScopeError):
        list(cast.admin.memberships.all())
    with pytest.raises(ScopeError):
        list(cast.org_a.invitations.all())
    with pytest.raises(ScopeError):
        list(cast.org_a.audit_log.all())


@pytest.mark.parametrize("model", TENANT_MODELS, ids=label)
def test_inside_a_scope_only_that_tenant(world, model):
    org_a, org_b = world.cast.org_a, world.cast.org_b
    with scopes_disabled():
        a_ids = set(model.objects.filter(organization=org_a).values_list("pk", flat=True))
        b_ids = set(model.objects.filter(organization=org_b).values_list("pk", flat=True))
    assert a_ids and b_ids, (
        f"The world has no {label(model)} in {'org A' if not a_ids else 'org B'}: add one in "
        f"tests/{model._meta.app_label}/world.py"
    )
    with scope(organization=org_a):
        assert set(model.objects.values_list("pk", flat=True)) == a_ids
        assert model.objects.count() == len(a_ids)
        # Asking for the other tenant explicitly still finds nothing…
        assert not model.objects.filter(organization=org_b).count()
        # …and neither does its id.
        with pytest.raises(model.DoesNotExist):
            model.objects.get(pk=min(b_ids))
    with scope(organization=org_a.pk):  # an id works as well as the instance (tasks use ids)
        assert set(model.objects.values_list("pk", flat=True)) == a_ids


def test_memberships_inside_scope_are_the_cast_of_org_a(cast):
    with scope(organization=cast.org_a):
        emails = set(Membership.objects.values_list("user__email", flat=True))
    assert emails == {
        "admin@a.example", "hr@a.example", "mentor1@a.example", "mentee1@a.example",
        "mentor2@a.example", "mentee2@a.example",
    }  # fmt: skip
