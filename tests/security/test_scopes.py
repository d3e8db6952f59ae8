"""Tenant-owned models refuse to be queried outside a tenant scope, and inside one see only it."""

import pytest
from django_scopes import ScopeError, scope, scopes_disabled

from mentorship import audit
from mentorship.models import AuditLogEntry, Dispatch, Invitation, Membership
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

TENANT_MODELS = [Membership, Invitation, AuditLogEntry, Dispatch]

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


@pytest.fixture
def two_tenants(cast):
    """A row of every tenant-owned model in each of the cast's two organizations."""
    for org, actor in [(cast.org_a, cast.admin), (cast.org_b, cast.outsider)]:
        InvitationFactory(organization=org, email=f"invitee@{org.slug}.example")
        with scope(organization=org):
            audit.record(organization=org, actor=actor, action="test.entry")
            Dispatch.objects.create(organization=org, key=f"test:{org.slug}")
    return cast


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m.__name__)
def test_query_outside_a_scope_raises(two_tenants, model, query):
    with pytest.raises(ScopeError):
        query(model)


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m.__name__)
def test_even_an_explicit_organization_filter_needs_a_scope(two_tenants, model):
    with pytest.raises(ScopeError):
        model.objects.filter(organization=two_tenants.org_a).count()


def test_related_managers_are_scoped_too(two_tenants):
    with pytest.raises(ScopeError):
        list(two_tenants.org_a.memberships.all())
    with pytest.raises(ScopeError):
        list(two_tenants.admin.memberships.all())
    with pytest.raises(ScopeError):
        list(two_tenants.org_a.invitations.all())
    with pytest.raises(ScopeError):
        list(two_tenants.org_a.audit_log.all())


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m.__name__)
def test_inside_a_scope_only_that_tenant(two_tenants, model):
    org_a, org_b = two_tenants.org_a, two_tenants.org_b
    with scopes_disabled():
        a_ids = set(model.objects.filter(organization=org_a).values_list("pk", flat=True))
        b_ids = set(model.objects.filter(organization=org_b).values_list("pk", flat=True))
    assert a_ids and b_ids
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


def test_memberships_inside_scope_are_the_cast_of_org_a(two_tenants):
    with scope(organization=two_tenants.org_a):
        emails = set(Membership.objects.values_list("user__email", flat=True))
    assert emails == {
        "admin@a.example", "hr@a.example", "mentor1@a.example", "mentee1@a.example",
        "mentor2@a.example", "mentee2@a.example",
    }  # fmt: skip
