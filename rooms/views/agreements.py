"""The pair's agreement: read it, sign it by typing your name, print it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.web import form_errors, status_for

from .. import queries
from ..forms import SignForm
from ..services import agreements


def _context(request, room):
    state = queries.agreement_state(room)
    mine = next((s for p, s in state["people"] if p.user_id == request.user.pk), None)
    return {
        "room": room,
        "can_read": True,  # a page of the room's content
        "agreement": state,
        "html": agreements.render_for(room, state["template"]) if state["template"] else "",
        "my_signature": mine,
    }


@require_http_methods(["GET", "POST"])
def agreement(request, org_slug, pk):
    """The agreement of the room's pair (its current version); each signs it once."""
    if request.method == "POST":
        room = queries.get_room_to_write_for_member(request, pk)
        form = SignForm(request.POST)
        if form.is_valid():
            try:
                agreements.sign(
                    room=room, user=request.user, typed_name=form.cleaned_data["typed_name"]
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, "You signed the agreement. Thank you.")
                return redirect("rooms:agreement", org_slug=org_slug, pk=room.pk)
    else:
        room = queries.get_room_content_for_member(request, pk)
        form = SignForm()
    context = _context(request, room) | {"form": form}
    return render(request, "rooms/agreement.html", context, status=status_for(form))


@require_GET
def agreement_print(request, org_slug, pk):
    """The agreement with its signatures, laid out for paper."""
    room = queries.get_room_content_for_member(request, pk)
    return render(request, "rooms/agreement_print.html", _context(request, room))
