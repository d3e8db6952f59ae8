"""Calendars: each member's private feed address (get a new one, turn it off) and the feed
itself, public by its token (calendar apps fetch it without signing in)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_scopes import scope

from .. import queries
from ..services import calendar


@require_http_methods(["GET", "POST"])
def calendar_page(request, org_slug):
    membership = request.membership
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar.revoke_feed(membership=membership)
            messages.success(request, "Your calendar address is turned off: it shows nothing now.")
        else:
            calendar.new_feed(membership=membership)
            messages.success(
                request,
                "Your calendar address is ready. Any older address has stopped working.",
            )
        return redirect("rooms:calendar", org_slug=org_slug)
    feed = queries.active_feed(membership)
    context = {"feed": feed, "feed_url": calendar.feed_address(feed)}
    return render(request, "rooms/calendar.html", context)


@require_GET
def calendar_feed(request, token):
    """A member's meetings as a calendar feed, by its private token: a revoked or unknown
    token is a 404. Events carry their time, the program's name and the place only."""
    feed = calendar.feed_by_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    with scope(organization=feed.organization):
        body = calendar.feed_ics(feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
