"""A mentoring pair's room end to end, mentor and mentee each in their own browser: both sign
the agreement, the mentor schedules a meeting (the mentee downloads its .ics), they hold it with
notes (one private), an action item and feedback, the mentee completes a milestone with
evidence that the mentor confirms, and they write to each other."""

import re
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils.dateformat import format as date_format
from django_scopes import scope, scopes_disabled
from icalendar import Calendar

from programs.services import save_agreement_template
from roadmaps.models import Evidence, Milestone
from rooms.models import (
    ActionItem,
    AgreementSignature,
    Meeting,
    MeetingFeedback,
    Message,
    Note,
    ReadMark,
    Room,
)
from tests.browser.conftest import ConsoleWatch, log_in, new_page, shot
from tests.browser.test_phone_layout import PROBLEMS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHARED = "We agreed to focus on **stakeholder updates** first."
PRIVATE = "Seems nervous about presenting; go gently."
MENTEE_NOTE = "Next time: bring a draft of the quarterly update."
TODO = "Draft the quarterly update"
EVIDENCE = "We wrote my three goals down together."
POLL = 15_000  # ms: the thread asks for new messages every 10 seconds
TO_ROADMAP = re.compile("roadmap", re.I)  # the room's way to the pair's roadmap page


@pytest.fixture
def room(live_program, cast):
    """mentor1 and mentee1's room, in a program with an agreement to sign."""
    with scope(organization=cast.org_a):
        save_agreement_template(
            program=live_program.program,
            body="## Our agreement\n\n{{ mentor_name }} mentors {{ mentee_name }}.",
            actor=cast.admin,
        )
    with scopes_disabled():
        return Room.objects.get(match=live_program.matches[0])


def progress(room):
    with scopes_disabled():
        milestones = Milestone.objects.filter(roadmap__match=room.match_id)
        return milestones.filter(status="done").count(), milestones.count()


def test_a_pair_works_in_their_room(browser, live_site, cast, room, time_machine):
    from playwright.sync_api import expect

    base = live_site.url
    home = f"{base}/o/org-a/rooms/{room.pk}/"
    mentor_name, mentee_name = cast.mentor1.name, cast.mentee1.name
    watch = ConsoleWatch()
    mentor = new_page(browser, watch, "mentor")
    mentee = new_page(browser, watch, "mentee")
    for page, user in ((mentor, cast.mentor1), (mentee, cast.mentee1)):
        log_in(page, base, user.email, cast.password)
        page.goto(f"{base}/o/org-a/")
        page.get_by_role("link", name="My mentoring").click()
        page.locator("#my-rooms").get_by_role("link").click()
        expect(page).to_have_url(home)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{mentor_name} & {mentee_name}")

    # 1. The agreement: each types their name; the banner stays until both have signed.
    for page, name in ((mentor, mentor_name), (mentee, mentee_name)):
        banner = page.locator("#agreement-banner")
        expect(banner).to_contain_text("Read and sign your mentoring agreement")
        banner.get_by_role("link", name="Open the agreement").click()
        expect(page.locator(".agreement-text")).to_contain_text(f"{mentor_name} mentors")
        page.get_by_label("Type your full name to sign").fill(name)
        page.get_by_role("button", name="Sign the agreement").click()
        expect(page.get_by_text("You signed the agreement. Thank you.")).to_be_visible()
        expect(page.locator("#sign")).to_contain_text("You signed version 1")
        if page is mentor:  # half signed: the banner says who is left
            page.goto(home)
            expect(page.locator("#agreement-banner")).to_contain_text(f"{mentee_name} hasn't yet")
    expect(mentee.locator(".signature-name")).to_have_text([mentor_name, mentee_name])
    shot(mentee, "rooms-01-agreement-signed")
    for page in (mentor, mentee):
        page.goto(home)
        expect(page.locator("#agreement-banner")).to_have_count(0)
        expect(page.locator("#room-meta")).to_contain_text("Signed")
    with scopes_disabled():
        signatures = AgreementSignature.objects.filter(room=room)
        assert sorted(signatures.values_list("user", "typed_name")) == [
            (cast.mentor1.pk, mentor_name),
            (cast.mentee1.pk, mentee_name),
        ]
    assert progress(room) == (1, 4)  # "Sign your mentoring agreement" completes itself

    # 2. The mentor schedules a meeting for tomorrow at 10:00 (their time zone, Berlin).
    zone = ZoneInfo(cast.org_a.time_zone)
    starts = datetime.combine(datetime.now(zone).date() + timedelta(days=1), time(10), zone)
    mentor.get_by_role("link", name="Schedule a meeting").click()
    mentor.get_by_label("Date").fill(f"{starts:%Y-%m-%d}")
    mentor.get_by_label("Time").fill("10:00")
    mentor.get_by_label("Length").select_option("45")
    mentor.get_by_label("Place").fill("Café Central")
    mentor.get_by_label("Video link").fill("https://meet.example.com/abc-defg")
    mentor.get_by_role("button", name="Schedule and invite").click()
    expect(
        mentor.get_by_text(f"Meeting scheduled. {mentee_name} gets an invitation")
    ).to_be_visible()
    with scopes_disabled():
        meeting = Meeting.objects.get(room=room)
    assert (meeting.starts_at, meeting.minutes, meeting.status) == (starts, 45, "scheduled")
    meeting_url = f"{base}/o/org-a/rooms/{room.pk}/meetings/{meeting.pk}/"
    expect(mentor).to_have_url(meeting_url)

    # The mentee sees it as the next meeting, opens it and downloads it for their calendar.
    mentee.reload()
    next_meeting = mentee.locator("#next-meeting")
    expect(next_meeting).to_contain_text(date_format(starts, "l j F, H:i"))
    expect(next_meeting).to_contain_text("45 minutes · Café Central · video link")
    next_meeting.get_by_role("link", name=date_format(starts, "l j F, H:i")).click()
    expect(mentee).to_have_url(meeting_url)
    with mentee.expect_download() as download:
        mentee.get_by_role("link", name="Add to my calendar (.ics)").click()
    assert download.value.suggested_filename == f"meeting-{starts:%Y-%m-%d}.ics"
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "PUBLISH"
    assert event["UID"].startswith(f"meeting-{meeting.pk}@")
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == starts
    assert "Café Central" in event["LOCATION"]

    # 3. Half an hour into the meeting: notes, an action item, and it is marked held.
    time_machine.move_to(starts + timedelta(minutes=30), tick=True)
    mentor.reload()
    notes = mentor.locator("#meeting-notes")
    new_note = notes.locator("form", has=mentor.get_by_role("button", name="Save note"))
    for body, private in ((SHARED, False), (PRIVATE, True)):
        new_note.get_by_label("Note").fill(body)
        new_note.get_by_label("Private: only you will ever read it").set_checked(private)
        new_note.get_by_role("button", name="Save note").click()
        expect(notes.locator(".note")).to_have_count(2 if private else 1)
    expect(notes.locator(".note-private")).to_contain_text(PRIVATE)
    expect(notes.locator(".note-private")).to_contain_text("Private: only you can read it")
    expect(notes.locator("strong")).to_have_text("stakeholder updates")  # Markdown
    mentee.reload()
    mentee_notes = mentee.locator("#meeting-notes")
    mentee_notes.get_by_label("Note").fill(MENTEE_NOTE)
    mentee_notes.get_by_role("button", name="Save note").click()
    expect(mentee_notes.locator(".note")).to_have_count(2)
    expect(mentee_notes).to_contain_text("We agreed to focus on stakeholder updates first.")
    expect(mentee_notes).to_contain_text(f"{mentor_name} · ")
    expect(mentee.locator("body")).not_to_contain_text(PRIVATE)

    due = starts.date() + timedelta(days=7)
    items = mentor.locator("#meeting-action-items")
    items.get_by_label("New action item").fill(TODO)
    items.get_by_label("Who").select_option(label=f"{mentee_name} (mentee)")
    items.get_by_label("By").fill(f"{due:%Y-%m-%d}")
    items.get_by_role("button", name="Add").click()
    expect(mentor.get_by_text("Action item added.")).to_be_visible()
    expect(items.locator(".action-item")).to_contain_text(TODO)
    expect(items.locator(".action-item")).to_contain_text(
        f"{mentee_name} · by {date_format(due, 'j M Y')}"
    )
    mentor.get_by_role("button", name="It took place").click()
    expect(mentor.get_by_text("Marked as held.")).to_be_visible()
    expect(mentor.locator("#meeting-status")).to_have_text("Held")
    shot(mentor, "rooms-02-meeting-held")
    with scopes_disabled():
        assert Meeting.objects.get(pk=meeting.pk).status == "held"
        assert sorted(Note.objects.filter(meeting=meeting).values_list("author", "private")) == [
            (cast.mentor1.pk, False),
            (cast.mentor1.pk, True),
            (cast.mentee1.pk, False),
        ]
        item = ActionItem.objects.get(room=room)
    assert (item.description, item.owner, item.due_date, item.meeting_id) == (
        TODO,
        cast.mentee1,
        due,
        meeting.pk,
    )
    assert progress(room) == (2, 4)  # "Hold your first meeting" completes itself
    mentee.goto(home)
    expect(mentee.locator("#room-action-items")).to_contain_text(TODO)
    expect(mentee.locator("#roadmap-progress")).to_contain_text("2 of 4 milestones done")

    # 4. The mentee marks "Agree your goals" done with a note, a link and a file.
    mentee.locator("#roadmap-progress").get_by_role("link", name=TO_ROADMAP).click()
    expect(mentee.get_by_role("heading", name=f"Your roadmap with {mentor_name}")).to_be_visible()
    goals = mentee.locator("#milestones > li").filter(has_text="Agree your goals")
    goals.locator("summary", has_text="Mark done, with evidence").click()
    goals.get_by_label("What did you do?").fill(EVIDENCE)
    goals.get_by_label("Link").fill("https://docs.example.com/our-goals")
    goals.get_by_label("File").set_input_files(
        {"name": "goals.txt", "mimeType": "text/plain", "buffer": b"1. Present to leadership\n"}
    )
    goals.get_by_role("button", name="Mark done").click()
    expect(mentee.locator("#roadmap-body [role=status]")).to_have_text(
        "Well done: “Agree your goals” is done."
    )
    expect(goals).to_contain_text("Done")
    expect(mentee.locator("#progress-summary")).to_have_text("3 of 4 done · 75%")
    with scopes_disabled():
        evidence = Evidence.objects.get(milestone__title="Agree your goals", author=cast.mentee1)
    assert (evidence.note, evidence.url, evidence.file_name) == (
        EVIDENCE,
        "https://docs.example.com/our-goals",
        "goals.txt",
    )

    # The mentor sees the evidence and confirms it.
    mentor.goto(home)
    mentor.locator("#roadmap-progress").get_by_role("link", name=TO_ROADMAP).click()
    goals = mentor.locator("#milestones > li").filter(has_text="Agree your goals")
    expect(goals).to_contain_text(EVIDENCE)
    expect(goals.get_by_role("link", name="goals.txt")).to_be_visible()
    goals.get_by_role("button", name="Confirm it's done").click()
    expect(mentor.locator("#roadmap-body [role=status]")).to_have_text(
        "You confirmed “Agree your goals”."
    )
    expect(goals).to_contain_text("Confirmed")
    expect(goals).to_contain_text(
        f"done {date_format(starts, 'j M Y')} by {mentee_name} · confirmed by you"
    )
    shot(mentor, "rooms-03-roadmap-confirmed")
    with scopes_disabled():
        confirmed = Milestone.objects.get(roadmap__match=room.match_id, title="Agree your goals")
    assert (confirmed.completed_by, confirmed.confirmed_by) == (cast.mentee1, cast.mentor1)
    mentor.goto(home)
    expect(mentor.locator("#roadmap-progress")).to_contain_text("3 of 4 milestones done")
    expect(mentor.locator("#roadmap-progress progress")).to_have_attribute("value", "75")

    # 5. Messages. The mentee writes; the mentor's room shows it unread until they read it.
    mentee.goto(home)
    mentee.locator("#room-messages-summary").get_by_role("link", name="Messages").click()
    mentee.get_by_label(f"Message to {mentor_name}").fill("Thanks for today!")
    mentee.get_by_role("button", name="Send").click()
    expect(mentee.locator("#thread")).to_contain_text("Thanks for today!")
    mentee.goto(home)
    mentor.reload()
    expect(mentor.locator("#room-messages-summary")).to_contain_text("1 unread")
    expect(mentor.locator("#nav-unread")).to_contain_text("1 unread message")
    mentor.locator("#room-messages-summary").get_by_role("link", name="Messages").click()
    expect(mentor.locator("#thread")).to_contain_text("Thanks for today!")
    mentor.get_by_label(f"Message to {mentee_name}").fill("My pleasure. See you next week.")
    mentor.get_by_role("button", name="Send").click()
    expect(mentor.locator("#thread .mine")).to_contain_text("My pleasure. See you next week.")
    # The mentor's answer waits for the mentee, unread, in their room.
    mentee.reload()
    expect(mentee.locator("#room-messages-summary")).to_contain_text("1 unread")
    mentee.locator("#room-messages-summary").get_by_role("link", name="Messages").click()
    expect(mentee.locator("#thread")).to_contain_text("My pleasure. See you next week.")
    # Her reply reaches the mentor's open thread by itself (htmx polls for new messages).
    mentee.get_by_label(f"Message to {mentor_name}").fill("Great, the draft will be ready.")
    mentee.get_by_role("button", name="Send").click()
    expect(mentor.locator("#thread")).to_contain_text(
        "Great, the draft will be ready.", timeout=POLL
    )
    shot(mentor, "rooms-04-messages")
    with scopes_disabled():
        authors = Message.objects.filter(room=room).order_by("created_at")
        assert list(authors.values_list("author", flat=True)) == [
            cast.mentee1.pk,
            cast.mentor1.pk,
            cast.mentee1.pk,
        ]
        assert ReadMark.objects.filter(room=room).count() == 2
    mentor.goto(home)
    expect(mentor.locator("#room-messages-summary")).not_to_contain_text("unread")

    # 6. Feedback on their first meeting, which also asks whether it is a good fit.
    for page, usefulness, fit in ((mentor, "4", "Yes"), (mentee, "5", "Not sure")):
        page.goto(meeting_url)
        form = page.locator("#meeting-feedback")
        expect(form.get_by_role("heading")).to_have_text("How was your meeting?")
        form.locator("label", has_text=re.compile(f"^{usefulness}$")).click()
        expect(form.get_by_role("radio", name=usefulness, exact=True)).to_be_checked()
        form.get_by_label("What would make your next meeting more useful?").fill("More time.")
        form.locator("label", has_text=re.compile(f"^{fit}$")).click()
        form.get_by_role("button", name="Send feedback").click()
        expect(form).to_contain_text(
            f"You rated it {usefulness} of 5 and said this is a good fit: {fit.lower()}."
        )
    with scopes_disabled():
        answers = MeetingFeedback.objects.filter(meeting=meeting)
        assert sorted(answers.values_list("author", "usefulness", "comment", "good_fit")) == [
            (cast.mentor1.pk, 4, "More time.", "yes"),
            (cast.mentee1.pk, 5, "More time.", "not_sure"),
        ]

    # 7. The room's home (the mentee's) and the meeting (the mentor's) on a laptop and a phone.
    mentee.goto(home)
    mentor.goto(meeting_url)
    for width in (1366, 390):
        for page, name in ((mentee, "home"), (mentor, "meeting")):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate(PROBLEMS) == [], (name, width)
            shot(page, f"rooms-{name}-{width}")
    watch.assert_clean()
