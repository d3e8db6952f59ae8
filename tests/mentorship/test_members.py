import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mentorship.models import AuditLogEntry, Membership, Role
from tests.factories import MembershipFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def role_url(cast, user):
    return reverse("org:member-role", args=[cast.org_a.slug, cast.membership[user.pk].pk])


def test_members_page_lists_everyone_for_hr_read_only(client, cast):
    client.force_login(cast.hr)
    response = client.get(reverse("org:members", args=[cast.org_a.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    for email in ["admin@a.example", "hr@a.example", "mentee2@a.example"]:
        assert email in body
    assert "admin@b.example" not in body
    assert "Send invitation" not in body and "Remove" not in body


def test_member_cannot_see_members_page(client, cast):
    client.force_login(cast.member)
    assert client.get(reverse("org:members", args=[cast.org_a.slug])).status_code == 403


def test_change_role_with_htmx_returns_the_row(client, cast):
    client.force_login(cast.admin)
    response = client.post(role_url(cast, cast.mentee1), {"role": "hr"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="member-{cast.membership[cast.mentee1.pk].pk}"' in response.content.decode()
    with scope(organization=cast.org_a):
        assert Membership.objects.get(user=cast.mentee1).role == "hr"
        entry = AuditLogEntry.objects.get(action="member.role_changed")
    assert entry.data == {"from": "member", "to": "hr"}
    assert entry.target_repr == cast.mentee1.name


def test_last_admin_cannot_be_demoted_or_removed(client, cast):
    client.force_login(cast.admin)
    response = client.post(role_url(cast, cast.admin), {"role": "member"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "last admin" in response.content.decode()
    response = client.post(
        reverse("org:member-remove", args=[cast.org_a.slug, cast.membership[cast.admin.pk].pk]),
        follow=True,
    )
    assert "last admin" in response.content.decode()
    with scope(organization=cast.org_a):
        assert Membership.objects.get(user=cast.admin).role == Role.ADMIN
        assert not AuditLogEntry.objects.exists()


def test_invalid_role_is_refused(client, cast):
    client.force_login(cast.admin)
    response = client.post(role_url(cast, cast.mentee1), {"role": "owner"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    with scope(organization=cast.org_a):
        assert Membership.objects.get(user=cast.mentee1).role == Role.MEMBER


def test_remove_member(client, cast):
    client.force_login(cast.admin)
    url = reverse("org:member-remove", args=[cast.org_a.slug, cast.membership[cast.mentee2.pk].pk])
    response = client.post(url)
    assert response.status_code == 302
    with scope(organization=cast.org_a):
        assert not Membership.objects.filter(user=cast.mentee2).exists()
        assert AuditLogEntry.objects.get().action == "member.removed"
    client.force_login(cast.mentee2)
    assert client.get(reverse("org:home", args=[cast.org_a.slug])).status_code == 404


def test_member_of_another_org_cannot_be_changed_through_this_org(client, cast):
    with scopes_disabled():
        other = Membership.objects.get(user=cast.outsider)
    client.force_login(cast.admin)
    url = reverse("org:member-role", args=[cast.org_a.slug, other.pk])
    assert client.post(url, {"role": "member"}).status_code == 404
    other.refresh_from_db()
    assert other.role == Role.ADMIN


@pytest.mark.parametrize("url_name", ["org:members", "api:member-list"])
def test_members_list_runs_constant_queries(client, cast, url_name):
    client.force_login(cast.admin)
    url = reverse(url_name, kwargs={"org_slug": cast.org_a.slug})
    for _ in range(2):
        MembershipFactory(organization=cast.org_a)
    few = count_queries(client, url)
    for _ in range(8):
        MembershipFactory(organization=cast.org_a)
    assert count_queries(client, url) == few


def test_audit_log_page_filters(client, cast):
    client.force_login(cast.admin)
    client.post(role_url(cast, cast.mentee1), {"role": "hr"})
    client.post(
        reverse("org:members", args=[cast.org_a.slug]), {"email": "x@example.com", "role": "member"}
    )
    url = reverse("org:audit-log", args=[cast.org_a.slug])
    changed, invited = "from member to HR.", "x@example.com</a> to join as member."
    body = client.get(url, {"action": "member."}).content.decode()
    assert changed in body and invited not in body
    body = client.get(url).content.decode()
    assert changed in body and invited in body
    assert client.get(url, {"since": "not-a-date"}).status_code == 400
