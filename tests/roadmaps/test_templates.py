"""A program's roadmap template: made with the program (its template's section, else the
generic one), checked on load, edited by admins, and applied to live pairs only when asked
(never touching a milestone they started)."""

import html
import json

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mentorship.models import AuditLogEntry
from programs import catalog
from programs.services import create_program
from roadmaps import defaults
from roadmaps.models import Milestone, RoadmapTemplate, TemplateMilestone
from roadmaps.services import templates as services
from roadmaps.services.templates import clean_section

from .helpers import client_for, milestones_of

pytestmark = pytest.mark.django_db


def test_each_program_template_ships_a_roadmap_section():
    for key in ("career-transition", "onboarding-buddy", "young-leaders"):
        assert catalog.templates()[key]["roadmap"]["milestones"], key


def test_a_program_made_from_a_template_gets_its_roadmap_with_outputs_linked(cast):
    with scope(organization=cast.org_a):
        program = create_program(
            organization=cast.org_a,
            actor=cast.admin,
            name="Moves",
            template_key="career-transition",
        )
        template = RoadmapTemplate.objects.get(program=program)
        steps = list(TemplateMilestone.objects.filter(template=template).order_by("position"))
    assert [s.title for s in steps] == [
        "Sign your mentoring agreement",
        "Hold your first meeting",
        "Write your transition plan",
        "Meet five people in your target field",
        "Practise an interview",
        "Apply for relevant roles",
    ]
    network = steps[3]
    assert network.output.title == "Each mentee meets at least five people in the target field"
    assert (network.target, network.after, network.offset, network.offset_unit) == (
        5,
        steps[2],
        6,
        "weeks",
    )
    assert services.offsets(steps)[network.pk] == 2 * 7 + 3 * 7 + 6 * 7


def test_a_blank_program_gets_the_generic_roadmap(cast):
    with scope(organization=cast.org_a):
        program = create_program(organization=cast.org_a, actor=cast.admin, name="Blank")
        titles = list(
            TemplateMilestone.objects.filter(template__program=program).values_list(
                "title", flat=True
            )
        )
    assert titles == [m["title"] for m in defaults.GENERIC["milestones"]]


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ({"milestones": []}, "Give the roadmap's milestones as a non-empty list."),
        ({"milestones": [{"title": ""}]}, "Milestone 1: title: Give the milestone a title."),
        (
            {"milestones": [{"title": "A", "after": "nope"}]},
            "Milestone 1: after: “nope” is not an earlier milestone's id.",
        ),
        (
            {"milestones": [{"title": "A", "auto_event": "coffee"}]},
            "Milestone 1: auto_event: Choose one of the events the platform records, or none.",
        ),
        (
            {"milestones": [{"title": "A", "target": 3}]},
            "Milestone 1: target: A target counts towards an output: name the output.",
        ),
        ({"milestones": [{"title": "A", "colour": "red"}]}, "Milestone 1: unknown keys colour."),
    ],
)
def test_a_broken_section_is_refused_naming_the_problem(section, problem):
    with pytest.raises(ValidationError) as exc:
        clean_section(section)
    assert problem in exc.value.messages


def test_a_broken_file_stops_the_load_naming_it(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"milestones": [{"title": ""}]}))
    with pytest.raises(ImproperlyConfigured, match="broken.json is not a valid template file"):
        catalog.load_data_file(path, clean_section)


def _template(live_program):
    with scopes_disabled():
        return RoadmapTemplate.objects.select_related("program").get(program=live_program.program)


def _steps(template):
    with scopes_disabled():
        return list(TemplateMilestone.objects.filter(template=template).order_by("position", "pk"))


def test_editing_for_new_pairs_only_leaves_live_roadmaps_alone(cast, live_program):
    template = _template(live_program)
    step = _steps(template)[2]
    before = [milestones_of(m) for m in live_program.matches]
    with scope(organization=cast.org_a):
        services.update_milestone(milestone=step, actor=cast.admin, title="Agree three goals")
    assert [milestones_of(m) for m in live_program.matches] == before
    assert [m.title for m in milestones_of(live_program.matches[0])][2] == "Agree your goals"


def test_applying_to_live_pairs_changes_only_not_started_copies(cast, live_program):
    template = _template(live_program)
    steps = _steps(template)
    first, second = live_program.matches
    started = milestones_of(first)[2]
    with scopes_disabled():
        Milestone.objects.filter(pk=started.pk).update(status="in_progress")
    old_due = {m.pk: m.due_date for m in milestones_of(first) + milestones_of(second)}
    with scope(organization=cast.org_a):
        services.update_milestone(
            milestone=steps[2],
            actor=cast.admin,
            apply_to="live",
            title="Agree three goals",
            offset=3,
        )
    mine = milestones_of(first)
    theirs = milestones_of(second)
    # The started one keeps its words and date; the other pair's copy takes the change.
    assert (mine[2].title, mine[2].due_date) == ("Agree your goals", old_due[mine[2].pk])
    assert (theirs[2].title, (theirs[2].due_date - old_due[theirs[2].pk]).days) == (
        "Agree three goals",
        7,
    )
    # The review waits for it, so it moves by a week too (in both: neither has started it).
    assert (mine[3].due_date - old_due[mine[3].pk]).days == 7
    assert (theirs[3].due_date - old_due[theirs[3].pk]).days == 7
    with scopes_disabled():
        entry = AuditLogEntry.objects.filter(action="roadmap_template.milestone_changed").get()
    assert (entry.data["applied"], entry.data["apply_to"]) == (1, "live")


def test_adding_for_live_pairs_appends_to_each_roadmap(cast, live_program):
    template = _template(live_program)
    with scope(organization=cast.org_a):
        step = services.add_milestone(
            template=template,
            actor=cast.admin,
            apply_to="live",
            title="Shadow a colleague",
            offset=5,
            offset_unit="days",
            owner="mentee",
        )
    for match in live_program.matches:
        last = milestones_of(match)[-1]
        assert (last.title, last.template_milestone_id, last.owner, last.position) == (
            "Shadow a colleague",
            step.pk,
            "mentee",
            4,
        )
        assert (last.due_date - milestones_of(match)[0].due_date).days == 5 - 7


def test_deleting_for_live_pairs_removes_only_not_started_copies(cast, live_program):
    template = _template(live_program)
    step = _steps(template)[3]
    first, second = live_program.matches
    with scopes_disabled():
        Milestone.objects.filter(roadmap__match=first, template_milestone=step).update(
            status="skipped"
        )
    with scope(organization=cast.org_a):
        services.delete_milestone(milestone=step, actor=cast.admin, apply_to="live")
    assert [m.title for m in milestones_of(first)][-1] == "Look back on your progress"
    assert milestones_of(first)[-1].template_milestone_id is None
    assert len(milestones_of(second)) == 3


def test_a_milestone_cannot_wait_for_one_that_waits_for_it(cast, live_program):
    steps = _steps(_template(live_program))
    with scope(organization=cast.org_a), pytest.raises(ValidationError) as exc:
        services.update_milestone(milestone=steps[2], actor=cast.admin, after=steps[3].pk)
    assert exc.value.message_dict == {
        "after": ["A milestone can't wait for itself or for one that waits for it."]
    }


def test_reorder_needs_every_milestone_once(cast, live_program):
    template = _template(live_program)
    pks = [s.pk for s in _steps(template)]
    with scope(organization=cast.org_a):
        with pytest.raises(ValidationError):
            services.reorder_milestones(template=template, order=pks[:2], actor=cast.admin)
        services.reorder_milestones(template=template, order=pks[::-1], actor=cast.admin)
    assert [s.pk for s in _steps(template)] == pks[::-1]


# --- The editor page ------------------------------------------------------------------------


def _url(name, program, *args):
    return reverse(f"roadmaps:{name}", args=[program.organization.slug, program.slug, *args])


def test_the_editor_lists_the_template_and_offers_the_choice_for_live_pairs(cast, live_program):
    response = client_for(cast.admin).get(_url("template", live_program.program))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Agree your goals" in body
    assert "Also the milestones live pairs haven" in body
    assert "in 2 live roadmaps" in body


def test_hr_reads_the_editor_without_its_forms(cast, live_program):
    response = client_for(cast.hr).get(_url("template", live_program.program))
    assert response.status_code == 200
    assert "Add a milestone" not in html.unescape(response.content.decode())


def test_a_member_gets_403_in_a_program_they_take_part_in(cast, live_program):
    assert client_for(cast.mentor1).get(_url("template", live_program.program)).status_code == 403


def test_another_organization_gets_404(cast, live_program):
    response = client_for(cast.outsider).get(_url("template", live_program.program))
    assert response.status_code == 404


def test_adding_through_the_page_with_bad_input_is_400_and_writes_nothing(cast, live_program):
    template = _template(live_program)
    count = len(_steps(template))
    response = client_for(cast.admin).post(
        _url("template-milestone-add", live_program.program),
        {
            "title": "X",
            "offset": "2",
            "offset_unit": "weeks",
            "owner": "both",
            "target": "3",
            "apply_to": "new",
        },
    )
    assert response.status_code == 400
    assert "A target counts towards an output: choose the output." in html.unescape(
        response.content.decode()
    )
    assert len(_steps(template)) == count
    with scopes_disabled():
        assert not AuditLogEntry.objects.filter(action__startswith="roadmap_template").exists()


def test_adding_through_the_page_for_live_pairs(cast, live_program):
    response = client_for(cast.admin).post(
        _url("template-milestone-add", live_program.program),
        {
            "title": "Shadow a colleague",
            "offset": "3",
            "offset_unit": "weeks",
            "owner": "mentee",
            "apply_to": "live",
            "required": "on",
        },
    )
    assert response.status_code == 302
    assert [m.title for m in milestones_of(live_program.matches[1])][-1] == "Shadow a colleague"


def test_the_audit_sentence_reads(cast, live_program, no_fallbacks):
    from mentorship import audit

    template = _template(live_program)
    with scope(organization=cast.org_a):
        services.add_milestone(
            template=template, actor=cast.admin, apply_to="live", title="Shadow", offset=1
        )
        entries = list(AuditLogEntry.objects.filter(action__startswith="roadmap_template"))
        audit.describe_entries(entries, viewer=None)
    assert entries[0].summary.endswith(
        "added the milestone “Shadow” to the roadmap of Live and added it for 2 live pairs "
        "who hadn't started it."
    )
