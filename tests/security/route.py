"""The row type of the security table: what each kind of person may do with one route.

Each app lists its rows in ``tests/<app>/routes.py`` (``ROUTES``: route key → ``Route``, and
optionally ``RULES`` for families of routes and ``KWARG_DEFAULTS``); ``tests/security/table.py``
collects them.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# What an anonymous request gets instead of a status: a redirect to the sign-in page (pages) or
# to the admin's sign-in page (admin).
LOGIN = "login"
ADMIN_LOGIN = "admin-login"

TENANT_KINDS = {"org", "org-api"}
OTHER_KINDS = {"user", "user-api", "public", "auth"}
KINDS = TENANT_KINDS | OTHER_KINDS | {"staff-admin"}


@dataclass(frozen=True)
class Route:
    """Expected access to one route.

    kind:     "org" tenant page · "org-api" tenant API · "user" signed-in page · "user-api"
              signed-in API · "public" anyone · "auth" allauth (anyone) · "staff-admin" Django
              admin (staff only).
    methods:  tenant kinds: method → permission name from mentorship/permissions.py;
              others: method → status for a signed-in person (staff, for "staff-admin").
    anon:     other kinds only: method → status for an anonymous person, where the kind's
              default (LOGIN, 401, ADMIN_LOGIN, or the same as signed-in) does not fit.
    member:   "staff-admin" only: status for a signed-in non-staff person (default ADMIN_LOGIN).
    kwargs:   URL kwarg → object kind made by the ``world`` (``world.objects``; see each app's
              ``tests/<app>/world.py``).
    data:     method → request body (valid, so that an allowed write really writes); for GET,
              the query string. A function of the world where the body names its objects.
    ok:       tenant kinds: method → status of an allowed request, where ``OK_*`` does not fit.
    """

    kind: str
    methods: Mapping[str, Any]
    kwargs: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    ok: Mapping[str, int] = field(default_factory=dict)
    anon: Mapping[str, Any] = field(default_factory=dict)
    member: Mapping[str, Any] = field(default_factory=dict)
    # Tenant kinds: the status a role without the permission gets (404 where even the
    # object's existence is private, e.g. a program the member is not enrolled in), or a
    # method → status mapping (403 for the methods it leaves out).
    denied: int | Mapping[str, int] = 403
    # Tenant kinds: False for a POST that computes without writing (e.g. a preview).
    writes: bool = True
    # Tenant kinds: the one role whose cast user the named object belongs to (e.g. the mentor
    # a request is addressed to); the other roles, though they hold the permission, get 404.
    owner: str | None = None
    # The models a valid write changes without an audit entry, because it is the person's own
    # state, not the organization's: marking a notification read; for a public route, what an
    # anonymous request may change (the signed unsubscribe link of an email).
    unaudited: tuple[str, ...] = ()

    def denied_status(self, method) -> int:
        if isinstance(self.denied, Mapping):
            return self.denied.get(method, 403)
        return self.denied


OK_PAGE = {"GET": 200, "POST": 302}
OK_API = {"GET": 200, "POST": 201, "PATCH": 200, "PUT": 200, "DELETE": 204}
