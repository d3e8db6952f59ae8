"""A program created from a template starts with the template's matching settings: the profile
questions it asks, career goal options, weights, hard rules and custom questions; without a
template, the generic defaults. Template data is cleaned like an admin's save."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from matching import defaults, queries
from matching.constants import QUESTION_FIELDS
from matching.models import (
    Criterion,
    CustomQuestion,
    MatchingSettings,
    Profile,
    ProfileQuestion,
    default_hard_rules,
    default_questions,
    default_weights,
)
from matching.services import criteria as criteria_services
from programs import catalog
from programs import services as program_services
from programs.models import Program
from tests.factories import EnrollmentFactory, ProgramFactory
from tests.urls import program_urls

pytestmark = pytest.mark.django_db

KEYS = sorted(catalog.TEMPLATES)


def matching_of(key):
    return catalog.TEMPLATES[key]["matching"]


def expected_questions(key):
    """The template's questions in the order the criteria page lists them."""
    return [q for q in ProfileQuestion.values if q in matching_of(key)["questions"]]


def expected_weights(key):
    return {c: float(matching_of(key)["weights"].get(c, 0.0)) for c in Criterion.values}


def create(cast, key="", name="Pilot"):
    with scope(organization=cast.org_a):
        return program_services.create_program(
            organization=cast.org_a, actor=cast.admin, name=name, template_key=key
        )


def legacy(cast, key):
    """A program made from ``key`` before templates carried matching settings: it has no
    settings row yet (a queryset update sends no post_save)."""
    program = ProgramFactory(organization=cast.org_a, slug="legacy")
    with scopes_disabled():
        Program.objects.filter(pk=program.pk).update(template_key=key)
        program.refresh_from_db()
    return program


def rows(program):
    with scopes_disabled():
        return (
            MatchingSettings.objects.filter(program=program).count(),
            CustomQuestion.objects.filter(program=program).count(),
        )


def stored(program):
    with scopes_disabled():
        settings = MatchingSettings.objects.get(program=program)
        questions = list(CustomQuestion.objects.filter(program=program))
    return settings, questions


page = program_urls("matching")


def api_settings(program):
    return reverse(
        "api:matching-settings",
        kwargs={"org_slug": program.organization.slug, "program_slug": program.slug},
    )


# --- The templates' data -------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_every_template_matching_section_is_valid(key):
    section = matching_of(key)
    cleaned = criteria_services.clean_template_matching(
        section
    )  # raises on anything an admin couldn't
    settings = cleaned["settings"]
    assert settings["questions"] == expected_questions(key)
    assert len(settings["questions"]) == len(section["questions"])  # no duplicates dropped
    assert settings["career_goal_options"] == section["career_goal_options"]  # already clean
    assert 6 <= len(settings["career_goal_options"]) <= 10
    assert settings["weights"] == expected_weights(key)
    assert settings["hard_rules"] == section["hard_rules"]  # none switched off or dropped
    assert any(w > 0 for w in settings["weights"].values())
    assert [q["text"] for q in cleaned["custom_questions"]] == [
        q["text"] for q in section.get("custom_questions", [])
    ]


def test_templates_ask_what_they_promise():
    by_key = {key: criteria_services.clean_template_matching(matching_of(key)) for key in KEYS}
    weights = {key: c["settings"]["weights"] for key, c in by_key.items()}
    # Career transition: skills, goals and the experience gap lead.
    top = sorted(weights["career-transition"], key=weights["career-transition"].get)[-3:]
    assert set(top) == {"skills", "goals", "experience"}
    # Young leaders: goals, style and availability lead.
    top = sorted(weights["young-leaders"], key=weights["young-leaders"].get)[-3:]
    assert set(top) == {"goals", "style", "availability"}
    # Onboarding buddy: where and when people work, plus an office question.
    buddy = by_key["onboarding-buddy"]
    assert {"location", "time_zone", "availability"} <= {
        c for c, w in buddy["settings"]["weights"].items() if w >= 0.5
    }
    assert [q["text"] for q in buddy["custom_questions"]] == ["Which office do you work from?"]
    assert buddy["settings"]["hard_rules"]["not_same_reporting_line"] is True


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"questions": ["skills", "telepathy"]}, "questions", "Unknown profile questions"),
        ({"weights": {"style": 0.5}}, "weights", "doesn't ask “Communication style”"),
        ({"weights": {"skills": 1.5}}, "weights", "between 0 and 1"),
        ({"weights": {"custom:1": 0.5}}, "weights", "Unknown criteria: custom:1"),
        ({"hard_rules": {"max_tz_hours": 3}}, "hard_rules", "needs the question “Time zone”"),
        ({"hard_rules": {"be_nice": True}}, "hard_rules", "Unknown hard rules: be_nice"),
        ({"career_goal_options": ["x" * 101]}, "career_goal_options", "under 100"),
        (
            {"custom_questions": [{"text": "Q?", "kind": "single", "options": ["A"]}]},
            "custom_questions",
            "Give from 2 to 20 options",
        ),
        (
            {"custom_questions": [{"text": "Q?", "kind": "ranked", "options": ["A", "B"]}]},
            "custom_questions",
            "single or multiple",
        ),
        (
            {
                "custom_questions": [
                    {"text": "Q?", "kind": "multi", "options": ["A", "B"], "weight": 2}
                ]
            },
            "custom_questions",
            "between 0 and 1",
        ),  # fmt: skip
        (
            {"custom_questions": [{"text": "Q?", "kind": "multi", "options": ["A", "B"]}] * 2},
            "custom_questions",
            "asked twice",
        ),
        ({"colour": "blue"}, "matching", "Unknown matching settings: colour"),
    ],
)
def test_template_data_is_cleaned_like_an_admin_save(changes, field, message):
    section = {**matching_of("career-transition"), **changes}
    with pytest.raises(ValidationError) as exc:
        criteria_services.clean_template_matching(section)
    assert message in " ".join(exc.value.message_dict[field])


# --- Programs created from a template ------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_program_from_template_starts_with_its_matching_settings(cast, key):
    section = matching_of(key)
    program = create(cast, key)
    settings, questions = stored(program)
    assert settings.questions == expected_questions(key)
    assert settings.career_goal_options == section["career_goal_options"]
    assert settings.hard_rules == section["hard_rules"]
    custom = section.get("custom_questions", [])
    assert [(q.text, q.kind, q.options, q.position) for q in questions] == [
        (c["text"], c["kind"], c["options"], i) for i, c in enumerate(custom)
    ]
    assert settings.weights == {
        **expected_weights(key),
        **{q.criterion_key: c["weight"] for q, c in zip(questions, custom, strict=True)},
    }


@pytest.mark.parametrize("key", KEYS)
def test_criteria_page_shows_the_template_settings_before_any_save(client, cast, key):
    section = matching_of(key)
    program = create(cast, key)
    client.force_login(cast.admin)
    response = client.get(page("criteria", program))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["questions"].value() == expected_questions(key)
    assert form["career_goal_options"].value().splitlines() == section["career_goal_options"]
    for criterion, weight in expected_weights(key).items():
        assert form[form.weight_field(criterion)].value() == round(100 * weight)
    for rule in ("shared_language", "max_tz_hours", "not_same_department",
                 "not_same_reporting_line", "no_repair"):  # fmt: skip
        assert form[f"rule_{rule}"].value() is (rule in section["hard_rules"])
    html = response.content.decode()
    for question in section.get("custom_questions", []):
        assert question["text"] in html
        custom = next(q for q in form.custom_questions if q.text == question["text"])
        assert form[form.weight_field(custom.criterion_key)].value() == round(
            100 * question["weight"]
        )
    assert len(form.custom_questions) == len(section.get("custom_questions", []))


@pytest.mark.parametrize("key", KEYS)
def test_profile_form_asks_the_template_questions(client, cast, key):
    section = matching_of(key)
    program = create(cast, key)
    enrollment = EnrollmentFactory(program=program, user=cast.mentee1)
    client.force_login(cast.admin)
    response = client.get(page("profile-edit", program, pk=enrollment.pk))
    assert response.status_code == 200
    form = response.context["form"]
    asked = set(section["questions"])
    skipped = [q for q in ProfileQuestion.values if q not in asked]
    assert skipped  # every template leaves something out
    for question in skipped:
        for field in QUESTION_FIELDS[question]:
            assert field not in form.fields, field
    for question in asked:
        assert any(f in form.fields for f in QUESTION_FIELDS[question]), question
    assert [c for c, _ in form.fields["career_goals"].choices] == section["career_goal_options"]
    assert [f.label for f in form.custom_fields] == [
        q["text"] for q in section.get("custom_questions", [])
    ]


@pytest.mark.parametrize("key", KEYS)
def test_settings_api_returns_the_template_settings(api_client, cast, key):
    section = matching_of(key)
    program = create(cast, key)
    _, questions = stored(program)
    api_client.force_authenticate(cast.admin)
    response = api_client.get(api_settings(program))
    assert response.status_code == 200
    body = response.json()
    assert body["questions"] == expected_questions(key)
    assert body["career_goal_options"] == section["career_goal_options"]
    assert body["hard_rules"] == section["hard_rules"]
    custom_weights = {
        q.criterion_key: c["weight"]
        for q, c in zip(questions, section.get("custom_questions", []), strict=True)
    }
    assert body["weights"] == {**expected_weights(key), **custom_weights}


# --- Without a template --------------------------------------------------------------------------


def test_program_without_template_gets_the_generic_defaults(client, api_client, cast):
    program = create(cast)
    assert rows(program) == (0, 0)  # created lazily, as before
    api_client.force_authenticate(cast.admin)
    body = api_client.get(api_settings(program)).json()
    assert body["questions"] == default_questions()
    assert body["weights"] == default_weights()
    assert body["hard_rules"] == default_hard_rules()
    assert body["career_goal_options"] == []
    client.force_login(cast.admin)
    assert client.get(page("criteria", program)).context["form"].custom_questions == []
    with scope(organization=cast.org_a):
        settings = criteria_services.ensure_settings(program)
    assert (settings.questions, settings.weights, settings.hard_rules) == (
        default_questions(),
        default_weights(),
        default_hard_rules(),
    )
    assert rows(program) == (1, 0)


def test_unknown_template_key_falls_back_to_the_defaults(cast):
    program = legacy(cast, "retired-template")
    with scope(organization=cast.org_a):
        settings = criteria_services.ensure_settings(program)
    assert settings.questions == default_questions()
    assert settings.hard_rules == default_hard_rules()
    assert rows(program) == (1, 0)


# --- Created once; reads never write -------------------------------------------------------------


def test_template_custom_questions_are_created_exactly_once(cast):
    program = legacy(cast, "onboarding-buddy")
    with scope(organization=cast.org_a):
        first = criteria_services.ensure_settings(program)
        second = criteria_services.ensure_settings(program)
    assert first.pk == second.pk
    assert rows(program) == (1, 1)
    settings, (office,) = stored(program)
    assert office.text == "Which office do you work from?"
    assert settings.weights[office.criterion_key] == 0.9
    # A program created from the template (settings made with it) isn't given them again.
    program = create(cast, "onboarding-buddy", name="Buddies")
    with scope(organization=cast.org_a):
        criteria_services.ensure_settings(program)
        criteria_services.ensure_settings(program)
    assert rows(program) == (1, 1)


def test_template_questions_follow_an_admin_question_made_first(cast):
    """A legacy program whose admin adds a question before any settings exist: the template's
    questions come after it, and both keep their weights."""
    program = legacy(cast, "career-transition")
    with scope(organization=cast.org_a):
        own = criteria_services.create_custom_question(
            program=program, actor=cast.admin, text="Team?", kind="single", options=["A", "B"]
        )
    settings, questions = stored(program)
    assert [q.text for q in questions] == [
        "Team?",
        matching_of("career-transition")["custom_questions"][0]["text"],
    ]
    assert [q.position for q in questions] == [0, 1]
    assert settings.weights[own.criterion_key] == 0.5
    assert settings.weights[questions[1].criterion_key] == 0.9


@pytest.mark.parametrize("key", KEYS)
def test_reads_never_write(client, api_client, cast, key):
    program = legacy(cast, key)
    with scope(organization=cast.org_a):
        settings = queries.settings_for(program)
    assert settings.pk is None
    assert settings.questions == expected_questions(key)
    assert settings.weights == expected_weights(key)
    assert settings.hard_rules == matching_of(key)["hard_rules"]
    assert settings.career_goal_options == matching_of(key)["career_goal_options"]
    enrollment = EnrollmentFactory(program=program, user=cast.mentee1)
    client.force_login(cast.admin)
    response = client.get(page("criteria", program))
    assert response.context["form"]["questions"].value() == expected_questions(key)
    assert client.get(page("profile-edit", program, pk=enrollment.pk)).status_code == 200
    api_client.force_authenticate(cast.admin)
    body = api_client.get(api_settings(program)).json()
    assert body["questions"] == expected_questions(key)
    assert rows(program) == (0, 0)
    # The first write creates what the reads showed, with the template's custom questions.
    with scope(organization=cast.org_a):
        created = criteria_services.ensure_settings(program)
    assert created.questions == settings.questions
    assert rows(program) == (1, len(matching_of(key).get("custom_questions", [])))


# --- The demo ------------------------------------------------------------------------------------


def test_demo_program_keeps_its_own_settings_and_answers_the_template_question():
    call_command("seed_demo", verbosity=0, stdout=None)
    with scopes_disabled():
        program = Program.objects.get(template_key="career-transition")
        settings = MatchingSettings.objects.get(program=program)
        texts = list(CustomQuestion.objects.filter(program=program).values_list("text", flat=True))
        move = CustomQuestion.objects.get(
            program=program, text=matching_of("career-transition")["custom_questions"][0]["text"]
        )
        answers = [p.custom_answers.get(str(move.pk)) for p in Profile.objects.all()]
    assert settings.questions == default_questions()  # the demo profiles answer everything
    assert settings.weights[move.criterion_key] == 0.9
    assert len(texts) == 2 and "What should the mentoring focus on?" in texts
    assert len(answers) == 4 and all(answers)


# --- Matching's own data -------------------------------------------------------------------------


def test_each_template_matching_section_lives_in_matching():
    assert sorted(defaults.template_sections()) == KEYS
    for path in sorted(catalog.DATA_DIR.glob("*.json")):
        program_part = json.loads(path.read_text(encoding="utf-8"))
        assert not program_part.keys() & {"matching", *criteria_services.TEMPLATE_MATCHING_KEYS}
        # The catalog shows matching's section, as matching's hook hands it over.
        assert matching_of(path.stem) is defaults.template_section(path.stem)


@pytest.mark.parametrize("key", KEYS)
def test_each_matching_data_file_loads_and_validates(key):
    path = defaults.DATA_DIR / f"{key}.json"
    section = catalog.load_data_file(path, criteria_services.clean_template_matching)
    assert section == matching_of(key)
    assert "$comment" in json.loads(path.read_text(encoding="utf-8"))  # the why, for editors


def test_a_broken_matching_data_file_fails_naming_the_file(tmp_path):
    section = {**matching_of("young-leaders"), "weights": {"skills": "a lot"}}
    path = tmp_path / "young-leaders.json"
    path.write_text(json.dumps(section), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured) as exc:
        catalog.load_data_file(path, criteria_services.clean_template_matching)
    assert str(exc.value) == (
        f"{path} is not a valid template file:\n"
        "- weights: The weight of “Skill overlap” must be between 0 and 1."
    )
