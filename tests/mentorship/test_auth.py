import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password_lands_in_the_organization(client, cast):
    response = client.post(
        reverse("account_login"), {"login": "HR@a.example", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("org:home", args=["org-a"])
    assert "Org A" in response.content.decode()


def test_wrong_password_is_refused(client, cast):
    response = client.post(reverse("account_login"), {"login": "hr@a.example", "password": "wrong"})
    assert response.status_code == 200
    assert (
        "The email address and/or password you specified are not correct."
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client, cast):
    client.force_login(cast.hr)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("org:home", args=["org-a"])).status_code == 302


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("org:members", args=["org-a"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=/o/org-a/members/")


def test_password_reset_by_email(client, cast):
    response = client.post(reverse("account_reset_password"), {"email": "mentee1@a.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mentee1@a.example"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": "brand-new-secret-42", "password2": "brand-new-secret-42"},
    )
    assert response.status_code == 302
    client.logout()
    assert client.login(username="mentee1@a.example", password="brand-new-secret-42")


def test_home_lists_organizations_when_several(client, cast):
    from tests.factories import MembershipFactory

    MembershipFactory(organization=cast.org_b, user=cast.hr)
    client.force_login(cast.hr)
    body = client.get(reverse("home")).content.decode()
    assert "Org A" in body and "Org B" in body


def test_home_without_organizations_explains_what_to_do(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="lonely@example.com"))
    body = client.get(reverse("home")).content.decode()
    assert "You're not in any organization yet." in body
    assert "lonely@example.com" in body


def test_profile_saves_name_and_time_zone_and_rejects_unknown_zone(client, cast):
    client.force_login(cast.member)
    response = client.post(reverse("profile"), {"name": "Maya M.", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert (cast.member.name, cast.member.time_zone) == ("Maya M.", "Asia/Tokyo")
    bad = client.post(reverse("profile"), {"name": "X", "time_zone": "Mars/Olympus"})
    assert bad.status_code == 400
    cast.member.refresh_from_db()
    assert cast.member.name == "Maya M."


def test_token_created_on_profile_is_shown_once_and_works(client, api_client, cast):
    client.force_login(cast.hr)
    response = client.post(reverse("token-create"), {"name": "Power BI", "read_only": "on"})
    assert response.status_code == 302
    page = client.get(reverse("profile")).content.decode()
    key = re.search(r'readonly value="([^"]+)" id="new-token"', page).group(1)
    assert "read-only" in page
    assert key not in client.get(reverse("profile")).content.decode()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(reverse("api:me")).json()["email"] == "hr@a.example"
    token = cast.hr.api_tokens.get()
    client.post(reverse("token-revoke", args=[token.pk]))
    assert api_client.get(reverse("api:me")).status_code == 401


def test_cannot_revoke_someone_elses_token(client, cast):
    from mentorship import services

    token, _ = services.create_api_token(user=cast.admin, name="mine")
    client.force_login(cast.hr)
    assert client.post(reverse("token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
