"""Progress updates: the room's list and a short post (progress, roadblocks, achievements)."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mentorship.web import form_errors, status_for

from .. import pairs, permissions, queries
from ..forms import ProgressUpdateForm
from ..models import ProgressUpdate
from ..services import updates as services
from . import room_parts

PAGE_SIZE = 20


@require_http_methods(["GET", "POST"])
def update_list(request, org_slug, pk):
    if request.method == "POST":
        room = queries.get_room_to_write_for_member(request, pk)
        form = ProgressUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.post_update(room=room, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                if request.POST.get("next") == "home":
                    return room_parts.respond(request, room, success="Update posted.")
                return redirect("rooms:updates", org_slug=org_slug, pk=room.pk)
        if request.POST.get("next") == "home":
            return room_parts.respond(request, room, forms={"update": form})
    else:
        room = queries.get_room_content_for_member(request, pk)
        form = ProgressUpdateForm()
    names = pairs.names(room)
    page = Paginator(ProgressUpdate.objects.filter(room=room), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for update in page:
        update.author_name = names.get(update.author_id, "Someone")
    context = {
        "room": room,
        "page": page,
        "form": form,
        "can_write": permissions.can_write(request.membership, room),
    }
    return render(request, "rooms/updates/list.html", context, status=status_for(form))
