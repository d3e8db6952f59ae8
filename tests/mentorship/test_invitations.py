from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from mentorship import services, tasks
from mentorship.models import AuditLogEntry, Invitation, Membership, Notification, Role, User
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def counts():
    with scopes_disabled():
        return (
            Invitation.objects.count(),
            Membership.objects.count(),
            AuditLogEntry.objects.count(),
        )


def invite_url(cast):
    return reverse("org:members", args=[cast.org_a.slug])


def test_admin_invites_by_email(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(cast), {"email": "New.Person@Example.com", "role": "hr"})
    assert response.status_code == 302
    with scope(organization=cast.org_a):
        invitation = Invitation.objects.get()
        entry = AuditLogEntry.objects.get(action="invitation.created")
    assert (invitation.email, invitation.role, invitation.status) == (
        "new.person@example.com",
        "hr",
        "pending",
    )
    assert invitation.invited_by == cast.admin
    assert entry.actor == cast.admin and entry.data == {
        "email": "new.person@example.com",
        "role": "hr",
    }
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert message.subject == "You're invited to join Org A on mentorship"
    assert f"/invitations/{invitation.token}/" in message.body
    assert "as HR / analyst" in message.body


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "not-an-email", "role": "member"}, "Enter a valid email address."),
        ({"email": "x@example.com", "role": "owner"}, "Select a valid choice."),
        (
            {"email": "mentee1@a.example", "role": "member"},
            "mentee1@a.example is already a member.",
        ),
    ],
)
def test_bad_invitation_is_refused_and_changes_nothing(client, cast, data, error):
    client.force_login(cast.admin)
    before = counts()
    response = client.post(invite_url(cast), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert counts() == before
    assert mail.outbox == []


def test_second_pending_invitation_for_same_address_is_refused(client, cast):
    InvitationFactory(organization=cast.org_a, email="twice@example.com")
    client.force_login(cast.admin)
    before = counts()
    response = client.post(invite_url(cast), {"email": "TWICE@example.com", "role": "member"})
    assert response.status_code == 400
    assert "has a pending invitation; resend it instead" in response.content.decode()
    assert counts() == before


def test_hr_cannot_invite(client, cast):
    client.force_login(cast.hr)
    before = counts()
    response = client.post(invite_url(cast), {"email": "x@example.com", "role": "admin"})
    assert response.status_code == 403
    assert counts() == before
    assert mail.outbox == []


def test_signup_from_invitation_joins_the_organization(client, cast):
    invitation = InvitationFactory(organization=cast.org_a, email="joiner@example.com", role="hr")
    landing = reverse("invitation", args=[invitation.token])

    page = client.get(landing)
    assert page.status_code == 200
    assert "Join Org A" in page.content.decode()

    # The invited address is prefilled and counts as verified: no confirmation email.
    signup = client.get(reverse("account_signup"))
    assert signup.status_code == 200
    assert 'value="joiner@example.com"' in signup.content.decode()
    data = {
        "email": "joiner@example.com",
        "password1": "a-long-good-password",
        "password2": "a-long-good-password",
    }
    missing_name = client.post(reverse("account_signup"), data)
    assert missing_name.status_code == 200
    assert not User.objects.filter(email="joiner@example.com").exists()

    response = client.post(
        reverse("account_signup") + f"?next={landing}", data | {"name": "Jo Iner"}
    )
    assert response.status_code == 302
    assert response.url == landing
    user = User.objects.get(email="joiner@example.com")
    assert user.name == "Jo Iner"
    assert mail.outbox == []
    with scope(organization=cast.org_a):
        membership = Membership.objects.get(user=user)
        invitation.refresh_from_db()
        assert AuditLogEntry.objects.filter(action="invitation.accepted", actor=user).count() == 1
    assert membership.role == "hr"
    assert (invitation.status, invitation.accepted_by) == ("accepted", user)

    # The link now leads straight into the organization.
    response = client.get(landing)
    assert response.status_code == 302
    assert response.url == reverse("org:home", args=[cast.org_a.slug])
    assert client.get(response.url).status_code == 200


def test_existing_user_signs_in_and_accepts(client, cast):
    invitation = InvitationFactory(
        organization=cast.org_a, email=cast.outsider.email, role="member"
    )
    landing = reverse("invitation", args=[invitation.token])
    client.force_login(cast.outsider)
    assert "Accept and join" in client.get(landing).content.decode()
    response = client.post(landing)
    assert response.status_code == 302
    assert response.url == reverse("org:home", args=[cast.org_a.slug])
    with scope(organization=cast.org_a):
        assert Membership.objects.get(user=cast.outsider).role == "member"


def test_signup_is_closed_without_invitation(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "stranger@example.com",
            "password1": "a-long-good-password",
            "password2": "a-long-good-password",
        },
    )
    assert response.status_code == 200
    assert "Sign-up is by invitation" in response.content.decode()
    assert not User.objects.filter(email="stranger@example.com").exists()


def test_signed_in_user_with_other_address_cannot_accept(client, cast):
    invitation = InvitationFactory(organization=cast.org_a, email="someone@example.com")
    client.force_login(cast.outsider)
    before = counts()
    response = client.post(reverse("invitation", args=[invitation.token]), follow=True)
    assert "This invitation was sent to someone@example.com" in response.content.decode()
    assert counts() == before
    invitation.refresh_from_db()
    assert invitation.status == "pending"


@pytest.mark.parametrize("state", ["expired", "revoked", "accepted"])
def test_unusable_invitation_cannot_be_accepted(client, cast, state):
    invitation = InvitationFactory(organization=cast.org_a, email=cast.outsider.email)
    if state == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
    else:
        invitation.status = state
    with scopes_disabled():
        invitation.save()
    client.force_login(cast.outsider)
    before = counts()
    response = client.post(reverse("invitation", args=[invitation.token]), follow=True)
    assert "no longer valid" in response.content.decode()
    assert counts() == before


def test_unknown_invitation_link_is_404(client, db):
    response = client.get(reverse("invitation", args=["nope"]))
    assert response.status_code == 404
    assert "isn't valid" in response.content.decode()


def test_resend_sends_again_and_revoke_stops_it(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(cast), {"email": "again@example.com", "role": "member"})
    with scopes_disabled():
        invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:invitation-resend", args=[cast.org_a.slug, invitation.pk])
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["again@example.com"], ["again@example.com"]]

    response = client.post(reverse("org:invitation-revoke", args=[cast.org_a.slug, invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    response = client.post(
        reverse("org:invitation-resend", args=[cast.org_a.slug, invitation.pk]), follow=True
    )
    assert "This invitation is revoked." in response.content.decode()
    assert len(mail.outbox) == 2


def test_an_invitation_email_is_sent_once(cast, django_capture_on_commit_callbacks):
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        services.invite_member(
            organization=cast.org_a, email="once@example.com", role="member", actor=cast.admin
        )
    with scopes_disabled():
        sent = Notification.objects.get()
    assert (sent.key, sent.email, sent.email_status) == (
        f"invitation:{sent.key.split(':')[1]}:1",
        "once@example.com",
        "sent",
    )
    # The delivery task again (a retry, a second worker): nothing more is sent.
    assert tasks.deliver_notification(cast.org_a.pk, sent.pk) == "skipped"
    assert len(mail.outbox) == 1
    # Mandatory: no unsubscribe headers, and the footer says why.
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    assert "always emailed" in mail.outbox[0].body


def test_delivery_from_another_tenant_id_does_nothing(cast):
    with scope(organization=cast.org_a):
        invitation = InvitationFactory(organization=cast.org_a, email="once@example.com")
        services.resend_invitation(invitation=invitation, actor=cast.admin)
    with scopes_disabled():
        row = Notification.objects.get()
    mail.outbox = []
    assert tasks.deliver_notification(cast.org_b.pk, row.pk) == "skipped"
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.email_status == "pending"


def test_expiry_sweep(cast):
    stale = InvitationFactory(
        organization=cast.org_a, expires_at=timezone.now() - timedelta(days=1)
    )
    fresh = InvitationFactory(organization=cast.org_b)
    assert tasks.expire_invitations() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == ("expired", "pending")


def test_accept_keeps_existing_role_of_a_member(cast):
    invitation = InvitationFactory(organization=cast.org_a, email=cast.hr.email, role=Role.ADMIN)
    membership = services.accept_invitation(invitation=invitation, user=cast.hr)
    assert membership.role == Role.HR


@pytest.mark.parametrize(
    ("role", "promise"),
    [
        ("admin", "you set up programs, enrol mentors and mentees, and match them"),
        ("hr", "you follow its programs"),
        ("member", "you take part in its programs as a mentor or a mentee"),
    ],
)
def test_the_invitation_says_what_the_role_does_and_nothing_that_isnt_built(
    client, cast, role, promise
):
    invitation = InvitationFactory(organization=cast.org_a, email="joiner@example.com", role=role)
    html = client.get(reverse("invitation", args=[invitation.token])).content.decode()
    assert promise in html
    for unbuilt in ("meetings", "goals", "reviews"):
        assert unbuilt not in html
