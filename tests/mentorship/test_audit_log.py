"""The audit log reads as sentences: who did what to which thing, linked while it exists; an
unknown action reads humanised; names are escaped; a page costs the same queries for any
number of rows; the API gives each entry's sentence as plain text."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mentorship import audit, services
from mentorship.models import AuditLogEntry, Membership, Role, User
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(cast):
    for user, name in [(cast.admin, "Ada Admin"), (cast.mentee1, "Bea Mentor")]:
        user.name = name
        user.save(update_fields=["name"])
    return cast


def log_page(client, cast, organization=None, **query):
    client.force_login(cast.admin)
    slug = (organization or cast.org_a).slug
    response = client.get(reverse("org:audit-log", args=[slug]), query)
    assert response.status_code == 200
    return response.content.decode()


def sentences(body):
    """The log's sentences, in order (newest first)."""
    start = body.index('id="audit-log"')
    return [part.split("</p>")[0] for part in body[start:].split('<p class="mb-0">')[1:]]


def membership(cast, user):
    with scopes_disabled():
        return Membership.objects.get(organization=cast.org_a, user=user)


def test_core_actions_read_as_sentences_with_links(client, named):
    cast = named
    a = cast.org_a
    with scope(organization=a):
        services.change_role(
            membership=membership(cast, cast.mentee1), role="admin", actor=cast.admin
        )
        services.change_role(membership=membership(cast, cast.mentee1), role="hr", actor=cast.admin)
        invitation = services.invite_member(
            organization=a, email="new@a.example", role=Role.HR, actor=cast.admin
        )
        services.resend_invitation(invitation=invitation, actor=cast.admin)
        other = services.invite_member(
            organization=a, email="gone@a.example", role=Role.MEMBER, actor=cast.admin
        )
        services.revoke_invitation(invitation=other, actor=cast.admin)
        newcomer = User.objects.create_user(email="new@a.example", name="Cy Newcomer")
        services.accept_invitation(invitation=invitation, user=newcomer)
        services.remove_member(membership=membership(cast, cast.mentee2), actor=cast.admin)
    members = reverse("org:members", args=[a.slug])
    bea = f'<a href="{members}#member-{membership(cast, cast.mentee1).pk}">Bea Mentor</a>'
    assert sentences(log_page(client, cast)) == [
        f"Ada Admin removed {cast.mentee2.name} (member) from the organization.",
        "Cy Newcomer accepted the invitation and joined as HR.",
        "Ada Admin revoked the invitation to gone@a.example.",
        "Ada Admin invited gone@a.example to join as member.",
        # Still pending when the invitation was resent, but accepted now: no longer listed.
        "Ada Admin resent the invitation to new@a.example.",
        "Ada Admin invited new@a.example to join as HR.",
        f"Ada Admin demoted {bea} from admin to HR.",
        f"Ada Admin promoted {bea} from member to admin.",
    ]


def test_a_pending_invitation_links_to_the_members_page(client, named):
    with scope(organization=named.org_a):
        services.invite_member(
            organization=named.org_a, email="new@a.example", role=Role.MEMBER, actor=named.admin
        )
    members = reverse("org:members", args=[named.org_a.slug])
    assert sentences(log_page(client, named)) == [
        f'Ada Admin invited <a href="{members}#pending-invitations">new@a.example</a> to join '
        "as member."
    ]


def test_the_system_created_the_organization(client, named):
    organization = services.create_organization(
        slug="globex", name="Globex", admin_email=named.admin.email
    )
    assert sentences(log_page(client, named, organization)) == [
        'The system created the organization <a href="/o/globex/">Globex</a> with '
        "admin@a.example as its first admin."
    ]


def test_every_core_action_has_a_sentence(named):
    """What the core's services record (the test above performs each) is described."""
    recorded = {
        "organization.created",
        "invitation.created",
        "invitation.resent",
        "invitation.revoked",
        "invitation.accepted",
        "member.role_changed",
        "member.removed",
    }
    assert all(audit.is_described(action) for action in recorded)


def test_unknown_action_and_unfitting_data_read_humanised(client, named, caplog):
    program = ProgramFactory(organization=named.org_a, name="Pilot", slug="pilot")
    with scope(organization=named.org_a):
        audit.record(
            organization=named.org_a,
            actor=named.admin,
            action="widget.colour_changed",
            target=program,
            data={"nested": {"a": [1, 2]}},
        )
        audit.record(organization=named.org_a, actor=None, action="sweep.ran", data={"n": 3})
        # A known action whose data lacks what its sentence names (an old entry).
        audit.record(organization=named.org_a, actor=named.admin, action="cohort.deleted", data={})
    with caplog.at_level(logging.ERROR, logger="mentorship.audit"):
        got = sentences(log_page(client, named))
    detail = reverse("programs:detail", args=[named.org_a.slug, "pilot"])
    assert got == [
        "Ada Admin: cohort deleted.",
        "The system: sweep ran.",
        f'Ada Admin: widget colour changed — <a href="{detail}">Pilot</a>.',
    ]
    assert "cohort.deleted" in caplog.text  # the failing sentence is reported, not shown


def test_names_and_titles_are_escaped(client, named, api_client):
    named.admin.name = "<script>alert(1)</script>"
    named.admin.save(update_fields=["name"])
    program = ProgramFactory(organization=named.org_a, name='<img src=x onerror="x()">')
    with scope(organization=named.org_a):
        audit.record(
            organization=named.org_a,
            actor=named.admin,
            action="program.deleted",
            target=program,
            data={"name": "<b>Old</b>"},
        )
        audit.record(
            organization=named.org_a, actor=named.admin, action="program.created", target=program
        )
    body = log_page(client, named)
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>Old" not in body
    assert sentences(body)[1] == (
        "&lt;script&gt;alert(1)&lt;/script&gt; deleted the program “&lt;b&gt;Old&lt;/b&gt;”."
    )
    assert "&lt;img src=x onerror=&quot;x()&quot;&gt;</a>." in sentences(body)[0]
    api_client.force_authenticate(named.admin)
    results = api_client.get(
        reverse("api:audit-log-list", kwargs={"org_slug": named.org_a.slug})
    ).json()["results"]
    # Plain text: the API's reader escapes for their own medium.
    assert [r["summary"] for r in results] == [
        '<script>alert(1)</script> created the program <img src=x onerror="x()">.',
        "<script>alert(1)</script> deleted the program “<b>Old</b>”.",
    ]


def test_filter_lists_actions_by_their_labels(client, named):
    with scope(organization=named.org_a):
        services.change_role(
            membership=membership(named, named.mentee1), role="hr", actor=named.admin
        )
        services.invite_member(
            organization=named.org_a, email="x@a.example", role=Role.MEMBER, actor=named.admin
        )
    body = log_page(client, named)
    assert '<optgroup label="Members">' in body
    assert '<option value="member.">Members (all)</option>' in body
    assert '<option value="member.role_changed">Role changed</option>' in body
    assert '<option value="match_run.published">Run published</option>' in body  # matching's
    filtered = log_page(client, named, action="member.")
    assert '<option value="member." selected>Members (all)</option>' in filtered
    assert [audit.plain(s) for s in sentences(filtered)] == [
        "Ada Admin promoted Bea Mentor from member to HR."
    ]
    only = log_page(client, named, action="invitation.created")
    assert [audit.plain(s) for s in sentences(only)] == [
        "Ada Admin invited x@a.example to join as member."
    ]


def test_api_entries_carry_a_plain_summary(api_client, named):
    with scope(organization=named.org_a):
        services.change_role(
            membership=membership(named, named.mentee1), role="admin", actor=named.admin
        )
        entry = AuditLogEntry.objects.get()
    api_client.force_authenticate(named.admin)
    base = {"org_slug": named.org_a.slug}
    listed = api_client.get(reverse("api:audit-log-list", kwargs=base)).json()["results"]
    detail = api_client.get(reverse("api:audit-log-detail", kwargs={**base, "pk": entry.pk}))
    summary = "Ada Admin promoted Bea Mentor from member to admin."
    assert [r["summary"] for r in listed] == [summary]
    assert detail.json()["summary"] == summary
    assert detail.json()["action"] == "member.role_changed"  # the fields it had stay


# --- Queries -------------------------------------------------------------------------------------


def _rows(cast, n):
    """n entries, half about programs, half about a person."""
    with scope(organization=cast.org_a):
        for k in range(n):
            if k % 2:
                target, action = cast.mentee1, "member.role_changed"
            else:
                target, action = ProgramFactory(organization=cast.org_a), "program.created"
            audit.record(
                organization=cast.org_a,
                actor=cast.admin,
                action=action,
                target=target,
                data={"from": "member", "to": "hr"},
            )


def _count_queries(call):
    call()  # a second visit: the first fills what pages keep in the cache
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_audit_log_page_runs_constant_queries(client, named):
    client.force_login(named.admin)
    url = reverse("org:audit-log", args=[named.org_a.slug])
    _rows(named, 2)
    two = _count_queries(lambda: client.get(url))
    _rows(named, 8)
    assert len(sentences(client.get(url).content.decode())) == 10
    assert _count_queries(lambda: client.get(url)) == two


def test_audit_log_api_runs_constant_queries(api_client, named):
    api_client.force_authenticate(named.admin)
    url = reverse("api:audit-log-list", kwargs={"org_slug": named.org_a.slug})
    _rows(named, 2)
    two = _count_queries(lambda: api_client.get(url))
    _rows(named, 8)
    assert _count_queries(lambda: api_client.get(url)) == two
