"""How the rooms app's audit actions read (see the registry in ``mentorship.audit``). Imported
by ``RoomsConfig.ready()``. Entries never carry a room's content (notes, messages), only what
an admin may know: who signed, scheduled or opened what, and when."""

from django.urls import reverse

from mentorship import audit
from mentorship.permissions import has_perm

# --- Room, agreement, meetings, calendar, break-glass ---


def _room_url(room, viewer):
    if not has_perm(viewer, "view_programs"):
        return None
    return reverse("rooms:home", kwargs={"org_slug": room.organization.slug, "pk": room.pk})


def _pair(room):
    match = room.match
    return f"the room of {match.mentor.display_name} and {match.mentee.display_name}"


audit.target_kind(
    "rooms.room",
    url=_room_url,
    text=_pair,
    select_related=("organization", "match__mentor__user", "match__mentee__user"),
)
audit.target_kind(
    "rooms.meeting",
    url=lambda meeting, viewer: _room_url(meeting.room, viewer),
    text=lambda meeting: f"a meeting in {_pair(meeting.room)}",
    select_related=(
        "room__organization",
        "room__match__mentor__user",
        "room__match__mentee__user",
    ),
)

audit.group("room", "Rooms")
audit.describe(
    "room.agreement_signed",
    "Agreement signed",
    "{actor} signed version {version} of the agreement in {target}.",
)
audit.describe(
    "room.agreement_reconfirmed",
    "Agreement re-confirmed",
    "{actor} re-confirmed the agreement (version {version}) in {target}.",
)
audit.describe("room.meeting_scheduled", "Meeting scheduled", "{actor} scheduled {target}.")
audit.describe("room.meeting_rescheduled", "Meeting rescheduled", "{actor} rescheduled {target}.")
audit.describe("room.meeting_cancelled", "Meeting cancelled", "{actor} cancelled {target}.")
audit.describe("room.meeting_held", "Meeting held", "{actor} marked {target} as held.")
audit.describe("room.meeting_no_show", "Meeting missed", "{actor} marked {target} as a no-show.")
audit.describe(
    "room.break_glass",
    "Room content opened (break-glass)",
    "{actor} opened the content of {target} for {hours} hours: “{reason}”.",
)
audit.describe(
    "room.settings_saved",
    "Room settings saved",
    "{actor} saved the room settings of {target} (break-glass {allowed}).",
)

# --- Agenda, stage prompts, notes, action items, messages, updates, feedback ---
audit.group("stage_prompt", "Stage prompts")
audit.describe(
    "stage_prompt.added",
    "Stage prompt added",
    "{actor} added the prompt “{text}” to the stage “{stage}” of {target}.",
)
audit.describe(
    "stage_prompt.edited",
    "Stage prompt edited",
    "{actor} changed the prompt “{before}” of {target} to “{text}” (stage “{stage}”).",
)
audit.describe(
    "stage_prompt.deleted",
    "Stage prompt deleted",
    "{actor} deleted the prompt “{text}” from the stage “{stage}” of {target}.",
)
audit.describe(
    "stage_prompt.moved",
    "Stage prompt moved",
    "{actor} moved the prompt “{text}” {direction} in the stage “{stage}” of {target}.",
)
audit.group("meeting_feedback", "Meeting feedback")
audit.describe(
    "meeting_feedback.not_a_good_fit",
    "Not a good fit",
    "{actor} said after their first meeting that the match {target} is not a good fit.",
)
