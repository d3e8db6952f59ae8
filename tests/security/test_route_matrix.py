"""Tenant isolation and permissions, route by route.

Every URL pattern of the root resolver is discovered and must be classified by a row of the
app whose view it runs (``tests/<app>/routes.py``, collected by ``tests/security/table.py``); a
new route left out fails ``test_every_route_is_classified``. Then, for each route and each HTTP
method it supports:

* tenant routes (pages under ``/o/<org_slug>/``, API under ``/api/v1/orgs/<org_slug>/``):
  anonymous → login redirect (pages) or 401 (API); a member of another organization → 404,
  exactly like an organization that does not exist, with nothing changed and no email sent;
  each role of the organization → allowed or 403 as the permission in the row says
  (``mentorship.permissions``); an object id of another organization → 404;
  a read-only API token → 403 on writes;
* every other route: what anonymous and signed-in people get (and staff, for the admin).

"Nothing changed" is ``tests.snapshot``: every row of every tenant model of both organizations,
and everything that belongs to the world's people. The requests run in the ``world``
(``tests/world.py``, built by each app's ``tests/<app>/world.py``).
"""

from fnmatch import fnmatchcase

import pytest

from mentorship import services
from mentorship.models import Role, User
from mentorship.permissions import PERMISSIONS, has_perm
from tests.world import add_admin_objects

from .discovery import drf_methods
from .harness import (
    AUDIT_LOG,
    anon_expectation,
    assert_status,
    role_may,
    send,
    send_and_diff,
    url_for,
    url_for_missing_org,
    with_query,
    without_csrf,
)
from .route import ADMIN_LOGIN, KINDS, LOGIN, OK_API, OK_PAGE, OTHER_KINDS, TENANT_KINDS
from .table import (
    CLASSIFIED,
    DISCOVERED,
    KWARG_DEFAULTS,
    ROUTE_MODULES,
    ROUTES,
    ROWS_BY_APP,
    RULES,
    cases,
    classify,
    owning_app,
)

pytestmark = pytest.mark.django_db

ROLES = [Role.MEMBER, Role.HR, Role.ADMIN]


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def request_and_diff(world, django_capture_on_commit_callbacks):
    """Send a request; return (response, labels of the models it changed, emails sent)."""

    def run(*args, **kwargs):
        return send_and_diff(world, django_capture_on_commit_callbacks, *args, **kwargs)

    return run


# --- The table itself ----------------------------------------------------------------------------


def test_every_route_is_classified():
    unclassified = [d for d in DISCOVERED if classify(d) is None]
    assert not unclassified, (
        "These URL patterns are not in the security table; add a row to ROUTES in the app's "
        "tests/<app>/routes.py saying who may use them:\n"
        + "\n".join(
            f"  {d.key!r}  (/{d.route}) → tests/{owning_app(d)}/routes.py" for d in unclassified
        )
    )


def test_table_has_no_stale_rows():
    keys = {d.key for d in DISCOVERED}
    stale = sorted(set(ROUTES) - keys)
    assert not stale, f"Rows for routes that no longer exist; remove them: {stale}"
    unused = [p for p, _ in RULES if not any(fnmatchcase(k, p) for k in keys)]
    assert not unused, f"Rules that match no route; remove them: {unused}"


def test_route_keys_are_unique():
    keys = [d.key for d in DISCOVERED]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


def test_each_row_is_in_one_app_and_that_app_is_the_views():
    """A route's row lives next to the tests of the app whose view answers it."""
    seen, twice = {}, []
    for app, rows in ROWS_BY_APP.items():
        for key in rows:
            if key in seen:
                twice.append((key, seen[key], app))
            seen[key] = app
    assert not twice, f"Rows in two apps' routes.py (key, app, app): {twice}"
    elsewhere = [
        (d.key, seen[d.key], owning_app(d))
        for d in DISCOVERED
        if d.key in seen and seen[d.key] != owning_app(d)
    ]
    assert not elsewhere, f"Rows to move (key, now in, belongs to): {elsewhere}"


def test_apps_agree_on_kwarg_defaults():
    defaults = [
        (name, kind, app)
        for app, module in ROUTE_MODULES.items()
        for name, kind in getattr(module, "KWARG_DEFAULTS", {}).items()
    ]
    clashes = [(n, k, a) for n, k, a in defaults if KWARG_DEFAULTS[n] != k]
    assert not clashes, f"Apps give the same URL kwarg different defaults: {clashes}"


def test_the_families_are_complete():
    """The families the harness must cover are all there (so a broken discovery can't pass)."""
    keys = {d.key for d in DISCOVERED}
    for expected in [
        "home", "healthz", "org:members", "api:member-list", "api:member-detail",
        "api:invitation-resend", "api:me", "account_login", "admin:index", "api-schema",
        "api-docs", "programs:detail", "api:program-list", "matching:runs", "api:match-list",
    ]:  # fmt: skip
        assert expected in keys
    assert {"mentorship", "programs", "matching"} <= set(ROWS_BY_APP)
    tenant = [d for d, r in CLASSIFIED if r.kind in TENANT_KINDS]
    assert all("org_slug" in d.kwargs for d in tenant)
    # …and every route with an org_slug is classified as a tenant route.
    assert {d.key for d in DISCOVERED if "org_slug" in d.kwargs} == {d.key for d in tenant}


@pytest.mark.parametrize(("d", "route"), [pytest.param(d, r, id=d.key) for d, r in CLASSIFIED])
def test_row_is_well_formed(d, route):
    assert route.kind in KINDS
    assert route.methods, f"{d.key}: no methods"
    for method, expected in route.methods.items():
        if route.kind in TENANT_KINDS:
            assert expected in PERMISSIONS, f"{d.key} {method}: unknown permission {expected!r}"
    for name in route.kwargs:
        assert name in d.kwargs, f"{d.key}: kwargs names {name!r}, not in the URL"
    for name in d.kwargs:
        assert name in route.kwargs or name in KWARG_DEFAULTS, (
            f"{d.key}: say which object the URL kwarg {name!r} names: Route(kwargs={{...}})"
        )
    # DRF views say which methods they answer: the row must list exactly those.
    methods = drf_methods(d)
    if methods is not None:
        assert set(route.methods) == methods, f"{d.key}: the view answers {sorted(methods)}"


def test_rows_name_objects_the_world_makes(world):
    named = {(d.key, kind) for d, route in CLASSIFIED for kind in route.kwargs.values()}
    named |= {("KWARG_DEFAULTS", kind) for kind in KWARG_DEFAULTS.values()}
    missing = sorted(
        (key, kind) for key, kind in named if not kind.startswith("admin_")
        and kind not in world.objects
    )  # fmt: skip
    assert not missing, f"Object kinds no tests/<app>/world.py makes (row, kind): {missing}"
    assert all(len(pair) == 2 for pair in world.objects.values())


# The roles each permission grants, pinned: changing permissions.py must change this too.
PERMISSION_ROLES = {
    "view_organization": {Role.ADMIN, Role.HR, Role.MEMBER},
    "view_members": {Role.ADMIN, Role.HR},
    "manage_members": {Role.ADMIN},
    "view_audit_log": {Role.ADMIN},
    "view_programs": {Role.ADMIN, Role.HR},
    "manage_programs": {Role.ADMIN},
}


def test_permission_roles_are_pinned():
    actual = {perm: {r for r in ROLES if role_may(r, perm)} for perm in PERMISSIONS}
    assert actual == PERMISSION_ROLES
    assert not has_perm(None, "view_organization")


# --- Tenant routes -------------------------------------------------------------------------------


@pytest.mark.parametrize(("d", "route", "method"), cases(TENANT_KINDS))
def test_tenant_route_anonymous(world, request_and_diff, d, route, method):
    url = url_for(d, route, world)
    response, diff, sent = request_and_diff(d, route, method, url)
    if route.kind == "org":
        assert_status(response, LOGIN, with_query(url, route, method), "anonymous")
    else:
        assert_status(response, 401, url, "anonymous")
        assert response["WWW-Authenticate"] == "Token"
    assert diff == [] and sent == []


@pytest.mark.parametrize(("d", "route", "method"), cases(TENANT_KINDS))
def test_tenant_route_outsider_gets_404(world, request_and_diff, d, route, method):
    """The admin of org B gets exactly what anyone gets for an organization that doesn't exist."""
    url = url_for(d, route, world)
    response, diff, sent = request_and_diff(d, route, method, url, world.cast.outsider)
    assert_status(response, 404, url, "outsider (admin of org B)")
    assert diff == [], f"outsider changed {diff}"
    assert sent == []
    missing = url_for_missing_org(d, route, world)
    nowhere = send(d, route, method, missing, world.cast.outsider, world=world)
    assert nowhere.status_code == 404
    assert without_csrf(response.content) == without_csrf(nowhere.content), (
        "org A's 404 differs from a missing org's: it gives the organization away"
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("d", "route", "method"), cases(TENANT_KINDS))
def test_tenant_route_role(world, request_and_diff, d, route, method, role):
    cast = world.cast
    user = {Role.ADMIN: cast.admin, Role.HR: cast.hr, Role.MEMBER: cast.member}[role]
    perm = route.methods[method]
    url = url_for(d, route, world)
    response, diff, sent = request_and_diff(d, route, method, url, user)
    who = f"{role} ({perm} {'allowed' if role_may(role, perm) else 'denied'})"
    if role_may(role, perm) and route.owner not in (None, role):
        assert_status(response, 404, url, f"{who}, not the owner ({route.owner})")
        assert diff == [] and sent == []
    elif role_may(role, perm):
        ok = route.ok.get(method) or (OK_PAGE if route.kind == "org" else OK_API)[method]
        assert_status(response, ok, url, who)
        if method != "GET" and route.unaudited:  # the person's own state only
            assert set(diff) <= set(route.unaudited), f"{who}: {method} {url} changed {diff}"
        elif method != "GET" and route.writes:  # a valid write really writes, and is audited
            assert AUDIT_LOG in diff, f"{who}: {method} {url} changed {diff}, wrote no audit entry"
        else:
            assert diff == [] and sent == []
    else:
        assert_status(response, route.denied_status(method), url, who)
        assert diff == [], f"{who}: a refused request changed {diff}"
        assert sent == []


@pytest.mark.parametrize(("d", "route", "method"), cases(TENANT_KINDS, with_objects=True))
def test_tenant_route_object_of_other_org_is_404(world, request_and_diff, d, route, method):
    """Org A's admin, in org A's URL, with the id of an org B object: simply not found."""
    url = url_for(d, route, world, foreign=set(route.kwargs))
    response, diff, sent = request_and_diff(d, route, method, url, world.cast.admin)
    assert_status(response, 404, url, "org A's admin with an org B id")
    assert diff == [] and sent == []


@pytest.mark.parametrize(("d", "route", "method"), cases({"org-api"}, unsafe_only=True))
def test_read_only_token_cannot_write(world, request_and_diff, d, route, method):
    _, key = services.create_api_token(user=world.cast.admin, name="bi", read_only=True)
    url = url_for(d, route, world)
    response, diff, sent = request_and_diff(d, route, method, url, token=key)
    assert_status(response, 403, url, "admin's read-only token")
    assert diff == [] and sent == []


# --- Everything else -----------------------------------------------------------------------------


@pytest.mark.parametrize(("d", "route", "method"), cases(OTHER_KINDS))
def test_other_route_anonymous(world, request_and_diff, d, route, method):
    url = url_for(d, route, world)
    response, diff, sent = request_and_diff(d, route, method, url)
    assert_status(response, anon_expectation(route, method), url, "anonymous")
    assert set(diff) <= set(route.unaudited) and sent == [], f"anonymous changed {diff}"


@pytest.mark.parametrize(("d", "route", "method"), cases(OTHER_KINDS))
def test_other_route_signed_in(world, request_and_diff, d, route, method):
    url = url_for(d, route, world)
    response, _, _ = request_and_diff(d, route, method, url, world.cast.member)
    assert_status(response, route.methods[method], url, "a signed-in member")


@pytest.mark.parametrize(("d", "route", "method"), cases({"user", "user-api"}, with_objects=True))
def test_someone_elses_object_is_404(world, request_and_diff, d, route, method):
    url = url_for(d, route, world, foreign=set(route.kwargs))
    response, diff, sent = request_and_diff(d, route, method, url, world.cast.member)
    assert_status(response, 404, url, "a member with someone else's id")
    assert diff == [] and sent == []


def test_healthz_is_public_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"


# --- The Django admin: staff only ----------------------------------------------------------------


# Known application bugs (reported). Strict and tied to the exception, so the fix turns them into
# failures that say to remove the entry, and any other failure still fails.
KNOWN_BUGS = {}  # route key -> (exception, reason): strict xfails for bugs not yet fixed


def admin_cases():
    out = []
    for d, route in CLASSIFIED:
        if route.kind != "staff-admin":
            continue
        marks = []
        if d.key in KNOWN_BUGS:
            exc, reason = KNOWN_BUGS[d.key]
            marks = [pytest.mark.xfail(raises=exc, strict=True, reason=reason)]
        out.append(pytest.param(d, route, id=d.key, marks=marks))
    return out


@pytest.fixture
def admin_world(world):
    add_admin_objects(world)
    world.staff = User.objects.create_superuser(
        email="staff@example.com", password=world.cast.password
    )
    return world


@pytest.mark.parametrize(("d", "route"), admin_cases())
def test_admin_route(admin_world, d, route):
    """Anonymous and org admins (not staff) are sent to the admin's sign-in; staff get in."""
    url = url_for(d, route, admin_world)
    for method, staff_status in route.methods.items():
        anon = send(d, route, method, url)
        assert_status(anon, anon_expectation(route, method), url, "anonymous")
        org_admin = send(d, route, method, url, admin_world.cast.admin)
        assert_status(org_admin, route.member.get(method, ADMIN_LOGIN), url, "org admin, not staff")
        staff = send(d, route, method, url, admin_world.staff)
        assert_status(staff, staff_status, url, "staff")
