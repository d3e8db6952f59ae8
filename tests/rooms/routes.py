"""Security rows of rooms, pages and API (the world: ``tests/rooms/world.py``). See
``tests/security/route.py``. Room content is the pair's: ``owner="member"`` (org A's room has
the cast's member as its mentor), so admins and HR, who hold the permission, get 404 there."""

from datetime import timedelta

from django.utils import timezone

from mentorship.models import Role
from tests.security.route import Route  # noqa: F401

# fmt: off
# Room, agreement, meetings, calendar, break-glass: request bodies.
FEED = "rooms.CalendarFeed"
MEETING = {"room_pk": "room", "pk": "meeting"}
REASON = {"reason": "The mentee's school raised a safeguarding concern."}


def _in_a_month():
    return timezone.localtime(timezone.now() + timedelta(days=30))


def SIGN(w):  # noqa: N802 - a body of the world, named like the others
    return {"typed_name": w.cast.member.name.upper()}


def MEETING_FORM(w):  # noqa: N802
    when = _in_a_month()
    return {"starts_at_0": f"{when:%Y-%m-%d}", "starts_at_1": "10:00", "minutes": "60",
            "location": "The library"}


def MEETING_JSON(w):  # noqa: N802
    return {"starts_at": (timezone.now() + timedelta(days=30)).isoformat(), "minutes": 45,
            "location": "The library"}


# Agenda, stage prompts, notes, action items, messages, updates, feedback: models and bodies.
ROOM, POINT, NOTE, ITEM = "rooms.Room", "rooms.AgendaPoint", "rooms.Note", "rooms.ActionItem"
READ_MARK, UPDATE = "rooms.ReadMark", "rooms.ProgressUpdate"
FEEDBACK_MODEL = "rooms.MeetingFeedback"
MESSAGE_WRITES = ("rooms.Message", READ_MARK, ROOM, "mentorship.Notification")
HELD = {"room_pk": "room", "meeting_pk": "collab_meeting"}
FEEDBACK = {"usefulness": 4, "comment": "Useful", "good_fit": "yes"}


def ACTION_ITEM(w):  # noqa: N802 - a body of the world
    return {"description": "Book the next session", "owner": w.cast.member.pk}


ROUTES: dict[str, Route] = {
    # --- Room, agreement, meetings, calendar, break-glass ---
    # Every member has "My mentoring" and their calendar page; a room's home shows admins and
    # HR its metadata. The rest of a room is the pair's (owner: the mentor, the cast's member).
    "rooms:mine":            Route("org", {"GET": "view_organization"}),
    "rooms:home":            Route("org", {"GET": "view_organization"}, kwargs={"pk": "room"}),
    "rooms:agreement":       Route("org", {"GET": "view_organization",
                                           "POST": "view_organization"},
                                   kwargs={"pk": "room"}, data={"POST": SIGN}, owner=Role.MEMBER),
    "rooms:agreement-print": Route("org", {"GET": "view_organization"}, kwargs={"pk": "room"},
                                   owner=Role.MEMBER),
    # The world's programs allow break-glass; the admin's earlier opening has expired.
    "rooms:break-glass":     Route("org", {"GET": "manage_programs", "POST": "manage_programs"},
                                   kwargs={"pk": "room"}, data={"POST": REASON}),
    "rooms:meetings":        Route("org", {"GET": "view_organization"}, kwargs={"room_pk": "room"},
                                   owner=Role.MEMBER),
    "rooms:meeting-new":     Route("org", {"GET": "view_organization",
                                           "POST": "view_organization"},
                                   kwargs={"room_pk": "room"}, data={"POST": MEETING_FORM},
                                   owner=Role.MEMBER),
    "rooms:meeting":         Route("org", {"GET": "view_organization"}, kwargs=MEETING,
                                   owner=Role.MEMBER),
    "rooms:meeting-edit":    Route("org", {"GET": "view_organization",
                                           "POST": "view_organization"},
                                   kwargs=MEETING, data={"POST": MEETING_FORM}, owner=Role.MEMBER),
    "rooms:meeting-cancel":  Route("org", {"POST": "view_organization"}, kwargs=MEETING,
                                   owner=Role.MEMBER),
    "rooms:meeting-held":    Route("org", {"POST": "view_organization"}, kwargs=MEETING,
                                   owner=Role.MEMBER),
    "rooms:meeting-no-show": Route("org", {"POST": "view_organization"}, kwargs=MEETING,
                                   owner=Role.MEMBER),
    "rooms:meeting-ics":     Route("org", {"GET": "view_organization"}, kwargs=MEETING,
                                   owner=Role.MEMBER),
    # A member's own feed address: their own state, not the organization's (no audit entry).
    "rooms:calendar":        Route("org", {"GET": "view_organization",
                                           "POST": "view_organization"},
                                   data={"POST": {"action": "new"}}, unaudited=(FEED,)),
    # The feed itself: public, by its secret token (calendar apps never sign in).
    "calendar-feed":         Route("public", {"GET": 200}, kwargs={"token": "calendar_token"}),
    "rooms:program-rooms":   Route("org", {"GET": "view_programs"}, denied={"GET": 404}),
    "rooms:program-room-settings": Route("org", {"POST": "manage_programs"},
                                   data={"POST": {"break_glass": "on"}}),
    "api:room-list":         Route("org-api", {"GET": "view_organization"}),
    "api:room-detail":       Route("org-api", {"GET": "view_organization"}, kwargs={"pk": "room"}),
    "api:room-agreement":    Route("org-api", {"GET": "view_organization",
                                               "POST": "view_organization"},
                                   kwargs={"room_pk": "room"}, data={"POST": SIGN},
                                   owner=Role.MEMBER),
    "api:meeting-list":      Route("org-api", {"GET": "view_organization",
                                               "POST": "view_organization"},
                                   kwargs={"room_pk": "room"}, data={"POST": MEETING_JSON},
                                   owner=Role.MEMBER),
    "api:meeting-detail":    Route("org-api", {"GET": "view_organization",
                                               "PATCH": "view_organization"},
                                   kwargs=MEETING, data={"PATCH": MEETING_JSON},
                                   owner=Role.MEMBER),
    "api:meeting-cancel":    Route("org-api", {"POST": "view_organization"}, kwargs=MEETING,
                                   ok={"POST": 200}, owner=Role.MEMBER),
    "api:meeting-held":      Route("org-api", {"POST": "view_organization"}, kwargs=MEETING,
                                   ok={"POST": 200}, owner=Role.MEMBER),
    "api:meeting-no-show":   Route("org-api", {"POST": "view_organization"}, kwargs=MEETING,
                                   ok={"POST": 200}, owner=Role.MEMBER),
    "api:meeting-ics":       Route("org-api", {"GET": "view_organization"}, kwargs=MEETING,
                                   owner=Role.MEMBER),
    "api:my-calendar-feed":  Route("org-api", {"GET": "view_organization",
                                               "POST": "view_organization"},
                                   data={"POST": {"action": "new"}}, ok={"POST": 200},
                                   unaudited=(FEED,)),
    # --- Agenda, stage prompts, notes, action items, messages, updates, feedback ---
    # World: in each room a held meeting ("collab_meeting") with the member's shared agenda
    # point and note, the mentee's private ones, the member's action item, a message of the
    # mentee, the member's update, and the mentee's feedback. The pair's own work: no audit
    # entry (the models each write may change are listed).
    # Prompt libraries are the admins' (audited); HR reads them.
    "rooms:prompts":         Route("org", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": {"stage": "2", "text": "What is hardest?"}},
                                   denied={"GET": 404}),
    "rooms:prompt-edit":     Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "stage_prompt"},
                                   data={"POST": {"stage": "0", "text": "Renamed prompt"}}),
    "rooms:prompt-delete":   Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "stage_prompt"}),
    "rooms:prompt-move":     Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "stage_prompt"},
                                   data={"POST": {"direction": "down"}}),
    "rooms:stage-move":      Route("org", {"POST": "view_organization"}, kwargs={"pk": "room"},
                                   data={"POST": {"stage": "1"}}, owner=Role.MEMBER,
                                   unaudited=(ROOM,)),
    "rooms:agenda-add":      Route("org", {"POST": "view_organization"}, kwargs=HELD,
                                   data={"POST": {"text": "Next steps"}}, owner=Role.MEMBER,
                                   unaudited=(POINT, ROOM)),
    "rooms:agenda-suggest":  Route("org", {"POST": "view_organization"}, kwargs=HELD,
                                   owner=Role.MEMBER, unaudited=(POINT, ROOM)),
    "rooms:agenda-point":    Route("org", {"POST": "view_organization"},
                                   kwargs={**HELD, "pk": "agenda_point"},
                                   data={"POST": {"action": "done"}}, owner=Role.MEMBER,
                                   unaudited=(POINT,)),
    "rooms:note-add":        Route("org", {"POST": "view_organization"}, kwargs=HELD,
                                   data={"POST": {"body": "A new note"}}, owner=Role.MEMBER,
                                   unaudited=(NOTE, ROOM)),
    "rooms:note-edit":       Route("org", {"POST": "view_organization"},
                                   kwargs={**HELD, "pk": "note"},
                                   data={"POST": {"body": "Edited"}}, owner=Role.MEMBER,
                                   unaudited=(NOTE,)),
    "rooms:note-delete":     Route("org", {"POST": "view_organization"},
                                   kwargs={**HELD, "pk": "note"}, owner=Role.MEMBER,
                                   unaudited=(NOTE,)),
    "rooms:feedback":        Route("org", {"POST": "view_organization"}, kwargs=HELD,
                                   data={"POST": FEEDBACK}, owner=Role.MEMBER,
                                   unaudited=(FEEDBACK_MODEL,)),
    "rooms:action-item-add": Route("org", {"POST": "view_organization"},
                                   kwargs={"room_pk": "room"}, data={"POST": ACTION_ITEM},
                                   owner=Role.MEMBER, unaudited=(ITEM, ROOM)),
    "rooms:action-item":     Route("org", {"POST": "view_organization"},
                                   kwargs={"room_pk": "room", "pk": "action_item"},
                                   data={"POST": {"action": "done"}}, owner=Role.MEMBER,
                                   unaudited=(ITEM, ROOM)),
    # Everyone has their own list (admins and HR: theirs, usually empty).
    "rooms:my-action-items": Route("org", {"GET": "view_organization"}),
    "rooms:messages":        Route("org", {"GET": "view_organization",
                                           "POST": "view_organization"},
                                   kwargs={"pk": "room"}, data={"POST": {"body": "Hello"}},
                                   owner=Role.MEMBER, unaudited=MESSAGE_WRITES),
    "rooms:messages-new":    Route("org", {"GET": "view_organization"}, kwargs={"pk": "room"},
                                   data={"GET": {"after": "0"}}, owner=Role.MEMBER),
    "rooms:messages-read":   Route("org", {"POST": "view_organization"}, kwargs={"pk": "room"},
                                   owner=Role.MEMBER, unaudited=(READ_MARK,)),
    "rooms:updates":         Route("org", {"GET": "view_organization",
                                           "POST": "view_organization"},
                                   kwargs={"pk": "room"}, data={"POST": {"progress": "Going"}},
                                   owner=Role.MEMBER, unaudited=(UPDATE, ROOM)),
    "api:agenda-point-list": Route("org-api", {"GET": "view_organization",
                                               "POST": "view_organization"},
                                   kwargs=HELD, data={"POST": {"text": "Next steps"}},
                                   owner=Role.MEMBER, unaudited=(POINT, ROOM)),
    "api:agenda-point-suggest": Route("org-api", {"POST": "view_organization"}, kwargs=HELD,
                                   owner=Role.MEMBER, unaudited=(POINT, ROOM)),
    "api:agenda-point-detail": Route("org-api", {"GET": "view_organization",
                                                 "PATCH": "view_organization",
                                                 "DELETE": "view_organization"},
                                   kwargs={**HELD, "pk": "agenda_point"},
                                   data={"PATCH": {"done": True}}, owner=Role.MEMBER,
                                   unaudited=(POINT,)),
    "api:note-list":         Route("org-api", {"GET": "view_organization",
                                               "POST": "view_organization"},
                                   kwargs=HELD, data={"POST": {"body": "A note", "private": True}},
                                   owner=Role.MEMBER, unaudited=(NOTE, ROOM)),
    "api:note-detail":       Route("org-api", {"GET": "view_organization",
                                               "PATCH": "view_organization",
                                               "DELETE": "view_organization"},
                                   kwargs={**HELD, "pk": "note"},
                                   data={"PATCH": {"body": "Edited"}}, owner=Role.MEMBER,
                                   unaudited=(NOTE,)),
    "api:meeting-feedback-list": Route("org-api", {"GET": "view_organization",
                                                   "POST": "view_organization"},
                                   kwargs=HELD, data={"POST": FEEDBACK}, owner=Role.MEMBER,
                                   unaudited=(FEEDBACK_MODEL,)),
    "api:action-item-list":  Route("org-api", {"GET": "view_organization",
                                               "POST": "view_organization"},
                                   kwargs={"room_pk": "room"}, data={"POST": ACTION_ITEM},
                                   owner=Role.MEMBER, unaudited=(ITEM, ROOM)),
    "api:action-item-detail": Route("org-api", {"GET": "view_organization",
                                                "PATCH": "view_organization",
                                                "DELETE": "view_organization"},
                                   kwargs={"room_pk": "room", "pk": "action_item"},
                                   data={"PATCH": {"done": True}}, owner=Role.MEMBER,
                                   unaudited=(ITEM, ROOM)),
    "api:my-action-item-list": Route("org-api", {"GET": "view_organization"}),
    "api:message-list":      Route("org-api", {"GET": "view_organization",
                                               "POST": "view_organization"},
                                   kwargs={"room_pk": "room"}, data={"POST": {"body": "Hello"}},
                                   owner=Role.MEMBER, unaudited=MESSAGE_WRITES),
    "api:message-read":      Route("org-api", {"POST": "view_organization"},
                                   kwargs={"room_pk": "room"}, ok={"POST": 200},
                                   owner=Role.MEMBER, unaudited=(READ_MARK,)),
    "api:progress-update-list": Route("org-api", {"GET": "view_organization",
                                                  "POST": "view_organization"},
                                   kwargs={"room_pk": "room"}, data={"POST": {"progress": "Going"}},
                                   owner=Role.MEMBER, unaudited=(UPDATE, ROOM)),
    "api:room-stage":        Route("org-api", {"POST": "view_organization"},
                                   kwargs={"room_pk": "room"}, data={"POST": {"stage": 1}},
                                   ok={"POST": 200}, owner=Role.MEMBER, unaudited=(ROOM,)),
    "api:stage-prompt-list": Route("org-api", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": {"stage": 2, "text": "What is hardest?"}}),
    "api:stage-prompt-detail": Route("org-api", {"GET": "view_programs",
                                                 "PATCH": "manage_programs",
                                                 "DELETE": "manage_programs"},
                                   kwargs={"pk": "stage_prompt"},
                                   data={"PATCH": {"text": "Renamed prompt"}}),
}
# fmt: on
