"""Throttling is on: the API answers 429 with Retry-After past the rates, as documented, and
the sign-in page answers 429 once repeated failures lock an address."""

import pytest
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from mentorship import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(monkeypatch):
    rates = {"user": "3/hour", "anon": "2/hour"}
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)


def test_a_token_past_its_rate_gets_429_with_retry_after(api_client, cast, low_rates):
    _, key = services.create_api_token(user=cast.hr, name="bi", read_only=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = reverse("api:member-list", kwargs={"org_slug": "org-a"})
    assert [api_client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = api_client.get(url)
    assert response.status_code == 429
    assert 3500 <= int(response["Retry-After"]) <= 3600
    assert response.json()["type"] == "client_error"
    assert response.json()["errors"][0]["code"] == "throttled"


def test_the_schema_documents_429(api_client, db):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/orgs/{org_slug}/members/"]["get"]
    assert "429" in operation["responses"]


def test_repeated_failed_sign_ins_answer_429(client, cast, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "100/m/ip,3/300s/key"}
    url = reverse("account_login")
    wrong = {"login": "mentee1@a.example", "password": "not-the-password"}
    statuses = [client.post(url, wrong).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    locked = client.post(url, {"login": "mentee1@a.example", "password": cast.password})
    assert locked.status_code == 429
    assert locked["Retry-After"] == "300"
    assert "Too many failed login attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
