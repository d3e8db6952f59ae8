"""Risky one-click actions ask first and say what happened: making a member an admin (the
role select saves on change) and revoking an invitation."""

import io

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from mentorship.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from mentorship.models import Invitation, Membership
from tests.browser.conftest import ConsoleWatch, log_in, new_page, shot

pytestmark = pytest.mark.browser


def role_of(email):
    with scopes_disabled():
        return Membership.objects.get(organization__slug=DEMO_SLUG, user__email=email).role


def test_promoting_to_admin_and_revoking_an_invitation_ask_first(browser, live_site):
    from playwright.sync_api import expect

    call_command("seed_demo", stdout=io.StringIO())
    watch = ConsoleWatch()
    page = new_page(browser, watch, "admin")
    log_in(page, live_site.url, "admin@example.com", DEMO_PASSWORD)
    page.goto(f"{live_site.url}/o/{DEMO_SLUG}/members/")
    select = page.get_by_label("Role of mentee1@example.com")
    dialogs = []

    # Cancelled: the select shows the old role again and nothing changed.
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    select.select_option("admin")
    expect(select).to_have_value("member")
    assert "Make mentee1@example.com an admin?" in dialogs[0]
    assert role_of("mentee1@example.com") == "member"

    # Confirmed: saved, and the row says so.
    page.once("dialog", lambda dialog: dialog.accept())
    select.select_option("admin")
    row = page.locator("tr", has_text="mentee1@example.com")
    expect(row).to_contain_text("Role saved: Admin.")
    assert role_of("mentee1@example.com") == "admin"
    # Other roles save without asking. (Wait for htmx to finish swapping the row in: a change
    # on the select it is replacing would be lost on a busy machine.)
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    expect(page.get_by_label("Role of mentee1@example.com")).to_have_value("admin")
    page.get_by_label("Role of mentee1@example.com").select_option("hr")
    expect(row).to_contain_text("Role saved: HR / analyst.")
    shot(page, "risky-01-role-saved")

    # Revoking an invitation asks first too.
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("someone@example.com", exact=True)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Revoke").click()
    with scopes_disabled():
        assert Invitation.objects.get(email="someone@example.com").status == "pending"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Invitation for someone@example.com revoked.")).to_be_visible()
    with scopes_disabled():
        assert Invitation.objects.get(email="someone@example.com").status == "revoked"
    watch.assert_clean()
