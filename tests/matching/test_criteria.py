"""The matching matrix: settings (questions, weights, hard rules, goal options) and custom
questions, through the service, the criteria page and the API."""

import re

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from matching.models import CustomQuestion, MatchingSettings, Profile
from matching.services import criteria as criteria_services
from mentorship.models import AuditLogEntry
from tests.factories import (
    CustomQuestionFactory,
    EnrollmentFactory,
    ProfileFactory,
    ProgramFactory,
)
from tests.urls import program_urls

pytestmark = pytest.mark.django_db

QUESTIONS = ["skills", "goals", "time_zone", "languages", "department"]


def good(**overrides):
    data = {
        "questions": QUESTIONS,
        "weights": {"skills": 0.9, "goals": 0.5, "language": 0.3, "time_zone": 0.2},
        "hard_rules": {"shared_language": True, "max_tz_hours": 4, "not_same_department": True},
        "career_goal_options": ["Lead a team", "Change careers"],
    }
    return {**data, **overrides}


@pytest.fixture
def program(cast):
    return ProgramFactory(organization=cast.org_a, slug="pilot", status="active")


page = program_urls("matching")
api = program_urls("api")


def settings_rows():
    with scopes_disabled():
        return list(
            MatchingSettings.objects.values_list("questions", "weights", "hard_rules", "updated_at")
        )


def audit_actions():
    with scopes_disabled():
        return list(AuditLogEntry.objects.order_by("pk").values_list("action", flat=True))


# --- The service ---------------------------------------------------------------------------------


def test_save_settings_stores_clean_values_and_audits(cast, program, scope_a):
    settings = criteria_services.save_settings(
        program=program,
        actor=cast.admin,
        **good(career_goal_options=["  Lead   a team ", "lead a team", "", "Change careers"]),
    )
    assert settings.questions == QUESTIONS
    assert settings.weights == {
        "skills": 0.9,
        "goals": 0.5,
        "experience": 0.0,
        "style": 0.0,
        "time_zone": 0.2,
        "availability": 0.0,
        "language": 0.3,
        "location": 0.0,
    }
    assert settings.hard_rules == {
        "shared_language": True,
        "max_tz_hours": 4,
        "not_same_department": True,
    }
    assert settings.career_goal_options == ["Lead a team", "Change careers"]
    assert audit_actions() == ["matching.settings_saved"]


def test_defaults_are_created_on_demand_once(program, scope_a):
    first = criteria_services.ensure_settings(program)
    assert criteria_services.ensure_settings(program).pk == first.pk
    assert first.questions == [
        "skills", "goals", "experience", "style", "meetings", "location", "time_zone",
        "languages", "availability", "department", "hopes",
    ]  # fmt: skip
    assert first.hard_rules == {"not_same_reporting_line": True, "no_repair": True}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"weights": {"skills": 1.5}}, "weights", "between 0 and 1"),
        ({"weights": {"skills": -0.1}}, "weights", "between 0 and 1"),
        ({"weights": {"skills": "high"}}, "weights", "between 0 and 1"),
        ({"weights": {"skills": True}}, "weights", "between 0 and 1"),
        ({"weights": {"charisma": 0.5}}, "weights", "Unknown criteria: charisma"),
        ({"weights": {"custom:999": 0.5}}, "weights", "Unknown criteria: custom:999"),
        ({"weights": {"style": 0.4}}, "weights", "doesn't ask “Communication style”"),
        ({"weights": ["skills"]}, "weights", "criterion → number"),
        ({"hard_rules": {"max_tz_hours": 13}}, "hard_rules", "from 0 to 12"),
        ({"hard_rules": {"max_tz_hours": -1}}, "hard_rules", "from 0 to 12"),
        ({"hard_rules": {"max_tz_hours": 2.5}}, "hard_rules", "from 0 to 12"),
        ({"hard_rules": {"max_tz_hours": True}}, "hard_rules", "from 0 to 12"),
        ({"hard_rules": {"shared_language": "yes"}}, "hard_rules", "either on"),
        ({"hard_rules": {"be_nice": True}}, "hard_rules", "Unknown hard rules: be_nice"),
        (
            {"questions": ["skills", "time_zone"], "weights": {"skills": 1}},
            "hard_rules",
            "“Must share a language” needs the question “Languages”",
        ),
        (
            {"questions": ["skills", "languages"], "weights": {"skills": 1}},
            "hard_rules",
            "needs the question “Time zone”",
        ),
        ({"questions": ["skills", "telepathy"]}, "questions", "Unknown profile questions"),
        ({"questions": "skills"}, "questions", "list of names"),
        ({"career_goal_options": ["x" * 101]}, "career_goal_options", "under 100"),
        ({"career_goal_options": [f"Goal {i}" for i in range(51)]}, "career_goal_options", "50"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(
    cast, program, scope_a, overrides, field, message
):
    criteria_services.ensure_settings(program)
    before = settings_rows()
    with pytest.raises(ValidationError) as exc:
        criteria_services.save_settings(program=program, actor=cast.admin, **good(**overrides))
    assert message in " ".join(exc.value.message_dict[field])
    assert settings_rows() == before
    assert audit_actions() == []


def test_no_repair_needs_no_question(cast, program, scope_a):
    settings = criteria_services.save_settings(
        program=program,
        actor=cast.admin,
        questions=[],
        weights={},
        hard_rules={"no_repair": True, "shared_language": False},
        career_goal_options="",
    )
    assert settings.hard_rules == {"no_repair": True}
    assert set(settings.weights.values()) == {0.0}


def test_closed_program_settings_are_read_only(cast, program, scope_a):
    program.status = "closed"
    program.save()
    with pytest.raises(ValidationError, match="closed"):
        criteria_services.save_settings(program=program, actor=cast.admin, **good())
    assert settings_rows() == []


# --- Custom questions ----------------------------------------------------------------------------


def test_custom_question_lifecycle(cast, program, scope_a):
    question = criteria_services.create_custom_question(
        program=program, actor=cast.admin, text=" Remote  or office? ", kind="single",
        options=["Remote", " Office ", ""],
    )  # fmt: skip
    assert (question.text, question.options, question.position) == (
        "Remote or office?",
        ["Remote", "Office"],
        0,
    )
    settings = MatchingSettings.objects.get(program=program)
    assert settings.weights[f"custom:{question.pk}"] == 0.5
    # Its weight is a criterion like any other.
    criteria_services.save_settings(
        program=program, actor=cast.admin, **good(weights={f"custom:{question.pk}": 1})
    )
    enrollment = EnrollmentFactory(program=program, user=cast.mentee1)
    ProfileFactory(enrollment=enrollment, custom_answers={str(question.pk): ["Office"]})
    criteria_services.update_custom_question(
        question=question, actor=cast.admin, text="Where?", kind="single",
        options=["Remote", "Hybrid"],
    )  # fmt: skip
    assert Profile.objects.get().custom_answers == {}  # "Office" is gone
    criteria_services.delete_custom_question(question=question, actor=cast.admin)
    assert not CustomQuestion.objects.filter(program=program).exists()
    assert f"custom:{question.pk}" not in MatchingSettings.objects.get(program=program).weights
    assert audit_actions() == [
        "matching.custom_question_created",
        "matching.settings_saved",
        "matching.custom_question_updated",
        "matching.custom_question_deleted",
    ]


@pytest.mark.parametrize(
    ("text", "kind", "options", "field", "message"),
    [
        ("", "single", ["A", "B"], "text", "Write the question"),
        ("x" * 301, "single", ["A", "B"], "text", "under 300"),
        ("Q?", "ranked", ["A", "B"], "kind", "single or multiple"),
        ("Q?", "single", ["A"], "options", "from 2 to 20"),
        ("Q?", "multi", [str(i) for i in range(21)], "options", "from 2 to 20"),
        ("Q?", "multi", ["Yes", "yes "], "options", "listed twice"),
        ("Q?", "multi", "Yes", "options", "from 2 to 20"),
        ("Q?", "multi", [1, 2], "options", "list of texts"),
    ],
)
def test_bad_custom_questions_are_refused(
    cast, program, scope_a, text, kind, options, field, message
):  # noqa: E501
    with pytest.raises(ValidationError) as exc:
        criteria_services.create_custom_question(
            program=program, actor=cast.admin, text=text, kind=kind, options=options
        )
    assert message in " ".join(exc.value.message_dict[field])
    assert not CustomQuestion.objects.exists()
    assert audit_actions() == []


# --- The criteria page ---------------------------------------------------------------------------


CRITERIA_POST = {
    "questions": ["skills", "languages", "time_zone"],
    "career_goal_options": "Lead\nSwitch",
    "weight_skills": "80",
    "weight_language": "40",
    "weight_time_zone": "20",
    "rule_shared_language": "on",
    "rule_max_tz_hours": "on",
    "max_tz_hours": "4",
    "request_expiry_days": "10",
    "objective": "quality",
    "min_score": "30",
}


def test_admin_saves_criteria_on_the_page(client, cast, program):
    client.force_login(cast.admin)
    response = client.get(page("criteria", program))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="weight_skills-output"' in html and "js/range-output.js" in html
    response = client.post(page("criteria", program), CRITERIA_POST)
    assert response.status_code == 302
    with scope(organization=cast.org_a):
        settings = MatchingSettings.objects.get(program=program)
    assert settings.questions == ["skills", "time_zone", "languages"]
    assert settings.weights["skills"] == 0.8 and settings.weights["goals"] == 0.0
    assert settings.hard_rules == {"shared_language": True, "max_tz_hours": 4}
    assert settings.career_goal_options == ["Lead", "Switch"]
    assert settings.request_expiry_days == 10
    assert (settings.objective, settings.min_score) == ("quality", 0.3)
    html = client.get(page("criteria", program)).content.decode()
    assert re.search(r'name="objective" value="quality"[^>]*checked', html)
    assert re.search(r'name="min_score" value="30"', html)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_style": "30"}, "doesn&#x27;t ask “Communication style”"),
        ({"questions": ["skills", "time_zone"]}, "needs the question “Languages”"),
        ({"max_tz_hours": "13"}, "less than or equal to 12"),
        ({"weight_skills": "101"}, "less than or equal to 100"),
        ({"request_expiry_days": "0"}, "greater than or equal to 1"),
        ({"request_expiry_days": "45"}, "less than or equal to 30"),
        ({"min_score": "95"}, "less than or equal to 90"),
        ({"objective": "most"}, "Select a valid choice"),
    ],
)
def test_bad_criteria_rerender_with_errors(client, cast, program, changes, message):
    client.force_login(cast.admin)
    response = client.post(page("criteria", program), {**CRITERIA_POST, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert settings_rows() == []


def test_hr_reads_criteria_but_cannot_save(client, cast, program):
    client.force_login(cast.hr)
    response = client.get(page("criteria", program))
    assert response.status_code == 200
    assert "Save criteria" not in response.content.decode()
    assert client.post(page("criteria", program), CRITERIA_POST).status_code == 403
    assert settings_rows() == []


def test_admin_adds_edits_and_deletes_a_custom_question_on_the_page(client, cast, program):
    client.force_login(cast.admin)
    response = client.post(
        page("question-add", program),
        {"text": "Team?", "kind": "multi", "options": "Sales\nEngineering"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        question = CustomQuestion.objects.get()
    assert question.options == ["Sales", "Engineering"]
    # The edit forms are prefixed by question.
    prefix = f"q{question.pk}"
    client.post(
        page("question-edit", program, pk=question.pk),
        {"prefix": prefix, f"{prefix}-text": "Team", f"{prefix}-kind": "single",
         f"{prefix}-options": "Sales\nOps"},
    )  # fmt: skip
    with scopes_disabled():
        question.refresh_from_db()
    assert (question.text, question.kind, question.options) == ("Team", "single", ["Sales", "Ops"])
    # A refused question re-renders with what was typed and why, its form open.
    response = client.post(
        page("question-add", program),
        {"text": "Which floor?", "kind": "single", "options": "Only one"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give from 2 to 20 options." in html
    assert 'value="Which floor?"' in html and "Only one</textarea>" in html
    edit = client.post(
        page("question-edit", program, pk=question.pk),
        {"prefix": prefix, f"{prefix}-text": "Team (renamed)", f"{prefix}-kind": "single",
         f"{prefix}-options": "Sales"},
    )  # fmt: skip
    assert edit.status_code == 400
    assert 'value="Team (renamed)"' in edit.content.decode()
    with scopes_disabled():
        assert CustomQuestion.objects.get().text == "Team"
    client.post(page("question-delete", program, pk=question.pk))
    with scopes_disabled():
        assert not CustomQuestion.objects.exists()


# --- The API -------------------------------------------------------------------------------------


def test_settings_api_round_trip(api_client, cast, program):
    api_client.force_authenticate(cast.admin)
    default = api_client.get(api(name="matching-settings", program=program))
    assert default.status_code == 200
    assert default.json()["hard_rules"] == {"not_same_reporting_line": True, "no_repair": True}
    assert settings_rows() == []  # reading doesn't write
    response = api_client.put(api("matching-settings", program), good(), format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["hard_rules"]["max_tz_hours"] == 4
    assert (response.json()["objective"], response.json()["min_score"]) == ("coverage", 0.0)
    aims = {"objective": "quality", "min_score": 0.25}
    response = api_client.put(api("matching-settings", program), good(**aims), format="json")
    assert (response.json()["objective"], response.json()["min_score"]) == ("quality", 0.25)


@pytest.mark.parametrize(
    "overrides",
    [
        {"weights": {"skills": 2}},
        {"weights": {"style": 0.5}},
        {"hard_rules": {"max_tz_hours": 24}},
        {"hard_rules": {"shared_language": True}, "questions": ["skills"], "weights": {}},
        {"questions": ["nope"]},
        {"objective": "most"},
        {"min_score": 0.95},
        {"min_score": -0.1},
    ],
)
def test_settings_api_refuses_bad_input_with_400(api_client, cast, program, overrides):
    api_client.force_authenticate(cast.admin)
    response = api_client.put(api("matching-settings", program), good(**overrides), format="json")
    assert response.status_code == 400
    assert settings_rows() == []


def test_custom_questions_api(api_client, cast, program):
    api_client.force_authenticate(cast.admin)
    url = api("custom-question-list", program)
    response = api_client.post(
        url, {"text": "Team?", "kind": "multi", "options": ["A", "B"]}, format="json"
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["criterion"] == f"custom:{pk}"
    bad = api_client.post(url, {"text": "Q", "kind": "multi", "options": ["A"]}, format="json")
    assert bad.status_code == 400
    detail = api("custom-question-detail", program, pk=pk)
    assert api_client.patch(detail, {"options": ["A", "C"]}, format="json").json()["options"] == [
        "A",
        "C",
    ]
    assert api_client.delete(detail).status_code == 204
    api_client.force_authenticate(cast.hr)
    assert api_client.get(url).json() == []
    assert api_client.post(url, {"text": "Q", "kind": "single", "options": ["A", "B"]},
                           format="json").status_code == 403  # fmt: skip


def test_another_programs_question_is_not_found(api_client, cast, program):
    other = ProgramFactory(organization=cast.org_a, slug="other")
    question = CustomQuestionFactory(program=other)
    api_client.force_authenticate(cast.admin)
    response = api_client.get(api("custom-question-detail", program, pk=question.pk))
    assert response.status_code == 404
