import json

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mentorship import services
from mentorship.models import ApiToken, Invitation, Membership, Role

pytestmark = pytest.mark.django_db


def token_for(user, read_only=False):
    _, key = services.create_api_token(user=user, name="test", read_only=read_only)
    return f"Token {key}"


def members_url(cast, pk=None):
    if pk is None:
        return reverse("api:member-list", kwargs={"org_slug": cast.org_a.slug})
    return reverse("api:member-detail", kwargs={"org_slug": cast.org_a.slug, "pk": pk})


def test_token_auth_reads_members(api_client, cast):
    api_client.credentials(HTTP_AUTHORIZATION=token_for(cast.hr))
    response = api_client.get(members_url(cast), {"role": "admin"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"][0]["user"]["email"] == "admin@a.example"
    with scopes_disabled():
        assert ApiToken.objects.get(user=cast.hr).last_used_at is not None


def test_revoked_token_is_refused(api_client, cast):
    header = token_for(cast.admin)
    token = ApiToken.objects.get(user=cast.admin)
    services.revoke_api_token(token=token)
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get(members_url(cast))
    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {"code": "authentication_failed", "detail": "Invalid or revoked token.", "attr": None}
        ],
    }


def test_unknown_token_is_refused(api_client, cast):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert api_client.get(reverse("api:org-list")).status_code == 401


def test_read_only_token_cannot_write(api_client, cast):
    api_client.credentials(HTTP_AUTHORIZATION=token_for(cast.admin, read_only=True))
    pk = cast.membership[cast.mentee1.pk].pk
    assert api_client.get(members_url(cast, pk)).status_code == 200
    response = api_client.patch(members_url(cast, pk), {"role": "hr"}, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["detail"] == "This token is read-only."
    with scope(organization=cast.org_a):
        assert Membership.objects.get(pk=pk).role == Role.MEMBER


def test_orgs_lists_only_mine_with_role(api_client, cast):
    api_client.force_authenticate(cast.hr)
    response = api_client.get(reverse("api:org-list"))
    assert response.json()["results"] == [
        {"slug": "org-a", "name": "Org A", "time_zone": "Europe/Berlin", "role": "hr"}
    ]
    detail = api_client.get(reverse("api:org-detail", kwargs={"org_slug": "org-b"}))
    assert detail.status_code == 404
    missing = api_client.get(reverse("api:org-detail", kwargs={"org_slug": "no-such-org"}))
    assert missing.json() == detail.json()


def test_admin_changes_role_and_bad_role_is_400(api_client, cast):
    api_client.force_authenticate(cast.admin)
    pk = cast.membership[cast.mentee1.pk].pk
    bad = api_client.patch(members_url(cast, pk), {"role": "owner"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["type"] == "validation_error"
    assert bad.json()["errors"][0]["attr"] == "role"
    ok = api_client.patch(members_url(cast, pk), {"role": "hr"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["role"] == "hr"


def test_demoting_last_admin_is_400_and_changes_nothing(api_client, cast):
    api_client.force_authenticate(cast.admin)
    pk = cast.membership[cast.admin.pk].pk
    response = api_client.patch(members_url(cast, pk), {"role": "member"}, format="json")
    assert response.status_code == 400
    assert "last admin" in response.json()["errors"][0]["detail"]
    delete = api_client.delete(members_url(cast, pk))
    assert delete.status_code == 400
    with scope(organization=cast.org_a):
        assert Membership.objects.get(pk=pk).role == Role.ADMIN


def test_invitations_api(api_client, cast, django_capture_on_commit_callbacks):
    api_client.force_authenticate(cast.admin)
    url = reverse("api:invitation-list", kwargs={"org_slug": cast.org_a.slug})
    with django_capture_on_commit_callbacks(execute=True):
        created = api_client.post(
            url, {"email": "api@example.com", "role": "member"}, format="json"
        )
    assert created.status_code == 201
    assert created.json()["status"] == "pending"
    assert [m.to for m in mail.outbox] == [["api@example.com"]]
    dup = api_client.post(url, {"email": "API@example.com"}, format="json")
    assert dup.status_code == 400
    assert dup.json()["errors"][0]["attr"] == "email"
    pk = created.json()["id"]
    detail = reverse("api:invitation-detail", kwargs={"org_slug": cast.org_a.slug, "pk": pk})
    assert api_client.delete(detail).status_code == 204
    with scopes_disabled():
        assert Invitation.objects.get(pk=pk).status == "revoked"


def test_accept_invitation_over_api(api_client, cast):
    admin = cast.admin
    with scope(organization=cast.org_a):
        invitation = services.invite_member(
            organization=cast.org_a, email=cast.outsider.email, role="member", actor=admin
        )
    api_client.force_authenticate(cast.outsider)
    response = api_client.post(reverse("api:invitation-accept", kwargs={"token": invitation.token}))
    assert response.status_code == 200
    assert response.json() == {"organization": "org-a", "role": "member"}
    again = api_client.post(reverse("api:invitation-accept", kwargs={"token": invitation.token}))
    assert again.status_code == 400
    assert (
        api_client.post(reverse("api:invitation-accept", kwargs={"token": "nope"})).status_code
        == 404
    )


def test_tokens_api_shows_key_once(api_client, cast):
    api_client.force_authenticate(cast.hr)
    url = reverse("api:token-list")
    created = api_client.post(url, {"name": "BI", "read_only": True}, format="json")
    assert created.status_code == 201
    key = created.json()["key"]
    listed = api_client.get(url).json()
    assert [t["name"] for t in listed] == ["BI"] and "key" not in listed[0]
    assert api_client.post(url, {"name": ""}, format="json").status_code == 400
    api_client.force_authenticate(None)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(reverse("api:me")).json()["email"] == "hr@a.example"


def test_me_update_validates_time_zone(api_client, cast):
    api_client.force_authenticate(cast.member)
    bad = api_client.patch(reverse("api:me"), {"time_zone": "Mars/Olympus"}, format="json")
    assert bad.status_code == 400
    ok = api_client.patch(
        reverse("api:me"), {"name": "M", "time_zone": "Asia/Tokyo"}, format="json"
    )
    assert ok.json() == {
        "id": cast.member.pk,
        "email": "mentor1@a.example",
        "name": "M",
        "time_zone": "Asia/Tokyo",
    }


def test_schema_and_docs_are_served_locally(client, cast):
    client.force_login(cast.admin)
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/v1/orgs/{org_slug}/members/" in paths
    assert "/api/v1/orgs/{org_slug}/invitations/{id}/resend/" in paths
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in body
    assert "https://" not in body
    # Nothing inline: the Content-Security-Policy allows only our own files.
    assert "<style>" not in body and "<script>" not in body
    assert "script-src 'self'" in docs["Content-Security-Policy"]


def test_schema_generates_without_warnings():
    from django.core.management import call_command

    # --fail-on-warn turns any schema ambiguity into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
