"""Program templates: each builds a complete program, ready to go active once it has dates."""

import datetime
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django_scopes import scope

from programs import catalog, services
from programs import logic_model as lm
from programs.agreements import PLACEHOLDER_RE, PLACEHOLDERS
from programs.models import Indicator, LogicModelItem, Program

pytestmark = pytest.mark.django_db


def test_the_catalog_has_the_promised_templates():
    assert {"career-transition", "young-leaders", "onboarding-buddy"} <= set(catalog.TEMPLATES)
    stages = [
        "Trust and rapport", "Define the problem or skill", "Meaning and impact",
        "Commitment and action", "Support and resources", "Review and feedback",
    ]  # fmt: skip
    agreement = catalog.TEMPLATES["young-leaders"]["agreement"]
    positions = [agreement.find(s) for s in stages]
    assert -1 not in positions and positions == sorted(positions)


@pytest.mark.parametrize("key", sorted(catalog.TEMPLATES))
def test_template_validates_like_an_import(key):
    template = catalog.TEMPLATES[key]
    parsed = lm.parse_logic_model(catalog.logic_model_data(key))
    kinds = {i["kind"] for i in parsed["items"]}
    assert kinds == {"outcome", "output", "activity", "input"}
    assert len(parsed["indicators"]) >= len(template["outcomes"])
    assert all(i["target"] is not None for i in parsed["indicators"])
    used = set(PLACEHOLDER_RE.findall(template["agreement"]))
    assert used <= set(PLACEHOLDERS) and {"mentor_name", "mentee_name"} <= used
    assert len(template["foundation"]["rules_of_engagement"]) >= 5


@pytest.mark.parametrize("key", sorted(catalog.TEMPLATES))
def test_program_from_template_is_ready_once_dated(cast, key):
    template = catalog.TEMPLATES[key]
    with scope(organization=cast.org_a):
        program = services.create_program(
            organization=cast.org_a, actor=cast.admin, name=template["name"], template_key=key
        )
        program.refresh_from_db()
        for name, value in template["cadences"].items():
            assert getattr(program, name) == value
        assert lm.missing_for_activation(program) == []
        assert services.readiness(program) == ["Set the program's start date."]
        services.update_program(
            program=program, actor=cast.admin, start_date=datetime.date(2027, 1, 4)
        )
        assert services.readiness(program) == []
        services.change_status(program=program, status=Program.Status.ACTIVE, actor=cast.admin)
        assert LogicModelItem.objects.filter(program=program, kind="outcome").count() == len(
            template["outcomes"]
        )
        assert Indicator.objects.filter(program=program).count() == len(template["indicators"])
        assert (
            program.foundation.rules_of_engagement == template["foundation"]["rules_of_engagement"]
        )
        current = services.current_agreement_template(program)
        assert (current.version, current.body) == (1, template["agreement"].strip())


# --- The data files ------------------------------------------------------------------------------

DATA_FILES = sorted(catalog.DATA_DIR.glob("*.json"))


def test_each_template_is_one_data_file():
    assert [path.stem for path in DATA_FILES] == sorted(catalog.TEMPLATES)
    # The picker keeps the order the program list promises.
    assert list(catalog.TEMPLATES) == ["career-transition", "young-leaders", "onboarding-buddy"]
    assert catalog.CAREER_TRANSITION is catalog.TEMPLATES["career-transition"]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda path: path.name)
def test_each_data_file_loads_and_validates(path):
    data = catalog.load_data_file(path, catalog.check_template)
    assert set(data) == set(catalog.FIELDS)
    assert {k: v for k, v in catalog.TEMPLATES[path.stem].items() if k in data} == data


def young_leaders():
    return json.loads((catalog.DATA_DIR / "young-leaders.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("breaks", "problem"),
    [
        (lambda t: t.pop("agreement"), "template: “agreement” is missing."),
        (lambda t: t.update(cadences=[2]), "template: “cadences” must be an object."),
        (lambda t: t.update(position=True), "template: “position” must be a whole number."),
        (lambda t: t.update(matching={}), "template: unknown key “matching”."),
        (
            lambda t: t["cadences"].update(meeting_minutes=0),
            "cadences: meeting_minutes: Ensure this value is greater than or equal to 30.",
        ),
        (
            lambda t: t["cadences"].update(colour="blue"),
            "cadences: unknown program settings colour.",
        ),
        (lambda t: t["inputs"][1].pop("activities"), "inputs[2]: “activities” is missing."),
        (
            lambda t: t["indicators"][0].update(survey_qestion="?"),
            "indicators[1]: unknown key “survey_qestion”.",
        ),
        (
            lambda t: t["foundation"].update(rules_of_engagement=["Be kind.", 3]),
            "foundation: “rules_of_engagement” must be a list of sentences.",
        ),
        # What an import or an admin's save would refuse.
        (
            lambda t: t["outputs"][0].update(outcomes=["nowhere"]),
            "logic model: links[1]: “output:agreements” → “outcome:nowhere” names an item that "
            "isn't in “items”.",
        ),
        (
            lambda t: t["indicators"][0].update(measure="vibes"),
            "logic model: indicators[1]: measure: unknown measure 'vibes'.",
        ),
        (
            lambda t: t.update(agreement="{{ salary }}"),
            "agreement: Unknown placeholder(s): {{ salary }}.",
        ),
    ],
)
def test_a_broken_data_file_fails_naming_the_file(tmp_path, breaks, problem):
    template = young_leaders()
    breaks(template)
    path = tmp_path / "young-leaders.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured) as exc:
        catalog.load_data_file(path, catalog.check_template)
    assert str(exc.value) == f"{path} is not a valid template file:\n- {problem}"


def test_a_data_file_that_is_not_json_fails_naming_the_file(tmp_path):
    path = tmp_path / "young-leaders.json"
    path.write_text('{"name": "Young leaders",', encoding="utf-8")
    with pytest.raises(ImproperlyConfigured) as exc:
        catalog.load_data_file(path, catalog.check_template)
    assert str(exc.value).startswith(f"{path} can't be read as JSON: ")
