"""Program templates: each builds a complete program, ready to go active once it has dates."""

import datetime

import pytest
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
