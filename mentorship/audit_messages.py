"""How the tenancy core's audit actions read (see the registry in ``mentorship.audit``).
Imported by ``MentorshipConfig.ready()``."""

from django.urls import reverse
from django.utils.html import format_html

from . import audit
from .models import Invitation, Membership, Organization, Role
from .permissions import has_perm

ROLE_WORDS = {Role.ADMIN: "admin", Role.HR: "HR", Role.MEMBER: "member"}
RANK = {Role.MEMBER: 0, Role.HR: 1, Role.ADMIN: 2}


def role_word(role):
    return ROLE_WORDS.get(role, str(role))


# --- Targets -------------------------------------------------------------------------------------


def _organization_url(organization, viewer):
    if not has_perm(viewer, "view_organization"):
        return None
    return reverse("org:home", args=[organization.slug])


def _member_url(membership, viewer):
    if not has_perm(viewer, "view_members"):
        return None
    return reverse("org:members", args=[membership.organization.slug]) + f"#member-{membership.pk}"


def _invitation_url(invitation, viewer):
    # Only pending invitations are listed (on the members page).
    if invitation.status != Invitation.Status.PENDING or not has_perm(viewer, "manage_members"):
        return None
    return reverse("org:members", args=[invitation.organization.slug]) + "#pending-invitations"


audit.target_kind(
    "mentorship.organization",
    url=_organization_url,
    queryset=lambda organization_id: Organization.objects.filter(pk=organization_id),
)
# A person links to their row on the members page while they are still a member.
audit.target_kind(
    "mentorship.user",
    url=_member_url,
    text=lambda membership: membership.user.display_name,
    queryset=lambda organization_id: Membership.objects.filter(organization_id=organization_id),
    select_related=("user", "organization"),
    key="user_id",
)
audit.target_kind(
    "mentorship.invitation",
    url=_invitation_url,
    text=lambda invitation: invitation.email,
    select_related=("organization",),
)


# --- Sentences -----------------------------------------------------------------------------------

audit.group("organization", "Organization")
audit.describe(
    "organization.created",
    "Organization created",
    lambda line: format_html(
        "{} created the organization {} with {} as its first admin.",
        line.actor,
        line.thing(),
        line.get("admin", "an admin"),
    ),
)

audit.group("invitation", "Invitations")


def _invitee(line):
    """The invited address: live while the invitation waits (linked), else as recorded."""
    email = line.get("email") or (line.obj.email if line.obj is not None else "")
    if line.obj is not None:
        return line.link(email or line.obj.email, line.url_of(line.obj))
    return format_html("{}", email or "someone")


audit.describe(
    "invitation.created",
    "Invitation sent",
    lambda line: format_html(
        "{} invited {} to join as {}.", line.actor, _invitee(line), role_word(line.get("role"))
    ),
)
audit.describe(
    "invitation.resent",
    "Invitation resent",
    lambda line: format_html("{} resent the invitation to {}.", line.actor, _invitee(line)),
)
audit.describe(
    "invitation.revoked",
    "Invitation revoked",
    lambda line: format_html("{} revoked the invitation to {}.", line.actor, _invitee(line)),
)


def _accepted(line):
    role = role_word(line.get("role"))
    if line.get("new_member", True):
        return format_html("{} accepted the invitation and joined as {}.", line.actor, role)
    return format_html(
        "{} accepted the invitation; they were already a member ({}).", line.actor, role
    )


audit.describe("invitation.accepted", "Invitation accepted", _accepted)

audit.group("member", "Members")


def _role_changed(line):
    old, new = line.get("from"), line.get("to")
    if old in RANK and new in RANK and RANK[new] != RANK[old]:
        verb = "promoted" if RANK[new] > RANK[old] else "demoted"
        return format_html(
            "{} {} {} from {} to {}.",
            line.actor,
            verb,
            line.thing(),
            role_word(old),
            role_word(new),
        )
    return format_html(
        "{} changed the role of {} from {} to {}.",
        line.actor,
        line.thing(),
        role_word(old),
        role_word(new),
    )


audit.describe("member.role_changed", "Role changed", _role_changed)
audit.describe(
    "member.removed",
    "Member removed",
    lambda line: format_html(
        "{} removed {} ({}) from the organization.",
        line.actor,
        line.thing(),
        role_word(line.get("role")),
    ),
)

CARD_WORDS = {
    "job_title": "job title",
    "department": "department",
    "bio": "bio",
    "photo": "photo",
    "photo_removed": "photo",
}


def _card_updated(line):
    changed = line.get("changed", [])
    words = []
    for name in changed if isinstance(changed, list) else []:
        word = CARD_WORDS.get(name) or audit.humanize(str(name))
        if word not in words:
            words.append(word)
    what = audit.join_words(words) if words else "member card"
    if line.entry.actor_id is not None and str(line.entry.actor_id) == line.entry.target_id:
        return format_html("{} updated their {}.", line.actor, what)
    return format_html("{} updated the {} of {}.", line.actor, what, line.thing())


audit.describe("member.card_updated", "Member card updated", _card_updated)
