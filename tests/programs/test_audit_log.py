"""The programs app's audit actions read as sentences on the audit log page: each service that
records one is called here, and its sentence (with its link while the thing exists) checked."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scope

from mentorship import audit
from mentorship import services as org_services
from mentorship.models import Role, User
from programs import enrolment, services
from programs import logic_model as lm
from tests.audit_log import log, recorded_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(cast):
    cast.admin.name = "Ada Admin"
    cast.admin.save(update_fields=["name"])
    cast.mentee1.name = "Bea Mentee"
    cast.mentee1.save(update_fields=["name"])
    return cast


def page(name, program):
    return reverse(f"programs:{name}", args=[program.organization.slug, program.slug])


def test_program_lifecycle_reads_as_sentences(client, ada, no_fallbacks):
    cast = ada
    with scope(organization=cast.org_a):
        program = services.create_program(
            organization=cast.org_a,
            actor=cast.admin,
            name="Career moves 2027",
            template_key="career-transition",
        )
        services.update_program(
            program=program,
            actor=cast.admin,
            name="Career moves 2027",
            start_date=datetime.date(2027, 1, 4),
            meeting_minutes=50,
        )
        services.save_foundation(
            program=program, actor=cast.admin, values="Care", goals="Grow", rules_of_engagement=[]
        )
        services.save_agreement_template(program=program, body="We agree.", actor=cast.admin)
        services.change_status(program=program, status="pilot", actor=cast.admin)
        services.change_status(program=program, status="active", actor=cast.admin)
        old = services.create_program(organization=cast.org_a, actor=cast.admin, name="Old pilot")
        services.delete_program(program=old, actor=cast.admin)
        services.change_status(program=program, status="closed", actor=cast.admin)
    detail = page("detail", program)
    got = log(client, cast)
    assert [plain for plain, _ in got] == [
        "Ada Admin created the program Career moves 2027 from the template “Career transition”.",
        "Ada Admin changed the start date and meeting length of the program Career moves 2027.",
        "Ada Admin saved the foundation of the program Career moves 2027.",
        "Ada Admin saved version 2 of the agreement of the program Career moves 2027.",
        "Ada Admin started the program Career moves 2027 as a pilot.",
        "Ada Admin made the program Career moves 2027 active after its pilot.",
        "Ada Admin created the program Old pilot.",
        "Ada Admin deleted the program “Old pilot”.",
        "Ada Admin closed the program Career moves 2027.",
    ]
    assert got[0][1] == (
        f'Ada Admin created the program <a href="{detail}">Career moves 2027</a> from the '
        "template “Career transition”."
    )
    assert got[2][1] == (
        f'Ada Admin saved the <a href="{page("foundation", program)}">foundation</a> of the '
        f'program <a href="{detail}">Career moves 2027</a>.'
    )
    assert got[3][1].startswith(
        f'Ada Admin saved version 2 of the <a href="{page("agreement", program)}">'
    )
    # The deleted program is named, never linked.
    assert "<a" not in got[6][1] and "<a" not in got[7][1]
    assert recorded_actions(cast) == {
        "program.created",
        "program.updated",
        "program.foundation_saved",
        "program.agreement_saved",
        "program.status_changed",
        "program.deleted",
    }


def test_cohorts_read_as_sentences(client, ada, no_fallbacks):
    cast = ada
    with scope(organization=cast.org_a):
        program = services.create_program(organization=cast.org_a, actor=cast.admin, name="Pilot")
        spring = services.create_cohort(
            program=program, name="Spring", start_date=datetime.date(2027, 3, 1), actor=cast.admin
        )
        services.update_cohort(
            cohort=spring, name="Spring 2027", start_date=spring.start_date, actor=cast.admin
        )
        autumn = services.create_cohort(
            program=program, name="Autumn", start_date=datetime.date(2027, 9, 1), actor=cast.admin
        )
        services.delete_cohort(cohort=autumn, actor=cast.admin)
    cohorts, detail = page("cohorts", program), page("detail", program)
    got = log(client, cast)[1:]
    assert [plain for plain, _ in got] == [
        "Ada Admin added the cohort Spring 2027 to Pilot.",
        "Ada Admin edited the cohort Spring 2027 of Pilot.",
        "Ada Admin added the cohort Autumn.",
        "Ada Admin deleted the cohort “Autumn”.",
    ]
    assert got[0][1] == (
        f'Ada Admin added the cohort <a href="{cohorts}">Spring 2027</a> to '
        f'<a href="{detail}">Pilot</a>.'
    )
    # A cohort since deleted: the name it had, no link (nor its program, no longer known).
    assert "<a" not in got[2][1] + got[3][1]
    assert recorded_actions(cast) == {
        "program.created",
        "cohort.created",
        "cohort.updated",
        "cohort.deleted",
    }


def test_enrolment_reads_as_sentences(client, ada, no_fallbacks):
    cast = ada
    with scope(organization=cast.org_a):
        program = services.create_program(
            organization=cast.org_a, actor=cast.admin, name="Pilot", join_link_enabled=True
        )
        services.change_status  # noqa: B018 - the program stays a draft: enrolment works there
        bea = enrolment.invite_participant(
            program=program, email=cast.mentee1.email, role="mentee", actor=cast.admin
        )
        enrolment.invite_participant(
            program=program, email="newcomer@a.example", role="mentor", actor=cast.admin
        )
        applied = enrolment.apply(program=program, user=cast.mentor2, role="mentor")
        enrolment.decline(enrollment=applied, actor=cast.admin)
        enrolment.accept(enrollment=applied, actor=cast.admin)
        enrolment.withdraw(enrollment=bea, actor=cast.admin)
        enrolment.import_rows(
            program=program,
            rows=[{"line": 2, "email": "csv@a.example", "name": "Cee", "role": "mentee"}],
            actor=cast.admin,
        )
        invitation = org_services.invite_member(
            organization=cast.org_a, email="late@a.example", role=Role.MEMBER, actor=cast.admin
        )
        enrolment.invite_participant(
            program=program, email="late@a.example", role="mentee", actor=cast.admin
        )
        late = User.objects.create_user(email="late@a.example", name="Lee Late")
        org_services.accept_invitation(invitation=invitation, user=late)
    mentor2 = cast.mentor2.display_name
    program_actions = log(client, cast)
    assert [plain for plain, _ in program_actions] == [
        "Ada Admin created the program Pilot.",
        "Ada Admin added Bea Mentee to Pilot as a mentee.",
        "Ada Admin invited newcomer@a.example to Pilot as a mentor.",
        "Ada Admin invited newcomer@a.example to join as member.",  # the organization's
        f"{mentor2} applied to join Pilot as a mentor.",
        f"Ada Admin declined the application of {mentor2} to Pilot.",
        f"Ada Admin accepted {mentor2} into Pilot as a mentor.",
        "Ada Admin withdrew Bea Mentee from Pilot.",
        "Ada Admin invited csv@a.example to Pilot as a mentee (from a CSV file).",
        "Ada Admin invited csv@a.example to join as member.",
        "Ada Admin imported 1 person into Pilot from a CSV file.",
        "Ada Admin invited late@a.example to join as member.",
        "Ada Admin invited late@a.example to Pilot as a mentee.",
        "Lee Late accepted the invitation and joined as member.",
        "Lee Late joined the organization, so their enrolment in Pilot became active.",
    ]
    program_actions = program_actions[1:]
    enrollments = page("enrollments", program)
    assert program_actions[0][1] == (
        f'Ada Admin added <a href="{enrollments}">Bea Mentee</a> to '
        f'<a href="{page("detail", program)}">Pilot</a> as a mentee.'
    )
    assert {a for a in recorded_actions(cast) if a.startswith("enrollment.")} == {
        "enrollment.invited",
        "enrollment.applied",
        "enrollment.declined",
        "enrollment.active",
        "enrollment.withdrawn",
        "enrollment.imported",
        "enrollment.linked",
    }


def test_logic_model_reads_as_sentences(client, ada, no_fallbacks):
    cast = ada
    with scope(organization=cast.org_a):
        program = services.create_program(organization=cast.org_a, actor=cast.admin, name="Pilot")
        outcome = lm.add_item(program=program, kind="outcome", title="Confidence", actor=cast.admin)
        second = lm.add_item(program=program, kind="outcome", title="Retention", actor=cast.admin)
        output = lm.add_item(program=program, kind="output", title="Plans", actor=cast.admin)
        lm.update_item(item=output, title="Career plans", actor=cast.admin)
        lm.set_links(item=output, target_ids=[outcome.pk, second.pk], actor=cast.admin)
        lm.move_item(item=second, direction="up", actor=cast.admin)
        indicator = lm.add_indicator(
            program=program,
            title="Confidence change",
            measure="confidence_change",
            target="1.5",
            outcome=outcome,
            actor=cast.admin,
        )
        other = lm.add_indicator(
            program=program, title="Sat", measure="satisfaction", target="4", actor=cast.admin
        )
        lm.update_indicator(
            indicator=indicator,
            title="Confidence up",
            measure="confidence_change",
            target="1.5",
            outcome=outcome,
            actor=cast.admin,
        )
        lm.move_indicator(indicator=other, direction="up", actor=cast.admin)
        lm.delete_indicator(indicator=other, actor=cast.admin)
        lm.delete_item(item=second, actor=cast.admin)
        lm.set_links(item=output, target_ids=[], actor=cast.admin)
        lm.import_logic_model(
            program=program, data=lm.export_logic_model(program), actor=cast.admin, replace=False
        )
    got = log(client, cast)[1:]
    assert [plain for plain, _ in got] == [
        "Ada Admin added the outcome “Confidence” to the logic model of Pilot.",
        # Retention and Sat were deleted since: their titles as recorded, no program, no link.
        "Ada Admin added the outcome “Retention” to the logic model.",
        "Ada Admin added the output “Career plans” to the logic model of Pilot.",
        "Ada Admin edited the output “Career plans” in the logic model of Pilot.",
        "Ada Admin linked the output “Career plans” to 2 outcomes in the logic model of Pilot.",
        "Ada Admin moved the item “Retention” to position 1 in the logic model.",
        "Ada Admin added the indicator “Confidence up” to the logic model of Pilot.",
        "Ada Admin added the indicator “Sat” to the logic model.",
        "Ada Admin edited the indicator “Confidence up” in the logic model of Pilot.",
        "Ada Admin moved the indicator “Sat” to position 1 in the logic model.",
        "Ada Admin removed the indicator “Sat” from the logic model.",
        "Ada Admin removed the outcome “Retention” from the logic model.",
        "Ada Admin removed the links of the output “Career plans” in the logic model of Pilot.",
        "Ada Admin imported a logic model into Pilot (2 items, 0 links, 1 indicator), added to "
        "the one it had.",
    ]
    designer = page("logic-model", program)
    assert got[0][1] == (
        f'Ada Admin added the outcome <a href="{designer}">“Confidence”</a> to the logic model '
        f'of <a href="{page("detail", program)}">Pilot</a>.'
    )
    assert "<a" not in got[11][1]
    assert recorded_actions(cast) - {"program.created"} == {
        "logic_item.created",
        "logic_item.updated",
        "logic_item.links_set",
        "logic_item.moved",
        "logic_item.deleted",
        "indicator.created",
        "indicator.updated",
        "indicator.moved",
        "indicator.deleted",
        "logic_model.imported",
    }


def test_every_action_recorded_above_is_described():
    """The programs app's services record these (the tests above perform each one)."""
    actions = [
        *("program.created", "program.updated", "program.status_changed", "program.deleted"),
        *("program.foundation_saved", "program.agreement_saved"),
        *("cohort.created", "cohort.updated", "cohort.deleted"),
        *("enrollment.invited", "enrollment.linked", "enrollment.applied", "enrollment.imported"),
        *(f"enrollment.{s}" for s in ("active", "declined", "withdrawn")),
        *("logic_item.created", "logic_item.updated", "logic_item.deleted", "logic_item.moved"),
        *("logic_item.links_set", "logic_model.imported"),
        *("indicator.created", "indicator.updated", "indicator.deleted", "indicator.moved"),
    ]
    assert [a for a in actions if not audit.is_described(a)] == []


def test_enrolment_of_a_deleted_program_reads_without_a_link(client, ada):
    with scope(organization=ada.org_a):
        program = services.create_program(organization=ada.org_a, actor=ada.admin, name="Gone")
        enrolment.invite_participant(
            program=program, email="x@a.example", role="mentee", actor=ada.admin
        )
        services.delete_program(program=program, actor=ada.admin)
    got = log(client, ada)
    assert got[1][0] == "Ada Admin invited x@a.example as a mentee."
    assert "<a" not in got[1][1]
