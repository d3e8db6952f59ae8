"""A milestone's due date is a day of its program's calendar: "late" is judged against today in
the program's time zone, not the viewer's nor UTC's, and the page, the grid, the API and what
rooms reads agree."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from mentorship.models import User
from programs.models import Program
from roadmaps import queries
from roadmaps.models import Milestone

from .helpers import client_for, milestones_of, roadmap_of

pytestmark = pytest.mark.django_db

# 20:00 UTC on 12 February 2030: noon of the 12th in Los Angeles, already 09:00 on the 13th in
# Auckland, 21:00 of the 12th in Berlin (the organization's zone).
MOMENT = dt.datetime(2030, 2, 12, 20, 0, tzinfo=dt.UTC)
FAR = dt.date(2031, 1, 1)

SCENARIOS = [
    # (the program's zone, the viewers' zone, today in the program)
    pytest.param("America/Los_Angeles", "Pacific/Auckland", dt.date(2030, 2, 12), id="behind"),
    pytest.param("Pacific/Auckland", "Europe/Berlin", dt.date(2030, 2, 13), id="ahead"),
]


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _set_up(cast, live_program, program_zone, viewer_zone, today):
    """The program in ``program_zone``, its viewers in ``viewer_zone``; mentee1's first
    milestone due yesterday in the program, the second due today there, every other one far
    ahead."""
    program = live_program.program
    User.objects.filter(pk__in=[cast.mentee1.pk, cast.hr.pk]).update(time_zone=viewer_zone)
    with scopes_disabled():
        Program.objects.filter(pk=program.pk).update(time_zone=program_zone)
        Milestone.objects.filter(roadmap__program=program).update(due_date=FAR)
        ms = milestones_of(live_program.matches[0])
        Milestone.objects.filter(pk=ms[0].pk).update(due_date=today - dt.timedelta(days=1))
        Milestone.objects.filter(pk=ms[1].pk).update(due_date=today)
    return ms


@pytest.mark.parametrize(("program_zone", "viewer_zone", "today"), SCENARIOS)
def test_program_today_is_the_day_in_the_programs_zone(
    cast, live_program, program_zone, viewer_zone, today
):
    _set_up(cast, live_program, program_zone, viewer_zone, today)
    with scopes_disabled():
        program = Program.objects.select_related("organization").get(pk=live_program.program.pk)
    with time_machine.travel(MOMENT, tick=False):
        assert queries.program_today(program) == today
    # Without a zone of its own, the program keeps its organization's calendar (Berlin).
    program.time_zone = ""
    with time_machine.travel(MOMENT, tick=False):
        assert queries.program_today(program) == dt.date(2030, 2, 12)


@pytest.mark.parametrize(("program_zone", "viewer_zone", "today"), SCENARIOS)
def test_the_pairs_page_judges_late_in_the_programs_zone(
    cast, live_program, program_zone, viewer_zone, today
):
    ms = _set_up(cast, live_program, program_zone, viewer_zone, today)
    roadmap = roadmap_of(live_program.matches[0])
    url = reverse("roadmaps:roadmap", args=[cast.org_a.slug, roadmap.pk])
    with time_machine.travel(MOMENT, tick=False):
        body = client_for(cast.mentee1).get(url).content.decode()
    assert f'list-group-item list-group-item-danger" id="milestone-{ms[0].pk}"' in body
    assert f'list-group-item" id="milestone-{ms[1].pk}"' in body
    assert body.count('<span class="badge rounded-pill text-bg-danger">Late</span>') == 1
    assert '<span class="text-danger fw-semibold">1 late</span>' in body


@pytest.mark.parametrize(("program_zone", "viewer_zone", "today"), SCENARIOS)
def test_the_grid_judges_late_in_the_programs_zone(
    cast, live_program, program_zone, viewer_zone, today
):
    _set_up(cast, live_program, program_zone, viewer_zone, today)
    url = reverse("roadmaps:grid", args=[cast.org_a.slug, live_program.program.slug])
    client = client_for(cast.hr)
    with time_machine.travel(MOMENT, tick=False):
        body = client.get(url).content.decode()
        late_only = client.get(url + "?late=1").content.decode()
    assert body.count('<th scope="row"') == 2
    assert body.count('<span class="badge text-bg-danger">1 late</span>') == 1
    assert body.count(", late</span>") == 1
    assert late_only.count('<th scope="row"') == 1
    assert live_program.matches[0].mentee.display_name in late_only


@pytest.mark.parametrize(("program_zone", "viewer_zone", "today"), SCENARIOS)
def test_the_api_and_rooms_judge_late_in_the_programs_zone(
    cast, live_program, program_zone, viewer_zone, today
):
    _set_up(cast, live_program, program_zone, viewer_zone, today)
    first, second = live_program.matches
    roadmap = roadmap_of(first)
    client = api(cast.mentee1)
    kwargs = {"org_slug": cast.org_a.slug}
    with time_machine.travel(MOMENT, tick=False):
        detail = client.get(reverse("api:roadmap-detail", kwargs={**kwargs, "pk": roadmap.pk}))
        listed = client.get(
            reverse("api:roadmap-milestone-list", kwargs={**kwargs, "roadmap_pk": roadmap.pk})
        )
        mine = client.get(reverse("api:roadmap-list", kwargs=kwargs))
        with scope(organization=cast.org_a):
            progress = queries.progress_by_match([first.pk, second.pk])
    assert [m["late"] for m in detail.json()["milestones"]] == [True, False, False, False]
    assert detail.json()["progress"]["late"] == 1
    assert [m["late"] for m in listed.json()["results"]] == [True, False, False, False]
    assert mine.json()["results"][0]["progress"]["late"] == 1
    assert progress[first.pk].late == 1
    assert progress[second.pk].late == 0
    assert progress[first.pk].next_due == today - dt.timedelta(days=1)


def test_progress_of_pairs_in_programs_of_different_zones_uses_each_programs_day(
    cast, live_program
):
    """Rooms asks for several programs' pairs at once (a member's rooms): each pair's lateness
    is judged in its own program's calendar."""
    from roadmaps.services.templates import ensure_template
    from tests.factories import ProgramFactory

    from .helpers import start_pairs

    _set_up(cast, live_program, "America/Los_Angeles", "Europe/Berlin", dt.date(2030, 2, 12))
    other = ProgramFactory(
        organization=cast.org_a, status="active", slug="kiwi", time_zone="Pacific/Auckland"
    )
    with scope(organization=cast.org_a):
        ensure_template(other)
    (kiwi,) = start_pairs(other, 1)
    with scopes_disabled():
        Milestone.objects.filter(roadmap__match=kiwi).update(due_date=FAR)
        Milestone.objects.filter(pk=milestones_of(kiwi)[0].pk).update(due_date=dt.date(2030, 2, 12))
    with time_machine.travel(MOMENT, tick=False), scope(organization=cast.org_a):
        progress = queries.progress_by_match([live_program.matches[0].pk, kiwi.pk])
        # An explicit day still wins (tests and callers that know the day).
        given = queries.progress_by_match([kiwi.pk], today=dt.date(2030, 2, 12))
    # Due the 12th: late in Auckland (already the 13th); due the 11th: late in Los Angeles.
    assert progress[live_program.matches[0].pk].late == 1
    assert progress[kiwi.pk].late == 1
    assert given[kiwi.pk].late == 0
