"""Tenant resolution: the organization comes from the URL, once per request.

Pages live under ``/o/<org_slug>/`` and API routes under ``/api/v1/orgs/<org_slug>/``. The
middleware loads the organization and runs the request inside ``django_scopes.scope`` so
tenant-owned models can only be queried for that organization. A signed-in non-member gets the
same 404 as for an organization that does not exist, so a tenant's existence does not leak.
For the API, the member check happens after DRF has authenticated the token
(``mentorship.api.permissions.IsOrgMember``).
"""

import zoneinfo

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from .models import Membership, Organization

ORG_KWARG = "org_slug"


def get_membership(organization, user):
    if organization is None or not user.is_authenticated:
        return None
    with scope(organization=organization):
        membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is not None:  # both at hand already: pages read them through the membership
        membership.organization, membership.user = organization, user
    return membership


def membership_by_slug(slug, user):
    """``user``'s membership of the organization ``slug`` names, that organization loaded with
    it (one query for both: every page asks), or None for a non-member or an unknown slug."""
    with scopes_disabled():  # the slug is the tenant: this is how it is found
        membership = (
            Membership.objects.filter(organization__slug=slug, user=user)
            .select_related("organization")
            .first()
        )
    if membership is not None:
        membership.user = user
    return membership


def memberships_of(user):
    """The user's memberships in every organization (the org switcher's list)."""
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user)
            .select_related("organization")
            .order_by("organization__name")
        )


def activate_time_zone(user, organization=None):
    name = (getattr(user, "time_zone", "") or "") or (
        organization.time_zone if organization else ""
    )
    try:
        timezone.activate(zoneinfo.ZoneInfo(name)) if name else timezone.deactivate()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = None
        request.membership = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        slug = match.kwargs.get(ORG_KWARG) if match else None
        if slug is None:
            activate_time_zone(request.user)
            return self.get_response(request)

        is_api = request.path_info.startswith("/api/")
        if not is_api and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if is_api:
            organization = Organization.objects.filter(slug=slug).first()
        else:
            request.membership = membership_by_slug(slug, request.user)
            if request.membership is None:  # the 404 page must not name the organization
                raise Http404("No such organization.")
            organization = request.membership.organization
        request.organization = organization
        activate_time_zone(request.user, organization)
        if organization is None:
            # Unknown slug on the API: IsOrgMember answers 404 after authentication. No scope
            # is entered, so any tenant query made by mistake raises instead of reading all.
            return self.get_response(request)
        with scope(organization=organization):
            return self.get_response(request)
