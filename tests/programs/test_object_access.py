"""The object-access layer of programs (``programs.queries.get_<thing>_for_member``): what each
member gets for each object a URL names. Another organization's object, or one of a program the
member may not see, is 404; a participant asking for the program's setup is 403; someone else's
enrolment is 404 to a participant."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from mentorship.models import Membership
from programs import queries
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    IndicatorFactory,
    LogicModelItemFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(cast):
    """In each organization a program with a cohort, an outcome and an indicator; in org A's,
    mentee 1 takes part (active) and mentee 2 has applied; mentor 2 takes part in nothing."""
    made = {}
    for org, slug in ((cast.org_a, "pilot"), (cast.org_b, "pilot-b")):
        program = ProgramFactory(organization=org, slug=slug)
        made[org.slug] = SimpleNamespace(
            program=program,
            cohort=CohortFactory(program=program),
            logic_item=LogicModelItemFactory(program=program),
            indicator=IndicatorFactory(program=program),
        )
    a = made["org-a"]
    a.mine = EnrollmentFactory(program=a.program, user=cast.mentee1)
    a.theirs = EnrollmentFactory(program=a.program, user=cast.mentee2, status="applied")
    made["org-b"].enrollment = EnrollmentFactory(program=made["org-b"].program)
    return made


def member(cast, user):
    if user == cast.outsider:
        with scopes_disabled():
            return Membership.objects.get(user=user)
    return cast.membership[user.pk]


def get(cast, helper, user, slug, pk):
    membership = member(cast, user)
    with scope(organization=membership.organization):
        return helper(membership, slug, pk)


SETUP = [
    ("cohort", queries.get_cohort_for_member),
    ("logic_item", queries.get_logic_item_for_member),
    ("indicator", queries.get_indicator_for_member),
]


@pytest.mark.parametrize(("kind", "helper"), SETUP)
def test_admins_and_hr_get_the_programs_setup(cast, objects, kind, helper):
    wanted = getattr(objects["org-a"], kind)
    for user in (cast.admin, cast.hr):
        found = get(cast, helper, user, "pilot", wanted.pk)
        assert (found.pk, type(found)) == (wanted.pk, type(wanted))
        assert found.program.slug == "pilot"


@pytest.mark.parametrize(("kind", "helper"), SETUP)
def test_a_participant_may_not_read_the_setup_403(cast, objects, kind, helper):
    """Mentee 1 sees the program (they take part), so its existence is no secret: 403."""
    with pytest.raises(PermissionDenied):
        get(cast, helper, cast.mentee1, "pilot", getattr(objects["org-a"], kind).pk)


@pytest.mark.parametrize(("kind", "helper"), SETUP)
def test_a_member_outside_the_program_gets_404(cast, objects, kind, helper):
    with pytest.raises(Http404):
        get(cast, helper, cast.mentor2, "pilot", getattr(objects["org-a"], kind).pk)


@pytest.mark.parametrize(("kind", "helper"), SETUP)
def test_another_organizations_member_gets_404(cast, objects, kind, helper):
    a_pk = getattr(objects["org-a"], kind).pk
    with pytest.raises(Http404):  # org A's program, by its slug
        get(cast, helper, cast.outsider, "pilot", a_pk)
    with pytest.raises(Http404):  # org A's object, in org B's own program
        get(cast, helper, cast.outsider, "pilot-b", a_pk)
    b_pk = getattr(objects["org-b"], kind).pk
    with pytest.raises(Http404):  # org B's object, in org A's program, by org A's admin
        get(cast, helper, cast.admin, "pilot", b_pk)
    assert get(cast, helper, cast.outsider, "pilot-b", b_pk).pk == b_pk


@pytest.mark.parametrize(("kind", "helper"), SETUP)
def test_an_id_that_is_not_one_is_404(cast, objects, kind, helper):
    """An API path segment may be any text: "not found", never a 500."""
    for pk in ("abc", "", None, "1.5"):
        with pytest.raises(Http404):
            get(cast, helper, cast.admin, "pilot", pk)


# --- Enrolments -----------------------------------------------------------------------------------


def test_admins_and_hr_get_any_enrolment_of_the_program(cast, objects):
    a = objects["org-a"]
    for user in (cast.admin, cast.hr):
        for enrollment in (a.mine, a.theirs):
            found = get(cast, queries.get_enrollment_for_member, user, "pilot", enrollment.pk)
            assert (found.pk, found.user_id, found.program.slug) == (
                enrollment.pk,
                enrollment.user_id,
                "pilot",
            )


def test_a_participant_gets_their_own_enrolment_only(cast, objects):
    a = objects["org-a"]
    helper = queries.get_enrollment_for_member
    assert get(cast, helper, cast.mentee1, "pilot", a.mine.pk).pk == a.mine.pk
    assert get(cast, helper, cast.mentee2, "pilot", a.theirs.pk).pk == a.theirs.pk  # applied
    with pytest.raises(Http404):  # who else takes part is private
        get(cast, helper, cast.mentee1, "pilot", a.theirs.pk)


def test_an_enrolment_is_404_outside_the_program_and_the_organization(cast, objects):
    a, b = objects["org-a"], objects["org-b"]
    helper = queries.get_enrollment_for_member
    with pytest.raises(Http404):
        get(cast, helper, cast.mentor2, "pilot", a.mine.pk)
    with pytest.raises(Http404):
        get(cast, helper, cast.outsider, "pilot", a.mine.pk)
    with pytest.raises(Http404):
        get(cast, helper, cast.outsider, "pilot-b", a.mine.pk)
    with pytest.raises(Http404):
        get(cast, helper, cast.admin, "pilot", b.enrollment.pk)
    with pytest.raises(Http404):
        get(cast, helper, cast.admin, "pilot", "abc")


# --- The program itself, read once per request ----------------------------------------------------


def test_the_program_is_read_once_per_request(cast, objects, django_assert_num_queries):
    request = SimpleNamespace(membership=cast.membership[cast.admin.pk])
    with scope(organization=cast.org_a):
        with django_assert_num_queries(1):
            program = queries.get_program_for_member(request, "pilot")
        assert request.program is program  # where program pages find it
        with django_assert_num_queries(1):  # the cohort only
            cohort = queries.get_cohort_for_member(request, "pilot", objects["org-a"].cohort.pk)
        assert cohort.program is program
        with pytest.raises(Http404):  # another slug is read (and refused) anew
            queries.get_program_for_member(request, "pilot-b")
        assert request.program is program


# --- The API answers with the same helpers --------------------------------------------------------


def test_api_detail_routes_answer_404_to_an_id_that_is_not_one(cast, objects):
    client = APIClient()
    client.force_authenticate(cast.admin)
    base = "/api/v1/orgs/org-a/programs/pilot"
    for path in ("enrollments", "cohorts", "logic-items", "indicators"):
        assert client.get(f"{base}/{path}/abc/").status_code == 404, path


def test_api_enrolment_detail_and_logic_item_use_the_helpers(cast, objects):
    a, b = objects["org-a"], objects["org-b"]
    client = APIClient()
    client.force_authenticate(cast.hr)
    base = "/api/v1/orgs/org-a/programs/pilot"
    response = client.get(f"{base}/enrollments/{a.theirs.pk}/")
    assert (response.status_code, response.json()["id"]) == (200, a.theirs.pk)
    assert client.get(f"{base}/enrollments/{b.enrollment.pk}/").status_code == 404
    item = client.get(f"{base}/logic-items/{a.logic_item.pk}/").json()
    assert (item["id"], item["links"]) == (a.logic_item.pk, [])
    assert client.get(f"{base}/logic-items/{b.logic_item.pk}/").status_code == 404
