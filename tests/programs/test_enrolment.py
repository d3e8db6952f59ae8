"""Enrolment: invitations by email, the org-invitation hook, the join link, accept / decline /
withdraw, the notification email, and the pages and API that run them."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mentorship import services as org_services
from mentorship.models import AuditLogEntry, Invitation, Notification, Role
from programs import enrolment
from programs.models import Enrollment, Program
from programs.notifications import tell_enrolled
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    MembershipFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Enrollment.Status
CAPACITY_RANGE = "A mentor's capacity is between 1 and 20 mentees."


@pytest.fixture
def program(cast):
    return ProgramFactory(
        organization=cast.org_a, slug="pilot", name="Pilot", join_link_enabled=True,
        default_mentor_capacity=3,
    )  # fmt: skip


def enrollments(program):
    with scopes_disabled():
        return list(
            Enrollment.objects.filter(program=program)
            .order_by("email")
            .values_list("email", "role", "status", "user_id", "capacity", "cohort_id")
        )


def audit_actions(organization):
    with scopes_disabled():
        return list(
            AuditLogEntry.objects.filter(organization=organization)
            .order_by("pk")
            .values_list("action", flat=True)
        )


def url(name, program, **kwargs):
    return reverse(
        f"programs:{name}",
        kwargs={"org_slug": program.organization.slug, "program_slug": program.slug, **kwargs},
    )


def api_url(program, suffix=""):
    return f"/api/v1/orgs/{program.organization.slug}/programs/{program.slug}/enrollments/{suffix}"


# --- Inviting ------------------------------------------------------------------------------------


def test_inviting_a_member_enrols_them_at_once_and_emails_them_once(
    cast, program, scope_a, django_capture_on_commit_callbacks
):
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        e = enrolment.invite_participant(
            program=program, email=" Mentor1@A.example ", role="mentor", actor=cast.admin
        )
    assert (e.status, e.user, e.email, e.capacity) == (
        Status.ACTIVE,
        cast.mentor1,
        "mentor1@a.example",
        3,
    )
    assert [m.to for m in mail.outbox] == [["mentor1@a.example"]]
    assert mail.outbox[0].subject == "You've been enrolled in Pilot"
    assert "as a mentor" in mail.outbox[0].body
    assert "/o/org-a/programs/pilot/" in mail.outbox[0].body
    # ... and where to fill in the profile matching reads.
    assert "good mentee, tell us about yourself" in mail.outbox[0].body
    assert "/o/org-a/programs/pilot/matching/profile/" in mail.outbox[0].body
    assert audit_actions(cast.org_a) == ["enrollment.invited"]
    assert not Invitation.objects.filter(organization=cast.org_a).exists()
    # Told again (a retry, a second worker): nothing more is sent.
    assert tell_enrolled(e, "added") is None
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(key=f"enrollment:{e.pk}:added").count() == 1


def test_inviting_a_stranger_invites_them_to_the_organization(
    cast, program, scope_a, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(program=program, name="Spring")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        e = enrolment.invite_participant(
            program=program, email="new@example.com", name="New Person", role="mentee",
            cohort=cohort, actor=cast.admin,
        )  # fmt: skip
    assert (e.status, e.user, e.name, e.cohort, e.capacity) == (
        Status.INVITED, None, "New Person", cohort, None,
    )  # fmt: skip
    invitation = Invitation.objects.get(organization=cast.org_a, email="new@example.com")
    assert (invitation.role, invitation.status) == (Role.MEMBER, Invitation.Status.PENDING)
    assert [m.to for m in mail.outbox] == [["new@example.com"]]  # the organization's invitation
    # A second program: the pending invitation is reused, not duplicated.
    other = ProgramFactory(organization=cast.org_a, slug="other")
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.invite_participant(
            program=other, email="NEW@example.com", role="mentor", actor=cast.admin
        )
    assert Invitation.objects.filter(organization=cast.org_a, email="new@example.com").count() == 1
    assert len(mail.outbox) == 1


def test_accepting_the_org_invitation_activates_waiting_enrolments(
    cast, program, scope_a, django_capture_on_commit_callbacks
):
    other = ProgramFactory(organization=cast.org_a, slug="other")
    enrolment.invite_participant(
        program=program, email="new@example.com", role="mentee", actor=cast.admin
    )
    enrolment.invite_participant(
        program=other, email="new@example.com", role="mentor", actor=cast.admin
    )
    invitation = Invitation.objects.get(organization=cast.org_a, email="new@example.com")
    user = UserFactory(email="new@example.com")
    org_services.accept_invitation(invitation=invitation, user=user)
    with scopes_disabled():
        rows = set(
            Enrollment.objects.filter(email="new@example.com").values_list(
                "program__slug", "role", "status", "user"
            )
        )
    # A mentee in one program and a mentor in another.
    assert rows == {("pilot", "mentee", "active", user.pk), ("other", "mentor", "active", user.pk)}
    assert audit_actions(cast.org_a).count("enrollment.linked") == 2


def test_accepting_an_invitation_of_another_org_links_nothing(cast, program, scope_a):
    enrolment.invite_participant(
        program=program, email="new@example.com", role="mentee", actor=cast.admin
    )
    user = UserFactory(email="new@example.com")
    with scope(organization=cast.org_b):
        invitation = org_services.invite_member(
            organization=cast.org_b, email="new@example.com", role=Role.MEMBER, actor=cast.outsider
        )
    org_services.accept_invitation(invitation=invitation, user=user)
    assert enrollments(program) == [("new@example.com", "mentee", "invited", None, None, None)]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"role": "coach"}, "role", "Unknown role “coach”; use mentor or mentee."),
        ({"role": "mentor", "capacity": 0}, "capacity", CAPACITY_RANGE),
        ({"role": "mentor", "capacity": 21}, "capacity", CAPACITY_RANGE),
        ({"role": "mentee", "capacity": 2}, "capacity", "Only mentors have a capacity."),
        ({"email": "MENTEE1@a.example"}, "email", "mentee1@a.example is already in this program."),
    ],
)  # fmt: skip
def test_bad_invitations_are_refused_and_write_nothing(
    cast, program, scope_a, kwargs, field, message
):
    EnrollmentFactory(program=program, user=cast.mentee1)
    before = enrollments(program), audit_actions(cast.org_a)
    args = {"email": "someone@example.com", "role": "mentee", **kwargs}
    with pytest.raises(ValidationError) as exc:
        enrolment.invite_participant(program=program, actor=cast.admin, **args)
    assert exc.value.message_dict == {field: [message]}
    assert (enrollments(program), audit_actions(cast.org_a)) == before
    assert not Invitation.objects.filter(organization=cast.org_a).exists()


def test_cohort_of_another_program_is_refused(cast, program, scope_a):
    foreign = CohortFactory(program=ProgramFactory(organization=cast.org_a, slug="other"))
    with pytest.raises(ValidationError) as exc:
        enrolment.invite_participant(
            program=program, email="x@example.com", role="mentee", cohort=foreign, actor=cast.admin
        )
    assert exc.value.message_dict == {"cohort": ["That cohort belongs to another program."]}
    assert enrollments(program) == []


def test_closed_program_refuses_invitations(cast, program, scope_a):
    Program.objects.filter(pk=program.pk).update(status="closed")
    program.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        enrolment.invite_participant(
            program=program, email="x@example.com", role="mentee", actor=cast.admin
        )
    assert enrollments(program) == []


# --- Accept, decline, withdraw ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        ("applied", "accept", "active"),
        ("declined", "accept", "active"),
        ("applied", "decline", "declined"),
        ("applied", "withdraw", "withdrawn"),
        ("active", "withdraw", "withdrawn"),
        ("invited", "withdraw", "withdrawn"),
    ],
)
def test_admin_actions(
    cast, program, scope_a, start, action, end, django_capture_on_commit_callbacks
):
    e = EnrollmentFactory(program=program, user=cast.mentee1, status=start)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        result = enrolment.ACTIONS[action](enrollment=e, actor=cast.admin)
    assert result.status == end
    assert audit_actions(cast.org_a) == [f"enrollment.{end}"]
    assert len(mail.outbox) == (1 if action == "accept" else 0)


@pytest.mark.parametrize(
    ("start", "action"),
    [("active", "accept"), ("invited", "accept"), ("active", "decline"), ("withdrawn", "withdraw"),
     ("declined", "withdraw")],
)  # fmt: skip
def test_admin_actions_refused_from_wrong_status(cast, program, scope_a, start, action):
    e = EnrollmentFactory(program=program, user=cast.mentee1, status=start)
    with pytest.raises(ValidationError, match=f"You can't {action} an enrolment that is {start}"):
        enrolment.ACTIONS[action](enrollment=e, actor=cast.admin)
    e.refresh_from_db()
    assert e.status == start
    assert audit_actions(cast.org_a) == []


# --- Join link -----------------------------------------------------------------------------------


def join_url(program, token=None):
    return reverse(
        "programs:join",
        kwargs={"org_slug": program.organization.slug, "join_token": token or program.join_token},
    )


def test_member_applies_through_the_join_link(client, cast, program):
    client.force_login(cast.mentor1)
    page = client.get(join_url(program))
    assert page.status_code == 200
    assert b"Join Pilot" in page.content
    response = client.post(join_url(program), {"role": "mentor"})
    assert response.status_code == 302
    # Straight on to the profile, so that matching has something to work with.
    profile = reverse("matching:profile", args=["org-a", program.slug])
    assert response["Location"] == profile
    assert enrollments(program) == [
        ("mentor1@a.example", "mentor", "applied", cast.mentor1.pk, 3, None)
    ]
    follow = client.get(profile)
    assert follow.status_code == 200
    assert "tell us about yourself" in follow.content.decode()
    assert audit_actions(cast.org_a) == ["enrollment.applied"]
    # Twice: refused, clearly.
    again = client.post(join_url(program), {"role": "mentee"})
    assert again.status_code == 400
    assert "already in this program" in again.content.decode()
    assert len(enrollments(program)) == 1
    # "My programs" lists it, waiting for an admin.
    mine = client.get(reverse("programs:mine", args=["org-a"]))
    assert "Your application is waiting for an admin." in mine.content.decode()


def test_the_shared_join_link_says_what_the_program_is_before_sign_in(client, cast, program):
    with scopes_disabled():
        Program.objects.filter(pk=program.pk).update(
            description="Two <b>terms</b> of growth", checkin_every_weeks=2, meeting_minutes=30
        )
    landing = reverse("program-join", args=[program.join_token])
    apply = join_url(program)
    page = client.get(landing)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Join Pilot" in html and "Org A · mentoring program" in html
    assert "Two &lt;b&gt;terms&lt;/b&gt; of growth" in html
    assert "What joining means" in html and "every 2 weeks, for about 30 minutes" in html
    assert f'href="/accounts/login/?next={apply}"' in html
    # A member goes straight on to apply; someone signed in elsewhere is told why they can't.
    client.force_login(cast.mentee1)
    assert client.get(landing)["Location"] == apply
    client.force_login(cast.outsider)
    html = client.get(landing).content.decode()
    assert "which isn't a member of Org A" in html and "Sign in with another account" in html
    assert enrollments(program) == []


@pytest.mark.parametrize("change", [{"join_link_enabled": False}, {"status": "closed"}, None])
def test_a_dead_join_link_names_nothing(client, cast, program, change):
    token = program.join_token
    if change:
        with scopes_disabled():
            Program.objects.filter(pk=program.pk).update(**change)
    else:
        token = "no-such-token"
    page = client.get(reverse("program-join", args=[token]))
    assert page.status_code == 404
    html = page.content.decode()
    assert "This join link can't be used" in html
    assert "Pilot" not in html and "Org A" not in html


def test_the_enrolment_page_shares_the_public_join_link(client, cast, program):
    client.force_login(cast.admin)
    html = client.get(reverse("programs:enrollments", args=["org-a", program.slug])).content
    assert f"/join/{program.join_token}/".encode() in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"join_link_enabled": False}, "This join link is switched off."),
        ({"status": "closed"}, "This program is closed and no longer takes applications."),
    ],
)
def test_join_link_refused_when_off_or_closed(client, cast, program, change, message):
    with scopes_disabled():
        Program.objects.filter(pk=program.pk).update(**change)
    client.force_login(cast.mentee1)
    assert message in client.get(join_url(program)).content.decode()
    response = client.post(join_url(program), {"role": "mentee"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert enrollments(program) == []


def test_join_link_unknown_token_or_bad_role(client, cast, program):
    client.force_login(cast.mentee1)
    assert client.get(join_url(program, "no-such-token")).status_code == 404
    assert client.post(join_url(program), {"role": "boss"}).status_code == 400
    assert enrollments(program) == []


def test_join_link_of_another_org_is_404(client, cast, program):
    foreign = ProgramFactory(organization=cast.org_b, slug="pilot", join_link_enabled=True)
    client.force_login(cast.mentee1)
    assert client.get(join_url(program, foreign.join_token)).status_code == 404
    assert client.post(join_url(program, foreign.join_token), {"role": "mentee"}).status_code == 404


def test_program_slugged_join_keeps_its_pages(client, cast):
    ProgramFactory(organization=cast.org_a, slug="join")
    client.force_login(cast.admin)
    assert client.get("/o/org-a/programs/join/enrollments/").status_code == 200


# --- Pages ---------------------------------------------------------------------------------------


def test_enrolment_page_for_admin(client, cast, program):
    spring = CohortFactory(program=program, name="Spring")
    EnrollmentFactory(program=program, user=cast.mentor1, role="mentor", capacity=2, cohort=spring)
    EnrollmentFactory(program=program, user=cast.mentee1, status="applied")
    client.force_login(cast.admin)
    page = client.get(url("enrollments", program))
    html = page.content.decode()
    assert page.status_code == 200
    assert "mentor1@a.example" in html and "mentee1@a.example" in html
    assert "Invite a participant" in html and "Import CSV" in html
    assert program.join_token in html  # the join link, switched on
    filtered = client.get(url("enrollments", program), {"status": "applied"}).content.decode()
    assert "mentee1@a.example" in filtered and "mentor1@a.example" not in filtered
    by_cohort = client.get(url("enrollments", program), {"cohort": spring.pk}).content.decode()
    assert "mentor1@a.example" in by_cohort and "mentee1@a.example" not in by_cohort
    assert client.get(url("enrollments", program), {"status": "nope"}).status_code == 400


def test_enrolment_page_is_read_only_for_hr_and_closed_to_members(client, cast, program):
    EnrollmentFactory(program=program, user=cast.mentee1, status="applied")
    client.force_login(cast.hr)
    html = client.get(url("enrollments", program)).content.decode()
    assert "mentee1@a.example" in html
    assert "Invite a participant" not in html and "Accept" not in html and "Import CSV" not in html
    assert (
        client.post(
            url("enrollments", program), {"email": "x@example.com", "role": "mentee"}
        ).status_code
        == 403
    )
    client.force_login(cast.mentee1)
    assert client.get(url("enrollments", program)).status_code == 403


def test_empty_state(client, cast, program):
    client.force_login(cast.admin)
    assert "No participants yet." in client.get(url("enrollments", program)).content.decode()


def test_invite_form(client, cast, program, django_capture_on_commit_callbacks):
    client.force_login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("enrollments", program),
            {"email": "mentee2@a.example", "role": "mentee", "name": ""},
        )
    assert response.status_code == 302
    assert enrollments(program) == [
        ("mentee2@a.example", "mentee", "active", cast.mentee2.pk, None, None)
    ]
    again = client.post(
        url("enrollments", program), {"email": "mentee2@a.example", "role": "mentor"}
    )
    assert again.status_code == 400
    assert "mentee2@a.example is already in this program." in again.content.decode()
    bad = client.post(
        url("enrollments", program), {"email": "y@example.com", "role": "mentee", "capacity": "4"}
    )
    assert bad.status_code == 400
    assert "Only mentors have a capacity." in bad.content.decode()
    assert len(enrollments(program)) == 1


def test_htmx_accept_swaps_the_row(client, cast, program, django_capture_on_commit_callbacks):
    e = EnrollmentFactory(program=program, user=cast.mentee1, status="applied")
    client.force_login(cast.admin)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("enrollment-accept", program, pk=e.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="enrollment-{e.pk}">')
    assert "Active" in html and "Withdraw" in html and ">Accept<" not in html
    assert len(mail.outbox) == 1
    refused = client.post(url("enrollment-decline", program, pk=e.pk), HTTP_HX_REQUEST="true")
    assert "You can&#x27;t decline an enrolment that is active." in refused.content.decode()
    with scopes_disabled():
        assert Enrollment.objects.get(pk=e.pk).status == "active"


def test_join_link_toggle(client, cast, program):
    client.force_login(cast.admin)
    response = client.post(url("join-link", program), {"enabled": "0"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.join_link_enabled is False
    assert audit_actions(cast.org_a) == ["program.updated"]


def _many(program, n):
    cohort = CohortFactory(program=program)
    for i in range(n):
        user = UserFactory()
        MembershipFactory(organization=program.organization, user=user)
        mentor = i % 2 == 1
        EnrollmentFactory(
            program=program,
            user=user,
            cohort=cohort,
            role="mentor" if mentor else "mentee",
            capacity=2 if mentor else None,
        )


def _count_queries(call):
    call()  # a second visit: the first fills what pages keep in the cache
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_enrolment_page_query_count_does_not_grow(client, cast, program):
    client.force_login(cast.admin)
    _many(program, 2)
    two = _count_queries(lambda: client.get(url("enrollments", program)))
    _many(program, 8)
    ten = _count_queries(lambda: client.get(url("enrollments", program)))
    assert two == ten


def test_api_list_query_count_does_not_grow(api_client, cast, program):
    api_client.force_authenticate(cast.admin)
    _many(program, 2)
    two = _count_queries(lambda: api_client.get(api_url(program)))
    _many(program, 8)
    ten = _count_queries(lambda: api_client.get(api_url(program)))
    assert two == ten


# --- API -----------------------------------------------------------------------------------------


def test_api_invite_list_retrieve_and_actions(
    api_client, cast, program, django_capture_on_commit_callbacks
):
    spring = CohortFactory(program=program, name="Spring")
    api_client.force_authenticate(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        created = api_client.post(
            api_url(program),
            {"email": "mentor2@a.example", "role": "mentor", "cohort": spring.pk},
            format="json",
        )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["capacity"], body["cohort"], body["user"]["email"]) == (
        "active", 3, spring.pk, "mentor2@a.example",
    )  # fmt: skip
    applied = EnrollmentFactory(program=program, user=cast.mentee1, status="applied")
    listed = api_client.get(api_url(program), {"status": "applied"}).json()
    assert [r["email"] for r in listed["results"]] == ["mentee1@a.example"]
    assert api_client.get(api_url(program, f"{applied.pk}/")).json()["status"] == "applied"
    accepted = api_client.post(api_url(program, f"{applied.pk}/accept/"))
    assert (accepted.status_code, accepted.json()["status"]) == (200, "active")
    refused = api_client.post(api_url(program, f"{applied.pk}/decline/"))
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["detail"] == "You can't decline an enrolment that is active."
    assert (
        api_client.post(api_url(program, f"{applied.pk}/withdraw/")).json()["status"] == "withdrawn"
    )


@pytest.mark.parametrize(
    ("data", "attr"),
    [
        ({"email": "x@example.com", "role": "coach"}, "role"),
        ({"email": "nope", "role": "mentee"}, "email"),
        ({"email": "mentee1@a.example", "role": "mentee"}, "email"),
        ({"email": "x@example.com", "role": "mentee", "capacity": 2}, "capacity"),
        ({"email": "x@example.com", "role": "mentor", "capacity": 40}, "capacity"),
        ({"email": "x@example.com", "role": "mentee", "cohort": "foreign"}, "cohort"),
    ],
)
def test_api_bad_invite_is_400_and_writes_nothing(api_client, cast, program, data, attr):
    EnrollmentFactory(program=program, user=cast.mentee1)
    if data.get("cohort") == "foreign":
        data = {**data, "cohort": CohortFactory(program=ProgramFactory(organization=cast.org_a)).pk}
    api_client.force_authenticate(cast.admin)
    before = enrollments(program)
    response = api_client.post(api_url(program), data, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == [attr]
    assert enrollments(program) == before
    assert audit_actions(cast.org_a) == []


def test_api_members_and_hr(api_client, cast, program):
    api_client.force_authenticate(cast.hr)
    assert api_client.get(api_url(program)).status_code == 200
    assert (
        api_client.post(
            api_url(program), {"email": "x@example.com", "role": "mentee"}, format="json"
        ).status_code
        == 403
    )
    api_client.force_authenticate(cast.mentee1)
    assert api_client.get(api_url(program)).status_code == 403
    assert enrollments(program) == []
