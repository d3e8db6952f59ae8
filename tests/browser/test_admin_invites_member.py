"""End to end in headless Chromium: the demo admin invites someone, who signs up and joins.

Runs against pytest-django's ``live_server`` (a real HTTP server in a thread of this process,
on a transactional test database), so on_commit callbacks fire for real and the eager Celery
task sends the invitation email into ``django.core.mail.outbox``. Screenshots of every main
step go to ``tests/browser/screenshots/`` (git-ignored) for a human to look at.
"""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from mentorship.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from tests.browser.conftest import ConsoleWatch, new_page, shot

ADMIN_EMAIL = "admin@example.com"
NEW_EMAIL = "newperson@example.com"
NEW_PASSWORD = "a-long-and-fresh-passphrase-42"

pytestmark = pytest.mark.browser


# --- The flow ------------------------------------------------------------------------------------


def test_admin_invites_member_who_signs_up_and_joins(browser, live_site):
    from playwright.sync_api import expect

    call_command("seed_demo", stdout=io.StringIO())
    mail.outbox.clear()  # the demo program's enrolment notices
    base = live_site.url
    org_home = f"{base}/o/{DEMO_SLUG}/"
    members_url = f"{org_home}members/"
    watch = ConsoleWatch()

    # The admin opens the site and is sent to the login page.
    admin = new_page(browser, watch, "admin")
    admin.goto(base + "/")
    expect(admin).to_have_url(re.compile(r"/accounts/login/"))
    expect(admin.get_by_role("heading", level=1)).to_be_visible()
    shot(admin, "01-login")

    admin.get_by_label("Email").fill(ADMIN_EMAIL)
    admin.get_by_label("Password").fill(DEMO_PASSWORD)
    shot(admin, "02-login-filled")
    admin.get_by_role("button", name="Sign in").click()

    # One membership: straight to the demo organization's overview.
    expect(admin).to_have_url(org_home)
    expect(admin.get_by_role("heading", level=1)).to_have_text("Acme Mentoring (demo)")
    shot(admin, "03-org-home-admin")

    nav = admin.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Members").click()
    expect(admin).to_have_url(members_url)
    expect(admin.locator("#members")).to_contain_text("mentor1@example.com")
    expect(admin.get_by_text("No invitations waiting.")).to_be_visible()
    shot(admin, "04-members-before-invite")

    invite = admin.locator("#invite")
    invite.get_by_label("Email").fill(NEW_EMAIL)
    invite.get_by_label("Role").select_option(label="Member")
    invite.get_by_role("button", name="Send invitation").click()

    expect(admin).to_have_url(members_url)
    expect(
        admin.get_by_role("alert").filter(has_text=f"Invitation sent to {NEW_EMAIL}.")
    ).to_be_visible()
    pending = admin.locator("#pending-invitations")
    expect(pending).to_contain_text(NEW_EMAIL)
    expect(pending).to_contain_text("Member")
    shot(admin, "05-members-invitation-sent")

    # The email went out once the invitation was committed (on_commit → eager Celery task).
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    email = mail.outbox[0]
    assert email.to == [NEW_EMAIL]
    assert "Acme Mentoring (demo)" in email.subject
    match = re.search(r"https?://\S+/invitations/[^/\s]+/", email.body)
    assert match, email.body
    link = match.group(0)
    assert link.startswith(base)

    # The invitee, in a fresh anonymous context, follows the link.
    invitee = new_page(browser, watch, "invitee")
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join Acme Mentoring (demo)")
    expect(invitee.locator("main")).to_contain_text(NEW_EMAIL)
    shot(invitee, "06-invitation-landing-anonymous")

    invitee.get_by_role("link", name="Create an account").click()
    expect(invitee).to_have_url(re.compile(r"/accounts/signup/"))
    # The invited address comes pre-filled (the invitation vouches for it).
    expect(invitee.get_by_label("Email")).to_have_value(NEW_EMAIL)
    invitee.get_by_label("Your name").fill("Nova Newcomer")
    invitee.get_by_label(re.compile(r"^\s*Password\W*$")).fill(NEW_PASSWORD)
    invitee.get_by_label("Password (again)").fill(NEW_PASSWORD)
    shot(invitee, "07-signup-filled")
    invitee.get_by_role("button", name="Sign Up").click()

    # Signing up from the link joins the organization: straight to its overview.
    expect(invitee).to_have_url(org_home)
    expect(
        invitee.get_by_role("alert").filter(has_text="Welcome to Acme Mentoring (demo)!")
    ).to_be_visible()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Acme Mentoring (demo)")
    shot(invitee, "08-org-home-new-member")

    # Back as the admin: the newcomer is a member and no longer a pending invitation.
    admin.reload()
    row = admin.locator("#members tr").filter(has_text=NEW_EMAIL)
    expect(row).to_have_count(1)
    expect(row.get_by_role("combobox")).to_have_value("member")
    expect(admin.locator("#pending-invitations")).to_have_count(0)
    expect(admin.get_by_text("No invitations waiting.")).to_be_visible()
    expect(row).to_contain_text("Nova Newcomer")
    shot(admin, "09-members-after-join")

    watch.assert_clean()
