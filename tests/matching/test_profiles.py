"""Profiles: validation, who may edit whose, the participant's page, the pool overview and the
profiles API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from matching.models import Profile
from matching.services import criteria as criteria_services
from matching.services import profiles as profile_services
from mentorship.models import AuditLogEntry
from programs.models import Enrollment
from tests.factories import (
    CustomQuestionFactory,
    EnrollmentFactory,
    ProfileFactory,
    ProgramFactory,
    UserFactory,
)
from tests.urls import program_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cast):
    return ProgramFactory(organization=cast.org_a, slug="pilot", status="active")


@pytest.fixture
def mentee(cast, program):
    return EnrollmentFactory(program=program, user=cast.mentee1, role="mentee")


@pytest.fixture
def mentor(cast, program):
    return EnrollmentFactory(program=program, user=cast.mentor1, role="mentor", capacity=2)


page = program_urls("matching")
api = program_urls("api")


def profiles():
    with scopes_disabled():
        return list(Profile.objects.order_by("pk").values())


def audit_count():
    with scopes_disabled():
        return AuditLogEntry.objects.count()


# --- Validation ----------------------------------------------------------------------------------


def test_save_profile_normalises_and_audits(cast, mentee, scope_a):
    question = CustomQuestionFactory(program=mentee.program, kind="multi", options=["A", "B"])
    profile = profile_services.save_profile(
        enrollment=mentee,
        actor=cast.mentee1,
        skills={"  Public   Speaking ": 2, "SQL": 5},
        languages="English, DE, pt-BR, Klingon",
        availability=[10, 9, 9, 167],
        time_zone="Europe/Berlin",
        style_direct_supportive=-0.5,
        manager_email=" Boss@A.example ",
        custom_answers={str(question.pk): ["B", "A", "B"]},
        years_experience=4,
    )
    assert profile.skills == {"public speaking": 2, "sql": 5}
    assert profile.languages == ["en", "de", "pt", "klingon"]
    assert profile.availability == [9, 10, 167]
    assert profile.manager_email == "boss@a.example"
    assert profile.custom_answers == {str(question.pk): ["B", "A"]}
    entry = AuditLogEntry.objects.get()
    assert entry.action == "matching.profile_saved" and entry.data["by"] == "self"


BAD_PROFILES = [
    ({"skills": {"python": 6}}, "skills", "from 1 to 5"),
    ({"skills": {"python": 0}}, "skills", "from 1 to 5"),
    ({"skills": {"python": "3"}}, "skills", "from 1 to 5"),
    ({"skills": {"": 3}}, "skills", "needs a name"),
    ({"skills": {"x" * 61: 3}}, "skills", "under 60"),
    ({"skills": {"Python": 3, " python ": 2}}, "skills", "listed twice"),
    ({"skills": {f"s{i}": 1 for i in range(31)}}, "skills", "at most 30"),
    ({"skills": ["python"]}, "skills", "name → level"),
    ({"career_goals": ["Become an astronaut"]}, "career_goals", "not one of the program's"),
    ({"style_direct_supportive": 1.5}, "style_direct_supportive", "from -1 to 1"),
    ({"style_written_spoken": float("nan")}, "style_written_spoken", "from -1 to 1"),
    ({"time_zone": "Mars/Olympus"}, "time_zone", "not a time zone"),
    ({"languages": ["42"]}, "languages", "isn't a language"),
    ({"languages": [f"Lang{chr(97 + i)}ish" for i in range(11)]}, "languages", "at most 10"),
    ({"availability": [168]}, "availability", "0 (Monday 00:00) to 167"),
    ({"availability": [-1]}, "availability", "to 167"),
    ({"availability": ["9"]}, "availability", "list of hour slots"),
    ({"meeting_format": "telepathy"}, "meeting_format", "remote, in person or either"),
    ({"years_experience": 61}, "years_experience", "0 to 60"),
    ({"manager_email": "not-an-email"}, "manager_email", "valid email"),
    ({"hopes": "x" * 2001}, "hopes", "under 2000"),
    ({"capacity": 3}, "capacity", "Only mentors"),
    ({"custom_answers": {"999": ["A"]}}, "custom_answers", "no question 999"),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD_PROFILES)
def test_bad_profiles_are_refused_and_nothing_is_written(
    cast, mentee, scope_a, fields, field, message
):  # noqa: E501
    ProfileFactory(enrollment=mentee)
    before = profiles()
    with pytest.raises(ValidationError) as exc:
        profile_services.save_profile(enrollment=mentee, actor=cast.mentee1, **fields)
    assert message in " ".join(exc.value.message_dict[field])
    assert profiles() == before
    assert audit_count() == 0


def test_custom_answers_must_be_valid_options(cast, mentee, scope_a):
    single = CustomQuestionFactory(program=mentee.program, kind="single", options=["A", "B"])
    for answers, message in [
        ({str(single.pk): ["A", "B"]}, "exactly one"),
        ({str(single.pk): ["C"]}, "not one of its options"),
    ]:
        with pytest.raises(ValidationError, match=message):
            profile_services.save_profile(
                enrollment=mentee, actor=cast.mentee1, custom_answers=answers
            )
    assert profiles() == []


def test_mentor_capacity_is_on_the_enrolment(cast, mentor, scope_a):
    profile_services.save_profile(enrollment=mentor, actor=cast.mentor1, capacity=5)
    mentor.refresh_from_db()
    assert mentor.capacity == 5
    for bad in (0, 21, "3"):
        with pytest.raises(ValidationError, match="from 1 to 20"):
            profile_services.save_profile(enrollment=mentor, actor=cast.mentor1, capacity=bad)
    mentor.refresh_from_db()
    assert mentor.capacity == 5


def test_questions_the_program_does_not_ask_are_refused(cast, mentee, scope_a):
    criteria_services.save_settings(
        program=mentee.program, actor=cast.admin, questions=["skills"], weights={},
        hard_rules={}, career_goal_options=[],
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        profile_services.save_profile(
            enrollment=mentee, actor=cast.mentee1, time_zone="Europe/Paris"
        )
    assert "doesn't ask about “time zone”" in exc.value.message_dict["time_zone"][0]
    # …unless sent back unchanged (an API client round-tripping what it read).
    profile_services.save_profile(
        enrollment=mentee, actor=cast.mentee1, time_zone="", skills={"a": 1}
    )
    assert Profile.objects.get().skills == {"a": 1}


def test_only_the_participant_or_an_admin_edits_a_profile(cast, mentee, mentor, scope_a):
    for actor in (cast.mentor1, cast.hr, cast.outsider):
        with pytest.raises(PermissionDenied):
            profile_services.save_profile(enrollment=mentee, actor=actor, industry="Hacked")
    assert profiles() == []
    profile_services.save_profile(enrollment=mentee, actor=cast.admin, industry="Retail")
    assert AuditLogEntry.objects.get().data["by"] == "admin"
    mentee.status = Enrollment.Status.WITHDRAWN
    mentee.save()
    with pytest.raises(PermissionDenied):
        profile_services.save_profile(enrollment=mentee, actor=cast.mentee1, industry="Again")


def test_closed_programs_are_read_only(cast, mentee, scope_a):
    mentee.program.status = "closed"
    mentee.program.save()
    with pytest.raises(ValidationError, match="closed"):
        profile_services.save_profile(enrollment=mentee, actor=cast.mentee1, industry="Retail")
    assert profiles() == []


# --- The participant's page ----------------------------------------------------------------------

PROFILE_POST = {
    "skill_name": ["Public speaking", "Negotiation", ""],
    "skill_level": ["2", "4", "3"],
    "industry": "Retail",
    "years_experience": "3",
    "style_direct_supportive": "-40",
    "style_structured_exploratory": "0",
    "style_written_spoken": "100",
    "meeting_frequency": "weekly",
    "meeting_format": "remote",
    "time_zone": "Europe/Berlin",
    "languages": "English, Deutsch",
    "availability": ["9", "10", "33"],
    "department": "Sales",
    "manager_email": "boss@a.example",
    "hopes": "Grow into a lead role",
}


def test_participant_fills_in_their_profile(client, cast, mentee):
    client.force_login(cast.mentee1)
    mine = client.get(reverse("programs:mine", args=["org-a"])).content.decode()
    assert "Fill in your profile" in mine and page("profile", mentee.program) in mine
    response = client.get(page("profile", mentee.program))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('name="availability"') == 168
    assert html.count("<fieldset") >= 7 and 'for="slot-9"' in html
    assert 'type="range"' in html and "How many mentees" not in html
    response = client.post(page("profile", mentee.program), PROFILE_POST)
    assert response.status_code == 302
    with scopes_disabled():
        profile = Profile.objects.get(enrollment=mentee)
    assert profile.skills == {"public speaking": 2, "negotiation": 4}
    assert (profile.style_direct_supportive, profile.style_written_spoken) == (-0.4, 1.0)
    assert profile.languages == ["en", "de"] and profile.availability == [9, 10, 33]
    mine = client.get(reverse("programs:mine", args=["org-a"])).content.decode()
    assert "Edit your profile" in mine


def test_a_first_profile_starts_from_the_accounts_time_zone(client, cast, mentee):
    cast.mentee1.time_zone = "Asia/Tokyo"
    cast.mentee1.save()
    client.force_login(cast.mentee1)
    form = client.get(page("profile", mentee.program)).context["form"]
    assert form["time_zone"].value() == "Asia/Tokyo"
    # Once saved, the profile's own answer counts, whatever the account says.
    client.post(page("profile", mentee.program), {**PROFILE_POST, "time_zone": "Europe/Paris"})
    form = client.get(page("profile", mentee.program)).context["form"]
    assert form["time_zone"].value() == "Europe/Paris"


def test_profile_page_shows_only_the_questions_asked(client, cast, mentee, mentor):
    with scope(organization=cast.org_a):
        criteria_services.save_settings(
            program=mentee.program, actor=cast.admin, questions=["skills", "languages"],
            weights={}, hard_rules={}, career_goal_options=[],
        )  # fmt: skip
    CustomQuestionFactory(program=mentee.program, text="Favourite tool?", options=["Vim", "Emacs"])
    client.force_login(cast.mentor1)
    html = client.get(page("profile", mentee.program)).content.decode()
    assert "Skills" in html and 'name="languages"' in html and "Favourite tool?" in html
    assert 'name="availability"' not in html and 'name="time_zone"' not in html
    assert "How many mentees can you take?" in html  # mentors only


def test_bad_profile_post_rerenders_and_writes_nothing(client, cast, mentee):
    client.force_login(cast.mentee1)
    response = client.post(
        page("profile", mentee.program), {**PROFILE_POST, "languages": "English, 42"}
    )
    assert response.status_code == 400
    assert "“42” isn&#x27;t a language we know." in response.content.decode()
    response = client.post(
        page("profile", mentee.program), {**PROFILE_POST, "skill_level": ["9", "2", "3"]}
    )
    assert response.status_code == 400
    assert profiles() == []


def test_a_member_without_an_enrolment_gets_404(client, cast, mentee):
    client.force_login(cast.mentee2)  # in the organization, not in the program
    assert client.get(page("profile", mentee.program)).status_code == 404
    assert client.get(page("profile-edit", mentee.program, pk=mentee.pk)).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(page("profile", mentee.program)).status_code == 404


def test_admin_edits_and_hr_reads_someone_elses_profile(client, cast, mentee):
    client.force_login(cast.admin)
    url = page("profile-edit", mentee.program, pk=mentee.pk)
    assert client.post(url, PROFILE_POST).status_code == 302
    client.force_login(cast.hr)
    response = client.get(url)
    assert response.status_code == 200 and "Save profile" not in response.content.decode()
    before = profiles()
    assert client.post(url, {**PROFILE_POST, "industry": "HR"}).status_code == 403
    assert profiles() == before


# --- The pool overview ---------------------------------------------------------------------------


def test_pool_overview_counts_and_completeness(client, cast, program, mentee, mentor):
    ProfileFactory(enrollment=mentee)  # skills, time zone, languages, availability: 4 of 11
    client.force_login(cast.hr)
    response = client.get(page("pool", program))
    assert response.status_code == 200
    rows = {e: pct for e, pct, _ in response.context["rows"]}
    assert rows[mentee] == round(100 * 6 / 11)  # + style and meetings, always answered
    assert rows[mentor] == 0
    mentees, mentors = response.context["mentees"], response.context["mentors"]
    assert (mentees["enrolled"], mentees["profiled"]) == (1, 1)
    assert (mentors["enrolled"], mentors["profiled"]) == (1, 0)
    only_mentors = client.get(page("pool", program), {"role": "mentor"})
    assert [e for e, _, _ in only_mentors.context["rows"]] == [mentor]
    client.force_login(cast.mentee1)
    assert client.get(page("pool", program)).status_code == 403


def _fill_pool(program, n):
    for _ in range(n):
        ProfileFactory(enrollment=EnrollmentFactory(program=program, user=UserFactory()))


def _queries(fn):
    fn()  # a second visit: the first fills what pages keep in the cache
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_pool_overview_query_count_is_flat(client, cast, program):
    client.force_login(cast.admin)
    _fill_pool(program, 2)
    two = _queries(lambda: client.get(page("pool", program)))
    _fill_pool(program, 8)
    ten = _queries(lambda: client.get(page("pool", program)))
    assert two == ten


# --- The API -------------------------------------------------------------------------------------


def test_participant_reads_and_writes_their_own_profile(api_client, cast, mentee):
    api_client.force_authenticate(cast.mentee1)
    url = api("profile-me", mentee.program)
    empty = api_client.get(url)
    assert empty.status_code == 200
    assert empty.json()["completeness"] == 0 and empty.json()["enrollment"]["id"] == mentee.pk
    assert profiles() == []  # reading doesn't write
    response = api_client.put(
        url, {"skills": {"SQL": 3}, "languages": ["German"], "capacity": None}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["skills"] == {"sql": 3} and response.json()["languages"] == ["de"]
    # Sending back what was read works.
    again = api_client.put(url, {**response.json()}, format="json")
    assert again.status_code == 200, again.json()
    bad = api_client.put(url, {"skills": {"SQL": 9}}, format="json")
    assert bad.status_code == 400
    with scopes_disabled():
        assert Profile.objects.get().skills == {"sql": 3}


def test_participant_cannot_reach_other_profiles_through_the_api(api_client, cast, mentee, mentor):
    ProfileFactory(enrollment=mentor)
    before = profiles()
    api_client.force_authenticate(cast.mentee1)
    assert api_client.get(api("profile-list", mentee.program)).status_code == 403
    detail = api("profile-detail", mentee.program, pk=mentor.pk)
    assert api_client.get(detail).status_code == 403
    assert api_client.put(detail, {"industry": "X"}, format="json").status_code == 403
    api_client.force_authenticate(cast.mentee2)  # not in the program
    assert api_client.get(api("profile-me", mentee.program)).status_code == 404
    api_client.force_authenticate(cast.outsider)
    assert api_client.get(api("profile-me", mentee.program)).status_code == 404
    assert api_client.get(detail).status_code == 404
    assert profiles() == before


def test_admin_and_hr_on_the_profiles_api(api_client, cast, mentee, mentor):
    ProfileFactory(enrollment=mentee)
    api_client.force_authenticate(cast.hr)
    listing = api_client.get(api("profile-list", mentee.program), {"role": "mentee"})
    assert listing.status_code == 200
    assert [p["enrollment"]["id"] for p in listing.json()["results"]] == [mentee.pk]
    detail = api("profile-detail", mentee.program, pk=mentor.pk)
    assert api_client.put(detail, {"capacity": 4}, format="json").status_code == 403
    api_client.force_authenticate(cast.admin)
    response = api_client.put(detail, {"capacity": 4, "industry": "Banking"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["capacity"] == 4 and response.json()["industry"] == "Banking"
    bad = api_client.put(detail, {"availability": [200]}, format="json")
    assert bad.status_code == 400


def test_profiles_api_query_count_is_flat(api_client, cast, program):
    api_client.force_authenticate(cast.admin)
    url = api("profile-list", program)
    _fill_pool(program, 2)
    two = _queries(lambda: api_client.get(url))
    _fill_pool(program, 8)
    ten = _queries(lambda: api_client.get(url))
    assert two == ten
    assert len(api_client.get(url).json()["results"]) == 10
