"""End to end in headless Chromium: a mentee sees the bell's count, follows a notification to
its subject, clears the rest, turns one kind of email off, and uses an email's unsubscribe link
signed out."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from mentorship.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from mentorship.models import EmailOptOut
from tests.browser.conftest import ConsoleWatch, log_in, new_page, shot

pytestmark = pytest.mark.browser


def test_bell_list_email_choices_and_unsubscribe(browser, live_site):
    from playwright.sync_api import expect

    call_command("seed_demo", stdout=io.StringIO())  # enrols and matches: two notices each
    base = live_site.url
    links = [m for m in mail.outbox if m.to == ["mentee1@example.com"]]
    unsubscribe = re.fullmatch(r"<(.+)>", links[0].extra_headers["List-Unsubscribe"]).group(1)
    watch = ConsoleWatch()

    page = new_page(browser, watch, "mentee")
    log_in(page, base, "mentee1@example.com", DEMO_PASSWORD)
    bell = page.get_by_role("link", name="Notifications: 2 unread")
    expect(bell).to_be_visible()
    bell.click()
    expect(page).to_have_url(f"{base}/o/{DEMO_SLUG}/notifications/")
    shot(page, "notifications-list")

    # Following one goes to what it is about and marks it read.
    page.get_by_role("button", name=re.compile("^You have a mentor in")).click()
    expect(page).to_have_url(re.compile(r"/programs/career-moves-2027/$"))
    expect(page.get_by_role("link", name="Notifications: 1 unread")).to_be_visible()
    page.goto(f"{base}/o/{DEMO_SLUG}/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("Marked 1 notification read.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    # Email choices: turn "A new match" off.
    page.goto(f"{base}/account/profile/#email")
    page.get_by_label(re.compile("^A new match")).uncheck()
    page.get_by_role("button", name="Save email choices").click()
    expect(page.get_by_text("Email choices saved.")).to_be_visible()
    shot(page, "notifications-email-choices")
    assert list(EmailOptOut.objects.values_list("kind", flat=True)) == ["matching.match_made"]

    # The email's link, signed out (another browser): a page that asks, then unsubscribes.
    stranger = new_page(browser, watch, "mail program")
    stranger.goto(unsubscribe)
    expect(stranger.get_by_role("heading", name="Stop these emails?")).to_be_visible()
    stranger.get_by_role("button", name="Unsubscribe").click()
    expect(stranger.get_by_role("heading", name="You're unsubscribed")).to_be_visible()
    shot(stranger, "notifications-unsubscribed")
    assert EmailOptOut.objects.count() == 2
