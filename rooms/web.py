"""Answers several room pages (and the API) share: the page saying why a post was not saved,
and a meeting's .ics as a download."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .notifications import meeting_path
from .services import calendar


def not_saved(request, room, *, back, error="", forms=None):
    """A post without htmx was refused: what went wrong (``error``, then each form's errors,
    labelled), and the way back. 400."""
    problems = [error] if error else []
    for form in (forms or {}).values():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            problems += [f"{label}: {e}" if label else e for e in errors]
    context = {"problems": problems, "back": back, "room": room}
    return render(request, "rooms/agenda/not_saved.html", context, status=400)


def ics_response(meeting):
    """The meeting's .ics, named by its day in the viewer's time zone."""
    body = calendar.meeting_ics(meeting, url=settings.SITE_URL + meeting_path(meeting))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = f"meeting-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
