"""The pair's work on a meeting's agenda: suggest points, add one, tick off, reorder, delete
(the agenda is shown in the meeting page's parts, `views.meeting_parts`)."""

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from mentorship.web import first_error, form_errors

from .. import queries
from ..forms import AgendaPointForm
from ..services import agenda
from .meeting_parts import respond

ACTIONS = {"done", "undo", "up", "down", "delete"}


@require_POST
def point_add(request, org_slug, room_pk, meeting_pk):
    meeting = queries.get_meeting_for_member(request, room_pk, meeting_pk, write=True)
    form = AgendaPointForm(request.POST)
    if form.is_valid():
        try:
            agenda.add_point(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
    return respond(request, meeting, forms={"point": form}, success="Point added.")


@require_POST
def suggest(request, org_slug, room_pk, meeting_pk):
    meeting = queries.get_meeting_for_member(request, room_pk, meeting_pk, write=True)
    try:
        added = agenda.suggest_agenda(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        return respond(request, meeting, error=first_error(exc))
    n = len(queries.readable_points(added, request.user))
    said = f"{n} point{'s' if n != 1 else ''} suggested." if n else "Nothing new to suggest."
    return respond(request, meeting, success=said)


@require_POST
def point_change(request, org_slug, room_pk, meeting_pk, pk):
    """``action``: done, undo, up, down or delete."""
    point = queries.get_agenda_point_for_member(request, room_pk, meeting_pk, pk, write=True)
    meeting = point.meeting
    action = request.POST.get("action")
    if action not in ACTIONS:
        return respond(request, meeting, error="Choose what to do with the point.")
    try:
        if action in ("done", "undo"):
            agenda.set_done(point=point, actor=request.user, done=action == "done")
        elif action in ("up", "down"):
            agenda.move_point(point=point, actor=request.user, direction=action)
        else:
            agenda.delete_point(point=point, actor=request.user)
    except ValidationError as exc:
        return respond(request, meeting, error=first_error(exc))
    return respond(request, meeting, success="Point deleted." if action == "delete" else "")
