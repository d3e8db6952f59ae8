"""Matching modes: mentee chooses (suggestions, requests, answers, expiry) and automatic."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from matching import notifications
from matching.models import Match, MatchRun, MentorRequest, Suggestion
from matching.services import choice, runs
from matching.tasks import expire_mentor_requests
from mentorship.models import AuditLogEntry, Notification
from tests.factories import EnrollmentFactory, ProfileFactory, ProgramFactory

pytestmark = pytest.mark.django_db

SKILLS = ["python", "sql", "public speaking", "negotiation"]


def enrol(program, user, role, k, *, capacity=None):
    enrollment = EnrollmentFactory(
        program=program, user=user, role=role, capacity=capacity if role == "mentor" else None
    )
    ProfileFactory(
        enrollment=enrollment,
        skills={SKILLS[k % 4]: 3, SKILLS[(k + 1) % 4]: 2},
        years_experience=3 if role == "mentee" else 10 + k,
    )
    return enrollment


@pytest.fixture
def chooser(cast, django_capture_on_commit_callbacks):
    """A mentee-chooses program: mentees 1 and 2, mentors 1 (capacity 1) and 2 (capacity 2),
    a run published for choice."""
    program = ProgramFactory(
        organization=cast.org_a, slug="choose", status="active", matching_mode="mentee_chooses"
    )
    p = type("P", (), {})()
    p.program = program
    p.mentee1 = enrol(program, cast.mentee1, "mentee", 0)
    p.mentee2 = enrol(program, cast.mentee2, "mentee", 1)
    p.mentor1 = enrol(program, cast.mentor1, "mentor", 0, capacity=1)
    p.mentor2 = enrol(program, cast.mentor2, "mentor", 1, capacity=2)
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        run = runs.start_run(program=program, actor=cast.admin)
    run.refresh_from_db()
    assert run.status == "done"
    mail.outbox = []
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        assert runs.publish_run(run=run, actor=cast.admin) == []
    run.refresh_from_db()
    p.run = run
    return p


def suggestion(p, mentee, mentor):
    with scopes_disabled():
        return Suggestion.objects.select_related("mentor__program", "mentee__program").get(
            run=p.run, mentee=mentee, mentor=mentor
        )


def page(name, program, **kwargs):
    return reverse(
        f"matching:{name}",
        kwargs={"org_slug": program.organization.slug, "program_slug": program.slug, **kwargs},
    )


def api(path, program):
    return f"/api/v1/orgs/{program.organization.slug}/programs/{program.slug}/matching/{path}"


def request_(cast, p, mentee, mentor, callbacks, message="Hello"):
    with scope(organization=cast.org_a), callbacks(execute=True):
        return choice.request_mentor(
            suggestion=suggestion(p, mentee, mentor), mentee=mentee, message=message, actor=None
        )


# --- Publishing in each mode ---------------------------------------------------------------------


def test_publishing_for_choosing_makes_no_match_and_tells_mentees(cast, chooser):
    run = chooser.run
    assert run.status == "published" and run.for_choosing
    with scopes_disabled():
        assert Match.objects.filter(program=chooser.program).count() == 0
        # Each mentee's top 5 (here: both mentors) were stored, with plain-words explanations.
        mine = Suggestion.objects.filter(run=run, mentee=chooser.mentee1)
        assert mine.count() == 2
        for s in mine:
            assert s.explanations and all(item["text"] for item in s.explanations)
            total = sum(item["contribution"] for item in s.explanations)
            assert total == pytest.approx(s.score, abs=1e-9)
        entry = AuditLogEntry.objects.get(action="match_run.published")
        assert entry.data == {"mode": "mentee_chooses", "mentees": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["mentee1@a.example", "mentee2@a.example"]
    assert all("Choose your mentor" in m.subject for m in mail.outbox)


def test_admin_mode_publish_still_creates_matches(cast, django_capture_on_commit_callbacks):
    program = ProgramFactory(organization=cast.org_a, status="active", matching_mode="admin")
    enrol(program, cast.mentee1, "mentee", 0)
    enrol(program, cast.mentor1, "mentor", 0, capacity=1)
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        run = runs.start_run(program=program, actor=cast.admin)
    run.refresh_from_db()
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        matches = runs.publish_run(run=run, actor=cast.admin)
    run.refresh_from_db()
    assert len(matches) == 1 and run.status == "published" and not run.for_choosing


def test_automatic_mode_publishes_itself_and_tells_admins_once(
    cast, django_capture_on_commit_callbacks
):
    program = ProgramFactory(organization=cast.org_a, status="active", matching_mode="automatic")
    enrol(program, cast.mentee1, "mentee", 0)
    enrol(program, cast.mentor1, "mentor", 0, capacity=1)
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        run = runs.start_run(program=program, actor=cast.admin)
    run.refresh_from_db()
    assert run.status == "published" and run.published_by is None and not run.for_choosing
    with scopes_disabled():
        match = Match.objects.get(program=program)
        assert (match.mentee.email, match.mentor.email, match.created_by) == (
            "mentee1@a.example",
            "mentor1@a.example",
            None,
        )
    to_admins = [m for m in mail.outbox if m.to == ["admin@a.example"]]
    assert len(to_admins) == 1 and "published its matches" in to_admins[0].subject
    # Both people of the pair are told too.
    assert sorted(m.to[0] for m in mail.outbox if m not in to_admins) == [
        "mentee1@a.example",
        "mentor1@a.example",
    ]
    # Telling the admins again sends nothing.
    mail.outbox = []
    with scope(organization=cast.org_a):
        assert notifications.tell_run_published(run, True) == 0
    assert mail.outbox == []


def test_automatic_mode_stale_pool_waits_for_review(cast, django_capture_on_commit_callbacks):
    program = ProgramFactory(organization=cast.org_a, status="active", matching_mode="automatic")
    enrol(program, cast.mentee1, "mentee", 0)
    enrol(program, cast.mentor1, "mentor", 0, capacity=1)
    with scope(organization=cast.org_a):
        run = MatchRun.objects.create(organization=cast.org_a, program=program, number=1)
        run.pool_fingerprint = "stale"
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        runs.publish_automatically(MatchRun.objects.get(pk=run.pk))
    run.refresh_from_db()
    assert run.status == "queued"
    assert [m.subject for m in mail.outbox] == [f"Run 1 waits for your review · {program.name}"]


# --- Requests ------------------------------------------------------------------------------------


def test_one_open_request_per_mentee(cast, chooser, django_capture_on_commit_callbacks):
    p = chooser
    mail.outbox = []
    first = request_(cast, p, p.mentee1, p.mentor1, django_capture_on_commit_callbacks)
    assert first.status == "pending"
    assert [m.to for m in mail.outbox] == [["mentor1@a.example"]]
    assert "asks you to be their mentor" in mail.outbox[0].subject
    with pytest.raises(ValidationError, match="open request already"):
        request_(cast, p, p.mentee1, p.mentor2, django_capture_on_commit_callbacks)
    with scopes_disabled():
        assert MentorRequest.objects.filter(mentee=p.mentee1).count() == 1
    # Withdrawn: the mentee may request another.
    with scope(organization=cast.org_a):
        choice.withdraw(mentor_request=first, actor=cast.mentee1)
    second = request_(cast, p, p.mentee1, p.mentor2, django_capture_on_commit_callbacks)
    assert second.mentor == p.mentor2


def test_accept_creates_the_match_and_capacity_full_is_refused(
    cast, chooser, django_capture_on_commit_callbacks
):
    p = chooser
    r1 = request_(cast, p, p.mentee1, p.mentor1, django_capture_on_commit_callbacks)
    r2 = request_(cast, p, p.mentee2, p.mentor1, django_capture_on_commit_callbacks)
    mail.outbox = []
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        match = choice.accept(mentor_request=r1, message="Welcome", actor=cast.mentor1)
    with scopes_disabled():
        assert (match.mentee_id, match.mentor_id, match.status) == (
            p.mentee1.pk,
            p.mentor1.pk,
            "active",
        )
        assert match.score == suggestion(p, p.mentee1, p.mentor1).score
        # The match keeps the why, in plain words.
        assert match.explanations == suggestion(p, p.mentee1, p.mentor1).explanations != []
        assert match.run_id == p.run.pk
        assert MentorRequest.objects.get(pk=r1.pk).status == "accepted"
    assert [m.to for m in mail.outbox] == [["mentee1@a.example"]]
    assert "is your mentor" in mail.outbox[0].subject
    # Mentor 1 has capacity 1: the next acceptance is refused, nothing written.
    with scope(organization=cast.org_a), pytest.raises(ValidationError, match="no place left"):
        choice.accept(mentor_request=r2, actor=cast.mentor1)
    with scopes_disabled():
        assert Match.objects.filter(mentor=p.mentor1).count() == 1
        assert MentorRequest.objects.get(pk=r2.pk).status == "pending"
    # …and a new request to a full mentor is refused upfront.
    with scope(organization=cast.org_a):
        choice.decline(mentor_request=r2, actor=cast.mentor1)
    with pytest.raises(ValidationError, match="declined already"):
        request_(cast, p, p.mentee2, p.mentor1, django_capture_on_commit_callbacks)


def test_declined_mentee_requests_another(cast, chooser, django_capture_on_commit_callbacks):
    p = chooser
    r = request_(cast, p, p.mentee1, p.mentor1, django_capture_on_commit_callbacks)
    mail.outbox = []
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        choice.decline(mentor_request=r, message="Too busy", actor=cast.mentor1)
    assert "declined your request" in mail.outbox[0].subject
    assert "Too busy" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="declined already"):
        request_(cast, p, p.mentee1, p.mentor1, django_capture_on_commit_callbacks)
    assert request_(cast, p, p.mentee1, p.mentor2, django_capture_on_commit_callbacks).is_open


def test_more_information_round_trip(cast, chooser, django_capture_on_commit_callbacks):
    p = chooser
    r = request_(cast, p, p.mentee1, p.mentor1, django_capture_on_commit_callbacks)
    mail.outbox = []
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            choice.ask_more(mentor_request=r, message="  ", actor=cast.mentor1)
        choice.ask_more(mentor_request=r, message="What do you hope for?", actor=cast.mentor1)
    r.refresh_from_db()
    assert (r.status, r.mentor_reply, r.is_open) == ("more_info", "What do you hope for?", True)
    assert [m.to for m in mail.outbox] == [["mentee1@a.example"]]
    # While the question is open, the mentee still can't request anyone else.
    with pytest.raises(ValidationError, match="open request already"):
        request_(cast, p, p.mentee1, p.mentor2, django_capture_on_commit_callbacks)
    mail.outbox = []
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        choice.answer(mentor_request=r, message="To lead a team", actor=cast.mentee1)
        with pytest.raises(ValidationError, match="hasn't asked"):
            choice.answer(mentor_request=r, message="Again", actor=cast.mentee1)
    r.refresh_from_db()
    assert (r.status, r.message) == ("pending", "To lead a team")
    assert [m.to for m in mail.outbox] == [["mentor1@a.example"]]
    assert "To lead a team" in mail.outbox[0].body
    # A second question is a new round: it is emailed again.
    mail.outbox = []
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        choice.ask_more(mentor_request=r, message="When can you meet?", actor=cast.mentor1)
    assert len(mail.outbox) == 1


def test_expiry_sweep_is_idempotent_and_emails_once(
    cast, chooser, django_capture_on_commit_callbacks
):
    p = chooser
    r = request_(cast, p, p.mentee1, p.mentor1, django_capture_on_commit_callbacks)
    fresh = request_(cast, p, p.mentee2, p.mentor2, django_capture_on_commit_callbacks)
    assert r.expires_at - r.created_at == pytest.approx(timedelta(days=7), abs=timedelta(seconds=5))
    with scopes_disabled():
        MentorRequest.objects.filter(pk=r.pk).update(expires_at=timezone.now() - timedelta(1))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_mentor_requests.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_mentor_requests.delay().get() == 0
    r.refresh_from_db()
    fresh.refresh_from_db()
    assert (r.status, fresh.status) == ("expired", "pending")
    assert [m.to for m in mail.outbox] == [["mentee1@a.example"]]
    assert mail.outbox[0].subject.startswith("Your request to ")
    assert f"expired · {p.program.name}" in mail.outbox[0].subject
    # Told again (a retry of the sweep) sends nothing more.
    with scope(organization=cast.org_a):
        assert notifications.tell_request_event(r, "expired") is None
    assert len(mail.outbox) == 1
    with scopes_disabled():
        assert Notification.objects.filter(key=f"mentor-request:{r.pk}:expired:0").count() == 1
    # An expired request is closed: the mentee may request again.
    assert request_(cast, p, p.mentee1, p.mentor2, django_capture_on_commit_callbacks).is_open


def test_expiry_days_come_from_the_settings(cast, chooser, django_capture_on_commit_callbacks):
    with scopes_disabled():
        chooser.program.matching_settings.__class__.objects.filter(program=chooser.program).update(
            request_expiry_days=2
        )
    r = request_(
        cast, chooser, chooser.mentee1, chooser.mentor1, django_capture_on_commit_callbacks
    )
    assert r.expires_at - r.created_at == pytest.approx(timedelta(days=2), abs=timedelta(seconds=5))


def test_requests_only_in_mentee_chooses_mode(cast, chooser, django_capture_on_commit_callbacks):
    with scopes_disabled():
        type(chooser.program).objects.filter(pk=chooser.program.pk).update(matching_mode="admin")
    chooser.mentee1.program.refresh_from_db()
    with pytest.raises(ValidationError, match="nothing to choose"):
        request_(
            cast, chooser, chooser.mentee1, chooser.mentor1, django_capture_on_commit_callbacks
        )


# --- Pages and API: privacy ----------------------------------------------------------------------


def test_mentee_page_shows_own_suggestions_with_explanations(client, cast, chooser):
    client.force_login(cast.mentee1)
    response = client.get(page("suggestions", chooser.program))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="card h-100 suggestion"') == 2
    with scopes_disabled():
        own = Suggestion.objects.filter(run=chooser.run, mentee=chooser.mentee1)
        other = Suggestion.objects.filter(run=chooser.run, mentee=chooser.mentee2)
        for s in own:
            assert f'id="suggestion-{s.pk}"' in html
            # Said to her: "… the skills you want to learn", not her name.
            said = runs.worded(
                s.explanations,
                mentee=chooser.mentee1.display_name,
                mentor=s.mentor.display_name,
                reader="mentee",
            )
            # Only what adds to the fit: a criterion that contributes nothing is left out.
            shown = runs.contributing(said)
            for item in said:
                if item in shown:
                    assert escape(item["text"]) in html
                else:
                    assert escape(item["text"]) not in html
        for s in other:
            assert f'id="suggestion-{s.pk}"' not in html
    # The program page links to it.
    detail = client.get(reverse("programs:detail", args=[cast.org_a.slug, chooser.program.slug]))
    assert page("suggestions", chooser.program) in detail.content.decode()


def test_mentee_cannot_read_or_request_others_suggestions(
    client, cast, chooser, django_capture_on_commit_callbacks
):
    other = suggestion(chooser, chooser.mentee2, chooser.mentor1)
    api_client = APIClient()
    api_client.force_authenticate(cast.mentee1)
    listed = api_client.get(api("my-suggestions/", chooser.program))
    assert listed.status_code == 200
    with scopes_disabled():
        own = set(
            Suggestion.objects.filter(run=chooser.run, mentee=chooser.mentee1).values_list(
                "pk", flat=True
            )
        )
    assert {row["id"] for row in listed.json()} == own
    assert "mentee" not in listed.json()[0]  # only the mentor, the score and the why
    assert api_client.get(api(f"my-suggestions/{other.pk}/", chooser.program)).status_code == 404
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        posted = api_client.post(
            api(f"my-suggestions/{other.pk}/request/", chooser.program), {}, format="json"
        )
    assert posted.status_code == 404
    client.force_login(cast.mentee1)
    assert client.post(page("suggestion-request", chooser.program, pk=other.pk)).status_code == 404
    with scopes_disabled():
        assert MentorRequest.objects.count() == 0
    assert mail.outbox == []


def test_mentor_cannot_act_on_others_requests(
    client, cast, chooser, django_capture_on_commit_callbacks
):
    r = request_(
        cast, chooser, chooser.mentee1, chooser.mentor1, django_capture_on_commit_callbacks
    )
    mail.outbox = []
    api_client = APIClient()
    api_client.force_authenticate(cast.mentor2)
    assert api_client.get(api("requests/", chooser.program)).json()["results"] == []
    assert api_client.get(api(f"requests/{r.pk}/", chooser.program)).status_code == 404
    for action in ("accept", "decline"):
        response = api_client.post(api(f"requests/{r.pk}/{action}/", chooser.program), {})
        assert response.status_code == 404
    client.force_login(cast.mentor2)
    response = client.post(page("request-respond", chooser.program, pk=r.pk), {"action": "accept"})
    assert response.status_code == 404
    # The other mentee can't withdraw it either.
    client.force_login(cast.mentee2)
    response = client.post(page("my-request", chooser.program, pk=r.pk), {"action": "withdraw"})
    assert response.status_code == 404
    r.refresh_from_db()
    assert r.status == "pending" and mail.outbox == []
    with scopes_disabled():
        assert Match.objects.count() == 0


def test_the_conversation_keeps_every_message_in_order_on_both_pages(
    client, cast, chooser, django_capture_on_commit_callbacks
):
    p = chooser
    r = request_(cast, p, p.mentee1, p.mentor1, django_capture_on_commit_callbacks, "Hello <b>")
    mentor_name, mentee_name = p.mentor1.display_name, p.mentee1.display_name
    client.force_login(cast.mentee1)
    assert (
        f"Waiting for {mentor_name}" in client.get(page("suggestions", p.program)).content.decode()
    )
    said = [
        (cast.mentor1, "request-respond", {"action": "ask", "message": "What do you hope for?"}),
        (cast.mentee1, "my-request", {"action": "answer", "message": "To lead a team"}),
        (cast.mentor1, "request-respond", {"action": "ask", "message": "When can you meet?"}),
    ]
    for user, name, data in said:
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(page(name, p.program, pk=r.pk), data).status_code == 302
    client.force_login(cast.mentee1)
    html = client.get(page("suggestions", p.program)).content.decode()
    # The mentor answered with a question: the mentee's status says it is their turn.
    assert f"{escape(mentor_name)} asks you something" in html
    bodies = ["Hello &lt;b&gt;", "What do you hope for?", "To lead a team", "When can you meet?"]
    positions = [html.find(b) for b in bodies]
    assert -1 not in positions and positions == sorted(positions)
    assert html.count('class="conversation-message mine"') == 2
    client.force_login(cast.mentor1)
    html = client.get(page("requests", p.program)).content.decode()
    positions = [html.find(b) for b in bodies]
    assert -1 not in positions and positions == sorted(positions)
    assert html.count('class="conversation-message mine"') == 2
    assert escape(mentee_name) in html
    # The API gives the same conversation, oldest first.
    api_client = APIClient()
    api_client.force_authenticate(cast.mentee1)
    row = api_client.get(api(f"my-requests/{r.pk}/", p.program)).json()
    assert [(m["author"], m["body"]) for m in row["conversation"]] == [
        ("mentee", "Hello <b>"),
        ("mentor", "What do you hope for?"),
        ("mentee", "To lead a team"),
        ("mentor", "When can you meet?"),
    ]
    # Declining with a message ends the conversation with it.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            page("request-respond", p.program, pk=r.pk),
            {"action": "decline", "message": "Sorry, I'm full"},
        )
    with scopes_disabled():
        assert list(r.conversation.values_list("author", flat=True)) == [
            "mentee", "mentor", "mentee", "mentor", "mentor"
        ]  # fmt: skip


def test_api_full_flow(cast, chooser, django_capture_on_commit_callbacks):
    mentee, mentor = APIClient(), APIClient()
    mentee.force_authenticate(cast.mentee1)
    mentor.force_authenticate(cast.mentor2)
    target = suggestion(chooser, chooser.mentee1, chooser.mentor2)
    with django_capture_on_commit_callbacks(execute=True):
        created = mentee.post(
            api(f"my-suggestions/{target.pk}/request/", chooser.program),
            {"message": "Hi"},
            format="json",
        )
    assert created.status_code == 201, created.json()
    rid = created.json()["id"]
    assert created.json()["status"] == "pending"
    again = mentee.post(api(f"my-suggestions/{target.pk}/request/", chooser.program), {})
    assert again.status_code == 400
    incoming = mentor.get(api("requests/", chooser.program)).json()["results"]
    assert [row["id"] for row in incoming] == [rid]
    asked = mentor.post(api(f"requests/{rid}/ask/", chooser.program), {}, format="json")
    assert asked.status_code == 400
    assert [e["attr"] for e in asked.json()["errors"]] == ["message"]
    asked = mentor.post(api(f"requests/{rid}/ask/", chooser.program), {"message": "Why?"})
    assert asked.json()["status"] == "more_info"
    answered = mentee.post(api(f"my-requests/{rid}/answer/", chooser.program), {"message": "X"})
    assert answered.json()["status"] == "pending"
    accepted = mentor.post(api(f"requests/{rid}/accept/", chooser.program), {})
    assert accepted.status_code == 200
    assert accepted.json()["mentee"]["email"] == "mentee1@a.example"
    mine = mentee.get(api("my-requests/", chooser.program)).json()["results"]
    assert [(row["id"], row["status"]) for row in mine] == [(rid, "accepted")]


def test_mentor_page_lists_and_answers_requests(
    client, cast, chooser, django_capture_on_commit_callbacks
):
    r = request_(
        cast, chooser, chooser.mentee1, chooser.mentor1, django_capture_on_commit_callbacks
    )
    client.force_login(cast.mentor1)
    listing = client.get(page("requests", chooser.program))
    assert listing.status_code == 200
    assert f'id="request-{r.pk}"' in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page("request-respond", chooser.program, pk=r.pk), {"action": "accept"}
        )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "accepted"
    with scopes_disabled():
        assert Match.objects.filter(mentee=chooser.mentee1, mentor=chooser.mentor1).exists()


def test_expiry_days_setting_through_the_api(cast, chooser):
    client = APIClient()
    client.force_authenticate(cast.admin)
    body = {
        "questions": ["skills"],
        "career_goal_options": [],
        "weights": {"skills": 1.0},
        "hard_rules": {},
        "request_expiry_days": 31,
    }
    url = api("settings/", chooser.program)
    refused = client.put(url, body, format="json")
    assert refused.status_code == 400
    assert [e["attr"] for e in refused.json()["errors"]] == ["request_expiry_days"]
    saved = client.put(url, {**body, "request_expiry_days": 3}, format="json")
    assert saved.status_code == 200 and saved.json()["request_expiry_days"] == 3
