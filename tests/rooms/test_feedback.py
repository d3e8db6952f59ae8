"""Post-meeting feedback: asked once a meeting is held, once per meeting and person; after the
pair's first held meeting also "Is this a good fit?", whose "no" tells every admin."""

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from mentorship.models import AuditLogEntry
from mentorship.notifications.models import Notification
from rooms.models import Meeting, MeetingFeedback
from rooms.services import feedback
from tests.rooms import test_agenda as agenda_tests
from tests.rooms.test_agenda import make_meeting, meeting_url, with_room

pytestmark = pytest.mark.django_db
room, rooms = agenda_tests.room, agenda_tests.rooms  # the rooms of the live pairs


def feedback_url(meeting):
    return reverse(
        "rooms:feedback",
        kwargs={"org_slug": "org-a", "room_pk": meeting.room_id, "meeting_pk": meeting.pk},
    )


def api(meeting):
    return f"/api/v1/orgs/org-a/rooms/{meeting.room_id}/meetings/{meeting.pk}/feedback/"


def test_request_feedback_asks_both_once(cast, room, django_capture_on_commit_callbacks):
    meeting = with_room(make_meeting(room, days=-1, status=Meeting.Status.HELD), room)
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        assert feedback.request_feedback(meeting=meeting) == 2
        assert feedback.request_feedback(meeting=meeting) == 0  # safe to call twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.mentor1.email, cast.mentee1.email])
    assert {m.subject for m in mail.outbox} == {"How was your meeting?"}
    assert meeting_url(meeting) in mail.outbox[0].body
    scheduled = with_room(make_meeting(room, days=1), room)
    with scopes_disabled():
        assert feedback.request_feedback(meeting=scheduled) == 0


def test_the_first_held_meeting_asks_about_the_fit(cast, room, client):
    first = make_meeting(room, days=-14, status=Meeting.Status.HELD)
    second = make_meeting(room, days=-7, status=Meeting.Status.HELD)
    client.force_login(cast.mentee1)
    page = client.get(meeting_url(first)).content.decode()
    assert "Is this a good fit?" in page and "How useful was this meeting?" in page
    assert "Is this a good fit?" not in client.get(meeting_url(second)).content.decode()
    missing = client.post(feedback_url(first), {"usefulness": "4"}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 400
    response = client.post(
        feedback_url(first), {"usefulness": "4", "comment": "Warm", "good_fit": "yes"}
    )
    assert response.status_code == 302
    client.post(feedback_url(second), {"usefulness": "5", "good_fit": "no"})
    with scopes_disabled():
        answers = list(
            MeetingFeedback.objects.order_by("meeting__starts_at").values_list(
                "usefulness", "comment", "good_fit"
            )
        )
    assert answers == [(4, "Warm", "yes"), (5, "", "")]  # the fit is asked once only
    assert "You rated it" in client.get(meeting_url(first)).content.decode()


def test_no_tells_every_admin_with_the_way_to_rematch(
    cast, room, client, django_capture_on_commit_callbacks
):
    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    client.force_login(cast.mentee1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            feedback_url(meeting),
            {"usefulness": "2", "comment": "We never click", "good_fit": "no"},
        )
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == [cast.admin.email]
    assert "not a good fit" in email.subject
    matches = reverse("matching:matches", kwargs={"org_slug": "org-a", "program_slug": "live"})
    assert matches in email.body
    assert "We never click" not in email.body  # the words stay the participant's
    with scopes_disabled():
        [told] = Notification.objects.filter(kind="rooms.not_a_good_fit")
        [entry] = AuditLogEntry.objects.filter(action="meeting_feedback.not_a_good_fit")
    assert told.recipient_id == cast.admin.pk
    assert (entry.actor_id, entry.target_id) == (cast.mentee1.pk, str(room.match_id))
    from rooms.notifications import NOT_A_GOOD_FIT

    assert NOT_A_GOOD_FIT.mandatory


def test_once_per_meeting_and_person(cast, room, client, api_client):
    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    api_client.force_login(cast.mentor1)
    body = {"usefulness": 5, "good_fit": "yes"}
    assert api_client.post(api(meeting), body).status_code == 201
    again = api_client.post(api(meeting), body)
    assert again.status_code == 400
    assert again.json()["errors"][0]["detail"] == "You have given feedback on this meeting already."
    client.force_login(cast.mentor1)
    page = client.post(feedback_url(meeting), {"usefulness": "1", "good_fit": "no"})
    assert page.status_code == 400
    assert "given feedback on this meeting already" in page.content.decode()
    assert [f["usefulness"] for f in api_client.get(api(meeting)).json()] == [5]
    api_client.force_login(cast.mentee1)  # each person's own: the partner sees none of it
    assert api_client.get(api(meeting)).json() == []
    with scopes_disabled():
        assert MeetingFeedback.objects.count() == 1
        assert not Notification.objects.filter(kind="rooms.not_a_good_fit").exists()


@pytest.mark.parametrize("usefulness", [0, 6, "many"])
def test_usefulness_is_one_to_five(cast, room, client, api_client, usefulness):
    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    api_client.force_login(cast.mentor1)
    response = api_client.post(api(meeting), {"usefulness": usefulness, "good_fit": "yes"})
    assert response.status_code == 400
    client.force_login(cast.mentor1)
    page = client.post(feedback_url(meeting), {"usefulness": str(usefulness), "good_fit": "yes"})
    assert page.status_code == 400
    with scopes_disabled():
        assert not MeetingFeedback.objects.exists()
        with pytest.raises(Exception, match="from 1"):
            feedback.give_feedback(
                meeting=with_room(meeting, room), actor=cast.mentor1, usefulness=0, good_fit="yes"
            )


def test_not_before_the_meeting_is_held_and_not_in_another_room(cast, rooms, api_client):
    upcoming = make_meeting(rooms[0], days=2)
    theirs = make_meeting(rooms[1], days=-1, status=Meeting.Status.HELD)
    api_client.force_login(cast.mentor1)
    early = api_client.post(api(upcoming), {"usefulness": 3})
    assert early.status_code == 400
    assert "once the meeting is marked as held" in early.json()["errors"][0]["detail"]
    assert api_client.post(api(theirs), {"usefulness": 3, "good_fit": "yes"}).status_code == 404
    for user in (cast.admin, cast.hr):
        api_client.force_login(user)
        assert api_client.get(api(theirs)).status_code == 404
    with scopes_disabled():
        assert not MeetingFeedback.objects.exists()
