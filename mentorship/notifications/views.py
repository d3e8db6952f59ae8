"""Pages: a person's notifications in an organization, and the unsubscribe link of every
optional email. (Email choices are a form of the profile page.)"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..web import org_permission_required
from . import kinds, queries, service, tokens

PER_PAGE = 25


@org_permission_required("view_organization")
def notification_list(request, org_slug):
    items = queries.inbox(request.user, request.organization)
    unread_only = request.GET.get("show") == "unread"
    if unread_only:
        items = items.filter(read_at__isnull=True)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": queries.unread_count(request.user, request.organization),
    }
    return render(request, "mentorship/notifications/list.html", context)


@require_POST
@org_permission_required("view_organization")
def notification_open(request, org_slug, pk):
    """Follow a notification to what it is about, marking it read on the way (as mail
    programs mark a message read once it is opened). A POST: a GET must not change it."""
    notification = queries.get_notification_for_member(request.membership, pk)
    service.mark_read(notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("org:notifications", org_slug=org_slug)


@require_POST
@org_permission_required("view_organization")
def notification_read(request, org_slug, pk):
    service.mark_read(queries.get_notification_for_member(request.membership, pk))
    return redirect(_back(request, org_slug))


@require_POST
@org_permission_required("view_organization")
def notification_read_all(request, org_slug):
    count = service.mark_all_read(request.user, request.organization)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect(_back(request, org_slug))


def _back(request, org_slug):
    """Back to the list as the button saw it (its filter and page)."""
    params = {k: request.POST[k] for k in ("show", "page") if request.POST.get(k)}
    url = reverse("org:notifications", args=[org_slug])
    return f"{url}?{urlencode(params)}" if params else url


@csrf_exempt  # the signed token is the proof (RFC 8058: mail programs POST without a session)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks for confirmation (mail scanners open links); POST unsubscribes, signed in or
    not — a mail program's one-click button posts ``List-Unsubscribe=One-Click`` here."""
    found = tokens.read(token)
    user = kind = None
    if found is not None:
        user = get_user_model().objects.filter(pk=found[0], is_active=True).first()
        kind = kinds.get(found[1])
    if user is None or kind is None or kind.mandatory:
        return render(request, "mentorship/notifications/unsubscribe.html", {}, status=404)
    done = request.method == "POST" and service.unsubscribe(user, kind)
    context = {"kind": kind, "email": user.email, "done": done}
    return render(request, "mentorship/notifications/unsubscribe.html", context)
