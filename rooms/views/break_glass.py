"""Break-glass: an admin opens a room's content, with a reason the pair sees."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mentorship.permissions import has_perm
from mentorship.web import form_errors, status_for

from .. import queries
from ..constants import BREAK_GLASS_HOURS
from ..forms import BreakGlassForm
from ..services import break_glass


@require_http_methods(["GET", "POST"])
def open_room(request, org_slug, pk):
    if not has_perm(request.membership, "manage_programs"):
        raise PermissionDenied
    room = queries.get_room_for_member(request, pk)
    if room.viewer_is_participant:
        return redirect("rooms:home", org_slug=org_slug, pk=room.pk)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            break_glass.open_room(
                room=room, membership=request.membership, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.warning(
                request,
                f"You opened this room's content for {BREAK_GLASS_HOURS} hours. Its pair sees "
                "your name, the time and your reason.",
            )
            return redirect("rooms:home", org_slug=org_slug, pk=room.pk)
    context = {
        "room": room,
        "form": form,
        "allowed": queries.settings_of(room.program).break_glass,
        "hours": BREAK_GLASS_HOURS,
    }
    return render(request, "rooms/break_glass.html", context, status=status_for(form))
