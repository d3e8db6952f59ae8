"""The core's part of the world: a member of org B, an audit entry, an invitation, API tokens,
member photos and a notification in each organization; what the admin pages show.

Sets ``w.org_b_member`` (a plain member of org B, whom the apps above enrol) for the parts
that follow."""

from django.contrib.auth.models import Group
from django_scopes import scope, scopes_disabled

from mentorship import audit, services
from mentorship.models import ApiToken, AuditLogEntry, Invitation, Notification
from mentorship.notifications import tokens
from programs.notifications import ENROLLED
from tests.factories import InvitationFactory, MembershipFactory, UserFactory, image_upload


def build(w):
    cast = w.cast
    w.org_b_member = MembershipFactory(
        organization=cast.org_b, user=UserFactory(email="m@b.example")
    )
    entries, notifications = [], []
    for org, actor in ((cast.org_a, cast.admin), (cast.org_b, cast.outsider)):
        with scope(organization=org):
            entries.append(audit.record(organization=org, actor=actor, action=f"test.{org.slug}"))
            notifications.append(
                Notification.objects.create(
                    organization=org, kind="test", key=f"test:{org.slug}", recipient=actor,
                    title="Something to know",
                )
            )  # fmt: skip
    invitations = [
        InvitationFactory(organization=org, email="invitee@example.com")
        for org in (cast.org_a, cast.org_b)
    ]
    own_token, _ = services.create_api_token(user=cast.member, name="mine")
    foreign_token, _ = services.create_api_token(user=cast.outsider, name="theirs")
    # Member photos: mentee2's in org A, the org B member's in org B.
    photos = []
    for membership in (cast.membership[cast.mentee2.pk], w.org_b_member):
        with scope(organization=membership.organization):
            photos.append(
                services.update_member_card(
                    membership=membership, actor=membership.user, photo=image_upload()
                )
            )
    return {
        "org_slug": (cast.org_a.slug, cast.org_b.slug),
        "membership": (cast.membership[cast.mentee2.pk].pk, w.org_b_member.pk),
        "photo_membership": tuple(m.pk for m in photos),
        "photo_version": tuple(m.photo_version for m in photos),
        "invitation": tuple(i.pk for i in invitations),
        "invitation_token": tuple(i.token for i in invitations),
        "audit_entry": tuple(e.pk for e in entries),
        "notification": tuple(n.pk for n in notifications),
        "unsubscribe_token": (tokens.make(cast.member, ENROLLED),) * 2,
        "own_api_token": (own_token.pk, foreign_token.pk),
        "bogus_key": ("bogus-key", "bogus-key"),
        "bogus_uidb36": ("zz", "zz"),
    }


def admin_objects(w):
    """Model label → an object whose admin pages the security table opens."""
    from allauth.account.models import EmailAddress

    cast = w.cast
    with scopes_disabled():
        return {
            "auth.group": Group.objects.create(name="Support"),
            "account.emailaddress": EmailAddress.objects.create(
                user=cast.admin, email=cast.admin.email, verified=True
            ),
            "mentorship.user": cast.admin,
            "mentorship.organization": cast.org_a,
            "mentorship.membership": cast.membership[cast.mentee2.pk],
            "mentorship.invitation": Invitation.objects.get(pk=w.objects["invitation"][0]),
            "mentorship.auditlogentry": AuditLogEntry.objects.get(pk=w.objects["audit_entry"][0]),
            "mentorship.apitoken": ApiToken.objects.get(pk=w.objects["own_api_token"][0]),
        }
