"""The security table: each app's rows (``tests/<app>/routes.py``) against the discovered routes.

An app's ``routes`` module holds ``ROUTES`` (route key → ``Route``) and may add ``RULES`` (glob
over route keys → ``Route``, for families such as the admin's) and ``KWARG_DEFAULTS`` (URL
kwarg → the world's object kind, where a row doesn't say). A row lives with the app whose view
the route runs; routes of third-party views (allauth, the Django admin, the schema) are mounted
by the core's root URLs, so their rows live with ``mentorship``.
"""

from fnmatch import fnmatchcase

import pytest

from tests.per_app import app_parts, project_apps

from .discovery import Discovered, discover_routes
from .route import Route

WIRING_APP = "mentorship"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

ROUTE_MODULES = app_parts("routes")
ROWS_BY_APP: dict[str, dict[str, Route]] = {
    app: getattr(module, "ROUTES", {}) for app, module in ROUTE_MODULES.items()
}
ROUTES: dict[str, Route] = {k: r for rows in ROWS_BY_APP.values() for k, r in rows.items()}
RULES: list[tuple[str, Route]] = [
    rule for module in ROUTE_MODULES.values() for rule in getattr(module, "RULES", [])
]
KWARG_DEFAULTS: dict[str, str] = {
    k: v
    for module in ROUTE_MODULES.values()
    for k, v in getattr(module, "KWARG_DEFAULTS", {}).items()
}

DISCOVERED = discover_routes()


def owning_app(d: Discovered) -> str:
    """The app whose ``tests/<app>/routes.py`` holds the route's row."""
    return d.app if d.app in project_apps() else WIRING_APP


def classify(d: Discovered) -> Route | None:
    if d.key in ROUTES:
        return ROUTES[d.key]
    for pattern, route in RULES:
        if fnmatchcase(d.key, pattern):
            return route
    return None


CLASSIFIED = [(d, r) for d in DISCOVERED if (r := classify(d)) is not None]


def methods_of(route: Route) -> list[str]:
    """The row's methods (for DRF views, test_row_is_well_formed checks them against the view)."""
    return [m for m in METHODS if m in route.methods]


def cases(kinds, *, with_objects=False, unsafe_only=False):
    """(route, method) cases of the given kinds; with_objects: only routes naming objects."""
    out = []
    for d, route in CLASSIFIED:
        if route.kind not in kinds or (with_objects and not route.kwargs):
            continue
        for method in methods_of(route):
            if unsafe_only and method == "GET":
                continue
            out.append(pytest.param(d, route, method, id=f"{d.key}-{method}"))
    return out
