"""Programs' part of the world, in each organization: an active "pilot" (its agreement template,
a cohort, an application waiting, its join link on, a logic model of two outcomes, an output
linked to the first and two indicators) and a "draft". Org B's have their own slugs, so that org
A's URL with org B's slug must be "not found".

Sets ``w.pilots`` (org A's, org B's) and ``w.applications`` (their waiting enrolments: org A's
mentee2, the org B member) for the parts that follow."""

from django_scopes import scope, scopes_disabled

from programs import services
from programs.models import LogicModelLink, Program
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    IndicatorFactory,
    LogicModelItemFactory,
    ProgramFactory,
)

STARTED = {"status": "active", "start_date": "2027-01-04"}


def build(w):
    cast = w.cast
    w.pilots = (
        ProgramFactory(organization=cast.org_a, slug="pilot", name="Pilot A", **STARTED),
        ProgramFactory(organization=cast.org_b, slug="pilot-b", name="Pilot B", **STARTED),
    )
    drafts = (
        ProgramFactory(organization=cast.org_a, slug="draft", name="Draft A"),
        ProgramFactory(organization=cast.org_b, slug="draft-b", name="Draft B"),
    )
    for program in w.pilots:
        with scope(organization=program.organization):
            services.save_agreement_template(
                program=program, body="We agree.", actor=None, audit_it=False
            )
    cohorts = tuple(CohortFactory(program=p, name="Spring") for p in w.pilots)
    # Enrolment: an application waiting in each pilot, whose join link is on.
    w.applications = tuple(
        EnrollmentFactory(program=program, user=user, status="applied")
        for program, user in zip(w.pilots, (cast.mentee2, w.org_b_member.user), strict=True)
    )
    with scopes_disabled():
        Program.objects.filter(pk__in=[p.pk for p in w.pilots]).update(join_link_enabled=True)
        for program in w.pilots:
            program.refresh_from_db()
    # Logic model: the first outcome and indicator are the ones the routes name, so that moving
    # them down really moves them.
    logic_items, indicators = [], []
    for program in w.pilots:
        first = LogicModelItemFactory(program=program, kind="outcome", title="Outcome 1")
        LogicModelItemFactory(program=program, kind="outcome", title="Outcome 2", position=1)
        output = LogicModelItemFactory(program=program, kind="output", title="Plans written")
        with scope(organization=program.organization):
            LogicModelLink.objects.create(
                organization=program.organization, program=program, source=output, target=first
            )
        logic_items.append(first.pk)
        indicators.append(IndicatorFactory(program=program, outcome=first, title="First").pk)
        IndicatorFactory(program=program, outcome=first, title="Second", position=1)
    return {
        "program_slug": tuple(p.slug for p in w.pilots),
        "draft_program_slug": tuple(p.slug for p in drafts),
        "cohort": tuple(c.pk for c in cohorts),
        "enrollment": tuple(e.pk for e in w.applications),
        "join_token": tuple(p.join_token for p in w.pilots),
        "logic_item": tuple(logic_items),
        "indicator": tuple(indicators),
    }
