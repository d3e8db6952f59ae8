"""Each class of bad input answers a clear 4xx, in the API's envelope or on the page, and
changes nothing (``tests.snapshot``: no row of any tenant model, no person's row): missing
fields a service needs, OPTIONS on singletons, oversized and deeply nested bodies, text
PostgreSQL can't store, huge decimals, over-long emails, unknown URLs."""

import json

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from mentorship import services
from tests.factories import EnrollmentFactory, ProgramFactory
from tests.snapshot import cast_snapshot, changed

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 64 + "@" + "b" * 186 + ".example"  # 259 characters: valid, but too long


@pytest.fixture
def program(cast):
    return ProgramFactory(organization=cast.org_a, slug="pilot", name="Pilot")


@pytest.fixture
def admin_api(api_client, cast):
    _, key = services.create_api_token(user=cast.admin, name="test")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


def api(name, program=None, **kwargs):
    kwargs["org_slug"] = "org-a"
    if program is not None:
        kwargs["program_slug"] = program.slug
    return reverse(f"api:{name}", kwargs=kwargs)


def errors(response):
    body = response.json()
    return [(e["attr"], e["code"]) for e in body["errors"]], body["type"]


def test_custom_question_without_kind_is_a_field_error(admin_api, cast, program):
    before = cast_snapshot(cast)
    response = admin_api.post(
        api("custom-question-list", program), {"text": "Office?", "options": ["A", "B"]}, "json"
    )
    assert response.status_code == 400
    assert errors(response) == ([("kind", "required")], "validation_error")
    assert changed(before, cast_snapshot(cast)) == []


def test_member_patch_without_a_role_changes_nothing(admin_api, cast):
    membership = cast.membership[cast.mentee1.pk]
    before = cast_snapshot(cast)
    response = admin_api.patch(api("member-detail", pk=membership.pk), {}, "json")
    assert response.status_code == 200
    assert response.json()["role"] == "member"
    assert changed(before, cast_snapshot(cast)) == []


def test_partial_foundation_put_names_the_missing_parts(admin_api, cast, program):
    before = cast_snapshot(cast)
    response = admin_api.put(api("program-foundation", program), {"values": "Trust"}, "json")
    assert response.status_code == 400
    assert errors(response) == (
        [("goals", "required"), ("rules_of_engagement", "required")],
        "validation_error",
    )
    assert changed(before, cast_snapshot(cast)) == []


@pytest.mark.parametrize("name", ["program-foundation", "matching-settings", "profile-me"])
def test_options_on_a_singleton_describes_it(admin_api, program, name):
    response = admin_api.options(api(name, program))
    assert response.status_code == 200
    assert response.json()["name"]


def test_body_over_the_upload_limit_is_413(admin_api, program, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"title": "x" * 2000, "kind": "outcome"})
    response = admin_api.post(
        api("logic-item-list", program), body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "payload_too_large",
                "detail": "The request body is larger than the limit of 0.000976562 MB.",
                "attr": None,
            }
        ],
    }


def test_deeply_nested_json_is_a_parse_error(admin_api, program):
    response = admin_api.post(
        api("logic-model-import", program), "[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert errors(response) == ([(None, "parse_error")], "client_error")
    nested = json.dumps(
        {"items": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
    )
    response = admin_api.post(
        api("logic-model-import", program), nested, content_type="application/json"
    )
    assert response.json()["errors"][0]["detail"] == "The JSON is nested deeper than 32 levels."


def test_deeply_nested_json_on_the_import_page(client, cast, program):
    client.force_login(cast.admin)
    url = reverse("programs:logic-model-import", args=["org-a", program.slug])
    response = client.post(url, {"json": "[" * 100_000})
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.content.decode()


@pytest.mark.parametrize("text", ["a\u0000b", "a\udc80b"])
def test_unstorable_text_in_a_json_body(admin_api, cast, program, text):
    before = cast_snapshot(cast)
    body = json.dumps({"kind": "outcome", "title": text})  # json.dumps escapes both
    response = admin_api.post(
        api("logic-item-list", program), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"].startswith("The text contains a character")
    assert changed(before, cast_snapshot(cast)) == []


def test_unstorable_text_in_a_query_string_and_a_form(admin_api, client, cast, program):
    before = cast_snapshot(cast)
    response = admin_api.get(api("member-list"), {"search": "\u0000"})
    assert response.status_code == 400
    assert errors(response) == ([(None, "parse_error")], "client_error")
    client.force_login(cast.admin)
    page = client.post(reverse("org:members", args=["org-a"]), {"email": "a\u0000@b.example"})
    assert page.status_code == 400
    assert "can&#x27;t be stored" in page.content.decode()
    assert changed(before, cast_snapshot(cast)) == []


def test_a_huge_decimal_target_is_out_of_range(admin_api, cast, program):
    before = cast_snapshot(cast)
    response = admin_api.post(
        api("indicator-list", program),
        '{"title": "Met", "measure": "meeting_frequency", "target": 1e999999}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert errors(response)[0][0][0] == "target"
    assert changed(before, cast_snapshot(cast)) == []


def test_over_long_emails_are_refused_everywhere(admin_api, client, cast, program):
    before = cast_snapshot(cast)
    client.force_login(cast.admin)
    invite = client.post(reverse("org:members", args=["org-a"]), {"email": LONG_EMAIL})
    assert invite.status_code == 400
    assert "at most 254 characters" in invite.content.decode()
    enrol = client.post(
        reverse("programs:enrollments", args=["org-a", program.slug]),
        {"email": LONG_EMAIL, "role": "mentee"},
    )
    assert enrol.status_code == 400
    assert "at most 254 characters" in enrol.content.decode()
    csv = f"email,name,role,cohort\n{LONG_EMAIL},Long,mentee,\n"
    response = admin_api.post(api("enrollment-import", program), {"csv": csv}, "json")
    assert response.status_code == 400
    assert response.json()["rows"][0]["errors"] == ["An email address has at most 254 characters."]
    api_invite = admin_api.post(api("invitation-list"), {"email": LONG_EMAIL}, "json")
    assert api_invite.status_code == 400
    assert changed(before, cast_snapshot(cast)) == []


def test_over_long_manager_email_in_a_profile(cast, program):
    from django.core.exceptions import ValidationError

    from matching.services import profiles as profile_services

    mentee = EnrollmentFactory(program=program, user=cast.mentee1)
    before = cast_snapshot(cast)
    with scopes_disabled(), pytest.raises(ValidationError) as exc:
        profile_services.save_profile(
            enrollment=mentee, actor=cast.mentee1, manager_email=LONG_EMAIL
        )
    assert exc.value.message_dict == {
        "manager_email": ["An email address has at most 254 characters."]
    }
    assert changed(before, cast_snapshot(cast)) == []


@pytest.mark.parametrize("path", ["members/0.5/", "members/null/", "nothing-here/"])
def test_unknown_api_urls_answer_the_json_404(admin_api, path):
    response = admin_api.get(f"/api/v1/orgs/org-a/{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert errors(response) == ([(None, "not_found")], "client_error")


def test_a_constraint_is_explained_in_words(admin_api, program):
    response = admin_api.patch(
        api("program-detail", program),
        {"start_date": "2027-03-01", "end_date": "2027-01-01"},
        "json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "The end date can't be before the start date.",
            "attr": "non_field_errors",
        }
    ]


def test_errors_inside_a_list_name_the_field_and_say_where(admin_api, program):
    response = admin_api.post(
        api("logic-item-list", program), {"kind": "outcome", "title": "T", "links": ["x"]}, "json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "invalid", "detail": "Item 1: A valid integer is required.", "attr": "links"}
    ]


def test_a_form_post_over_the_upload_limit_is_413_on_pages_and_in_the_api(
    admin_api, client, cast, program, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    before = cast_snapshot(cast)
    big = {"email": "x@example.com", "note": "x" * 2000}
    api_response = admin_api.post(api("invitation-list"), big)  # multipart form
    assert api_response.status_code == 413
    assert errors(api_response) == ([(None, "payload_too_large")], "client_error")
    client.force_login(cast.admin)
    page = client.post(reverse("org:members", args=["org-a"]), big)
    assert page.status_code == 413
    assert "larger than the limit" in page.content.decode()
    assert changed(before, cast_snapshot(cast)) == []
