"""The role × route runner's moving parts: a route's URL in the world, the request as a given
person, what it changed, and the expected answer."""

import re
from urllib.parse import quote, urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from mentorship.models import Membership
from mentorship.permissions import has_perm
from tests.snapshot import changed, snapshot

from .discovery import Discovered
from .route import ADMIN_LOGIN, LOGIN, Route
from .table import KWARG_DEFAULTS

# What an allowed write leaves behind, always: an audit entry.
AUDIT_LOG = "mentorship.AuditLogEntry"


def url_for(d: Discovered, route: Route, world, *, foreign=()):
    """The route's URL with kwargs filled from ``world``; kwargs in ``foreign`` take org B's."""
    kwargs = {}
    for name in d.kwargs:
        kind = route.kwargs.get(name) or KWARG_DEFAULTS.get(name)
        if kind is None:
            pytest.fail(
                f"{d.key}: no value for URL kwarg {name!r}; add it to the row's kwargs= "
                "or to an app's KWARG_DEFAULTS (tests/<app>/routes.py)."
            )
        if kind.startswith("admin_"):
            kwargs[name] = admin_kwarg(kind, d, world)
        else:
            kwargs[name] = world.objects[kind][1 if name in foreign else 0]
    if d.name:
        url = reverse(d.name, kwargs=kwargs)
    else:
        url = "/" + re.sub(
            r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>",
            lambda m: str(kwargs[m[1] or m[2]]),
            d.route,
        ).replace("^", "").replace("$", "")
    # (ResolverMatch.route drops the "^" of regex patterns.)
    route_of_url = resolve(url).route
    assert route_of_url == re.sub(r"(^|/)\^", r"\1", d.route), f"{url} is {route_of_url}"
    return url


def url_for_missing_org(d, route, world):
    url = url_for(d, route, world)
    return url.replace(f"/{world.cast.org_a.slug}/", "/no-such-org/", 1)


def admin_kwarg(kind, d: Discovered, world):
    if kind == "admin_app_label":
        return "mentorship"
    if kind == "admin_missing_page":
        return "no-such-page/"
    if kind == "admin_content_type":
        return ContentType.objects.get_for_model(Membership).pk
    match = re.match(r"admin/(\w+)/(\w+)/", d.route)
    label = "mentorship.membership" if match is None else ".".join(match.groups())
    objects = getattr(world, "admin_objects", {})
    if label not in objects:
        pytest.fail(f"{d.key}: add a {label} object to admin_objects() in tests/<app>/world.py")
    return objects[label].pk


def send(d, route, method, url, user=None, *, token=None, world=None):
    api = route.kind in {"org-api", "user-api"} or d.route.startswith("api/")
    client = APIClient() if api else Client()
    if user is not None:
        client.force_login(user)
    extra = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    data = route.data.get(method)
    if callable(data):  # a body naming objects of the world
        data = data(world)
    call = getattr(client, method.lower())
    if api:
        return call(url, data, format="json", **extra) if method != "GET" else call(url, **extra)
    return call(url, data or {}, **extra)


def send_and_diff(world, capture_on_commit, *args, **kwargs):
    """Send a request; return (response, labels of the models it changed, emails sent).
    Callbacks that it schedules on commit (emails) run, so a leak would show in the outbox."""
    mail.outbox = []
    before = world_snapshot(world)
    with capture_on_commit(execute=True):
        response = send(*args, world=world, **kwargs)
    return response, changed(before, world_snapshot(world)), list(mail.outbox)


def world_snapshot(world):
    return snapshot([world.cast.org_a, world.cast.org_b], world.user_ids)


def with_query(url, route, method):
    """The URL a GET with ``data`` requests (its query string included)."""
    query = route.data.get(method) if method == "GET" else None
    return f"{url}?{urlencode(query)}" if query else url


def login_redirect(url, login_url="/accounts/login/"):
    return f"{login_url}?next={quote(url, safe='/')}"


def assert_status(response, expected, url, who):
    if expected == LOGIN:
        assert response.status_code == 302, f"{who}: {url} → {response.status_code}, not 302"
        assert response["Location"] == login_redirect(url), who
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, f"{who}: {url} → {response.status_code}, not 302"
        assert response["Location"] == login_redirect(url, reverse("admin:login")), who
    else:
        assert response.status_code == expected, (
            f"{who}: {response.request['REQUEST_METHOD']} {url} → {response.status_code}, "
            f"expected {expected}"
        )


def anon_expectation(route, method):
    if method in route.anon:
        return route.anon[method]
    return {"user": LOGIN, "user-api": 401, "staff-admin": ADMIN_LOGIN}.get(
        route.kind, route.methods[method]
    )


def role_may(role, perm):
    return has_perm(Membership(role=role), perm)


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*', rb"\1", content)
