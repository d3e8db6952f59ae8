"""Rematching: pause, resume, end and dissolve a match (pages, API, services), emails, a rematch
that never proposes the previous mentor, the admins' matches page and each participant's own."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from django_scopes import scope, scopes_disabled

from matching import notifications
from matching.models import Match, MatchingSettings, MatchRun, Suggestion
from matching.services import matches as match_services
from matching.services.pool import load_pool
from mentorship.models import AuditLogEntry, Notification
from tests.factories import EnrollmentFactory, MatchFactory, ProfileFactory, ProgramFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

ORG = {"org_slug": "org-a", "program_slug": "pilot"}


@pytest.fixture
def program(cast):
    return ProgramFactory(organization=cast.org_a, slug="pilot", status="active")


def person(program, role, name, *, capacity=None, user=None, skills=None):
    extra = {"user": user} if user is not None else {"user__email": f"{name}@pool.example"}
    enrollment = EnrollmentFactory(
        program=program, role=role, capacity=capacity if role == "mentor" else None, **extra
    )
    ProfileFactory(enrollment=enrollment, skills=skills or {"python": 3}, languages=["en"])
    return enrollment


@pytest.fixture
def pair(cast, program):
    """An active match: mentee1 with mentor1 (the cast's), both with profiles."""
    mentee = person(program, "mentee", "m", user=cast.mentee1)
    mentor = person(program, "mentor", "t", user=cast.mentor1, capacity=1)
    return MatchFactory(program=program, mentee=mentee, mentor=mentor)


def page(name, **kwargs):
    return reverse(f"matching:{name}", kwargs={**ORG, **kwargs})


def api(name, **kwargs):
    return reverse(f"api:{name}", kwargs={**ORG, **kwargs})


def state(match):
    with scopes_disabled():
        match.refresh_from_db()
        audits = AuditLogEntry.objects.filter(action__startswith="match.").count()
    return match.status, match.end_reason, match.ended_at is not None, audits


def post(client, url, data, callbacks, **kwargs):
    mail.outbox = []
    with callbacks(execute=True):
        return client.post(url, data, **kwargs)


# --- Transitions ---------------------------------------------------------------------------------


def test_pause_resume_end_through_the_pages(client, cast, pair, django_capture_on_commit_callbacks):
    client.force_login(cast.admin)
    url = page("match-status", pk=pair.pk)
    response = post(client, url, {"action": "pause"}, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == page("matches")
    assert state(pair) == ("paused", "", False, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["mentee1@a.example", "mentor1@a.example"]
    assert "paused" in mail.outbox[0].subject
    response = post(client, url, {"action": "resume"}, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert state(pair) == ("active", "", False, 2)
    assert mail.outbox == []  # resuming is not announced
    form = client.get(url, {"action": "end"})
    assert form.status_code == 200 and b'name="reason"' in form.content
    response = post(
        client,
        url,
        {"action": "end", "reason": " Goals reached "},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert state(pair) == ("ended", "Goals reached", True, 3)
    assert len(mail.outbox) == 2 and "complete" in mail.outbox[0].subject
    with scopes_disabled():
        entry = AuditLogEntry.objects.filter(action="match.ended").get()
    assert entry.actor == cast.admin and entry.data == {"from": "active", "reason": "Goals reached"}


def test_dissolve_through_the_api(api_client, cast, pair, django_capture_on_commit_callbacks):
    api_client.force_authenticate(cast.admin)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            api("match-dissolve", pk=pair.pk), {"reason": "No spark"}, format="json"
        )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "dissolved" and body["end_reason"] == "No spark"
    assert body["mentee"]["email"] == "mentee1@a.example"
    assert state(pair) == ("dissolved", "No spark", True, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["mentee1@a.example", "mentor1@a.example"]
    assert "dissolved" in mail.outbox[0].body or "dissolved" in mail.outbox[1].body


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "end"}, "reason"),
        ({"action": "dissolve", "reason": "   "}, "reason"),
        ({"action": "dissolve", "reason": "x" * 1001}, "reason"),
        ({"action": "explode", "reason": "Because"}, "action"),
        ({"action": "resume"}, None),  # it is active, not paused
    ],
)
def test_bad_input_on_the_page_changes_nothing(
    client, cast, pair, django_capture_on_commit_callbacks, data, field
):
    client.force_login(cast.admin)
    response = post(
        client, page("match-status", pk=pair.pk), data, django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    if field:
        assert response.context["form"].errors[field]
    else:
        assert response.context["form"].non_field_errors() == [
            "This match is active; it can't be resumed."
        ]
    assert state(pair) == ("active", "", False, 0)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("action", "data", "error"),
    [
        ("match-end", {}, {"reason": ["This field is required."]}),
        ("match-dissolve", {"reason": ""}, {"reason": ["This field may not be blank."]}),
        (
            "match-end",
            {"reason": "y" * 1001},
            {"reason": ["Ensure this field has no more than 1000 characters."]},
        ),
        ("match-resume", {}, ["This match is active; it can't be resumed."]),
    ],
)
def test_bad_input_on_the_api_changes_nothing(
    api_client, cast, pair, django_capture_on_commit_callbacks, action, data, error
):
    api_client.force_authenticate(cast.admin)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(api(action, pk=pair.pk), data, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    got = {e["attr"]: e["detail"] for e in body["errors"]}
    expected = error if isinstance(error, dict) else {"non_field_errors": error}
    assert {k: [v] for k, v in got.items()} == expected
    assert state(pair) == ("active", "", False, 0)
    assert mail.outbox == []


@pytest.mark.parametrize("closed", ["ended", "dissolved"])
def test_closed_matches_are_immutable(cast, pair, closed):
    with scope(organization=cast.org_a):
        Match.objects.filter(pk=pair.pk).update(status=closed, end_reason="Done")
        for action in ["pause", "resume", "end", "dissolve"]:
            with pytest.raises(Exception, match=f"This match is {closed}; it can't be changed."):
                match_services.change_status(
                    match=pair, actor=cast.admin, action=action, reason="Again"
                )
    assert state(pair) == (closed, "Done", False, 0)


def test_a_closed_program_refuses_every_change(
    api_client, cast, program, pair, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        type(program).objects.filter(pk=program.pk).update(status="closed")
    api_client.force_authenticate(cast.admin)
    for action, data in [("match-pause", {}), ("match-end", {"reason": "Finished"})]:
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post(api(action, pk=pair.pk), data, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["detail"] == (
            "This program is closed; its data is read-only."
        )
    assert state(pair) == ("active", "", False, 0)
    with scopes_disabled():
        Match.objects.filter(pk=pair.pk).update(status="dissolved")
        runs_before = MatchRun.objects.count()
    response = api_client.post(api("match-rematch", pk=pair.pk), format="json")
    assert response.status_code == 400
    with scopes_disabled():
        assert MatchRun.objects.count() == runs_before


def test_hr_reads_members_are_refused(client, api_client, cast, pair):
    client.force_login(cast.hr)
    assert client.get(page("matches")).status_code == 200
    assert client.post(page("match-status", pk=pair.pk), {"action": "pause"}).status_code == 403
    client.force_login(cast.mentee2)  # not in the program: it doesn't learn the program exists
    assert client.get(page("matches")).status_code == 404
    client.force_login(cast.mentee1)
    assert client.get(page("matches")).status_code == 403
    api_client.force_authenticate(cast.mentee1)
    assert api_client.get(api("match-list")).status_code == 403
    assert api_client.post(api("match-pause", pk=pair.pk), format="json").status_code == 403
    assert state(pair) == ("active", "", False, 0)


# --- Emails --------------------------------------------------------------------------------------


def test_each_change_is_emailed_once(cast, pair, django_capture_on_commit_callbacks):
    mail.outbox = []
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        match_services.pause_match(match=pair, actor=cast.admin)
    assert len(mail.outbox) == 2
    with scopes_disabled():
        entry = AuditLogEntry.objects.get(action="match.paused")
    # Told again (a retry, a second worker): nothing more is sent.
    with scope(organization=cast.org_a):
        assert notifications.tell_match_changed(pair, "paused", entry.pk) == 0
    assert len(mail.outbox) == 2
    # A second pause later is a change of its own: told again.
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        match_services.resume_match(match=pair, actor=cast.admin)
        match_services.pause_match(match=pair, actor=cast.admin, reason="Holidays")
    assert len(mail.outbox) == 4
    with scopes_disabled():
        assert Notification.objects.filter(key__startswith=f"match:{pair.pk}:paused:").count() == 4


# --- Back into the pool, and a rematch -----------------------------------------------------------


def _pool(program):
    with scope(organization=program.organization):
        pool = load_pool(program)
    return [e.email for e in pool.mentees], [e.email for e in pool.mentors]


def test_ending_frees_the_mentee_and_the_mentors_seat(cast, program, pair):
    assert _pool(program) == ([], [])
    with scope(organization=cast.org_a):
        match_services.end_match(match=pair, actor=cast.admin, reason="Goals reached")
    assert _pool(program) == (["mentee1@a.example"], ["mentor1@a.example"])


@pytest.mark.parametrize("no_repair", [True, False])
def test_rematch_never_proposes_the_previous_mentor(
    client, cast, program, pair, django_capture_on_commit_callbacks, no_repair
):
    # The previous mentor is the best fit by far and has a free seat again; another mentor
    # fits less well but is available.
    person(program, "mentor", "other", capacity=1, skills={"sql": 1})
    with scope(organization=cast.org_a):
        MatchingSettings.objects.create(
            organization=cast.org_a,
            program=program,
            hard_rules={"no_repair": True} if no_repair else {},
        )
        match_services.dissolve_match(match=pair, actor=cast.admin, reason="No spark")
    client.force_login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page("match-rematch", pk=pair.pk))
    with scopes_disabled():
        run = MatchRun.objects.get(program=program)
        proposed = list(
            Suggestion.objects.filter(run=run).values_list(
                "mentee__email", "mentor__email", "assigned"
            )
        )
        audit = AuditLogEntry.objects.get(action="match.rematch")
    assert response.status_code == 302 and response.url == page("run", number=run.number)
    assert run.status == "done"
    assert proposed == [("mentee1@a.example", "other@pool.example", True)]
    assert audit.data == {"run": run.number}


def test_rematch_in_mentee_chooses_mode_never_offers_the_previous_mentor(
    cast, program, pair, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        type(program).objects.filter(pk=program.pk).update(matching_mode="mentee_chooses")
        program.refresh_from_db()
    for k in range(3):
        person(program, "mentor", f"alt{k}", capacity=1, skills={"sql": 1})
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        match_services.end_match(match=pair, actor=cast.admin, reason="Completed")
        run = match_services.rematch(match=pair, actor=cast.admin)
    with scopes_disabled():
        offered = set(Suggestion.objects.filter(run=run).values_list("mentor__email", flat=True))
    assert offered == {"alt0@pool.example", "alt1@pool.example", "alt2@pool.example"}


def test_rematch_is_refused_for_an_open_match_or_a_mentee_matched_again(
    api_client, cast, program, pair
):
    api_client.force_authenticate(cast.admin)
    response = api_client.post(api("match-rematch", pk=pair.pk), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == (
        "End or dissolve this match before looking for a new mentor."
    )
    with scopes_disabled():
        Match.objects.filter(pk=pair.pk).update(status="dissolved")
    other = person(program, "mentor", "other", capacity=1)
    MatchFactory(program=program, mentee=pair.mentee, mentor=other)
    response = api_client.post(api("match-rematch", pk=pair.pk), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == "The mentee already has another match."
    with scopes_disabled():
        assert not MatchRun.objects.exists()


def test_rematch_through_the_api_returns_the_run(
    api_client, cast, program, pair, django_capture_on_commit_callbacks
):
    person(program, "mentor", "other", capacity=1)
    with scope(organization=cast.org_a):
        match_services.dissolve_match(match=pair, actor=cast.admin, reason="No spark")
    api_client.force_authenticate(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(api("match-rematch", pk=pair.pk), format="json")
    assert response.status_code == 201
    assert response.json()["number"] == 1
    with scopes_disabled():
        assert MatchRun.objects.get(program=program).status == "done"


# --- The matches page and list -------------------------------------------------------------------


def _matches(program, n):
    for _ in range(n):
        MatchFactory(program=program)


def test_matches_page_and_api_list_run_constant_queries(client, cast, program):
    client.force_login(cast.admin)
    _matches(program, 2)
    small_page, small_api = (
        count_queries(client, page("matches")),
        count_queries(client, api("match-list")),
    )
    _matches(program, 8)
    with scopes_disabled():
        dissolved = Match.objects.filter(program=program).first()
        Match.objects.filter(pk=dissolved.pk).update(status="dissolved", end_reason="Moved on")
    assert count_queries(client, page("matches")) == small_page
    assert count_queries(client, api("match-list")) == small_api


def test_matches_page_lists_filters_and_offers_actions(client, cast, program, pair):
    gone = MatchFactory(program=program, status="dissolved", end_reason="Moved on")
    client.force_login(cast.admin)
    html = client.get(page("matches")).content.decode()
    assert f'id="match-{pair.pk}"' in html and f'id="match-{gone.pk}"' in html
    assert "Find a new mentor</button>" in html and 'value="pause"' in html and "Moved on" in html
    only = client.get(page("matches"), {"status": "dissolved"}).content.decode()
    assert f'id="match-{pair.pk}"' not in only and f'id="match-{gone.pk}"' in only
    client.force_login(cast.hr)
    html = client.get(page("matches")).content.decode()
    assert "Find a new mentor</button>" not in html and 'value="pause"' not in html
    api_only = client.get(api("match-list"), {"status": "dissolved"}).json()
    assert [m["id"] for m in api_only["results"]] == [gone.pk]


# --- A participant's own match -------------------------------------------------------------------


WHY = [
    {
        "key": "skills",
        "label": "Skill overlap",
        "contribution": 0.6,
        "text": "x",
        "facts": [2, 1, 1],
    },
    {"key": "language", "label": "Shared language", "contribution": 0.2, "text": "x", "facts": [1]},
]


def test_the_mentee_sees_their_mentor_and_why(client, cast, program, pair):
    with scopes_disabled():
        Match.objects.filter(pk=pair.pk).update(explanations=WHY)
    client.force_login(cast.mentee1)
    response = client.get(page("my-match"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "mentor1@a.example" in html and "Skill overlap" in html and "Shared language" in html
    # Bars and words, no raw figures: skills make up 75% of the match, the language 25%.
    assert 'value="75"' in html and "strong · 75%" in html
    assert 'value="25"' in html and "good · 25%" in html
    assert "0.6" not in html and "+0." not in html
    # In plain words, to her.
    mentor = pair.mentor.display_name
    assert escape(f"{mentor} can teach 1 of the 2 skills you want to learn") in html
    assert "Share 1 language" in html
    overview = client.get(reverse("programs:detail", kwargs=ORG)).content.decode()
    assert page("my-match") in overview
    mine = client.get(reverse("programs:mine", kwargs={"org_slug": "org-a"})).content.decode()
    assert page("my-match") in mine


def test_the_mentor_sees_their_mentees(api_client, cast, program, pair):
    api_client.force_authenticate(cast.mentor1)
    response = api_client.get(api("my-match"))
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": pair.pk,
            "role": "mentor",
            "status": "active",
            "partner": {
                "enrollment": pair.mentee_id,
                "email": "mentee1@a.example",
                "name": pair.mentee.display_name,
                "card": {"job_title": "", "department": "", "bio": "", "photo_url": None},
            },
            "score": 0.8,
            "breakdown": {"skills": 0.6, "language": 0.2},
            "explanations": [],
            "created_at": response.json()[0]["created_at"],
        }
    ]
    # With the why stored, said to him.
    with scopes_disabled():
        Match.objects.filter(pk=pair.pk).update(explanations=WHY)
    said = api_client.get(api("my-match")).json()[0]["explanations"]
    assert said[0] == {
        "key": "skills",
        "label": "Skill overlap",
        "contribution": 0.6,
        "text": f"You can teach 1 of the 2 skills {pair.mentee.display_name} wants to learn",
    }


def test_a_participant_never_sees_someone_elses_match(client, api_client, cast, program, pair):
    # mentee2 takes part, without a match; another pair exists in the program.
    EnrollmentFactory(program=program, user=cast.mentee2)
    client.force_login(cast.mentee2)
    html = client.get(page("my-match")).content.decode()
    assert "No mentor yet." in html and "mentor1@a.example" not in html
    overview = client.get(reverse("programs:detail", kwargs=ORG)).content.decode()
    assert page("my-match") not in overview
    api_client.force_authenticate(cast.mentee2)
    assert api_client.get(api("my-match")).json() == []
    assert api_client.get(api("match-detail", pk=pair.pk)).status_code == 403
    # Not in the program at all: not found.
    client.force_login(cast.mentor2)
    assert client.get(page("my-match")).status_code == 404
    api_client.force_authenticate(cast.mentor2)
    assert api_client.get(api("my-match")).status_code == 404
    # An ended match is no longer "my match".
    with scope(organization=cast.org_a):
        match_services.end_match(match=pair, actor=cast.admin, reason="Done")
    client.force_login(cast.mentee1)
    assert "mentor1@a.example" not in client.get(page("my-match")).content.decode()


def test_the_rematch_button_shows_exactly_when_the_service_accepts(cast, pair, program):
    """Pages ask ``can_rematch``; each case it refuses, ``rematch`` refuses too."""
    from django.core.exceptions import ValidationError

    def offered_and_accepted():
        with scope(organization=cast.org_a):
            match = Match.objects.select_related("program", "mentee").get(pk=pair.pk)
            offered = match_services.can_rematch(match)
            try:
                with transaction.atomic():
                    match_services.rematch(match=match, actor=cast.admin)
                    raise RuntimeError("undo")  # only asking whether it would be accepted
            except ValidationError:
                accepted = False
            except RuntimeError:
                accepted = True
        return offered, accepted

    assert offered_and_accepted() == (False, False)  # still active
    with scopes_disabled():
        Match.objects.filter(pk=pair.pk).update(status="ended")
    assert offered_and_accepted() == (True, True)
    pair.mentee.status = "withdrawn"
    pair.mentee.save()
    assert offered_and_accepted() == (False, False)
    pair.mentee.status = "active"
    pair.mentee.save()
    program.status = "closed"
    program.save()
    assert offered_and_accepted() == (False, False)
