"""Shared fixtures of the browser tests: headless Chromium (Debian's /usr/bin/chromium) through
Playwright's sync API, the live server, a console/CSP watch and full-page screenshots.

Every test runs against pytest-django's ``live_server`` (a real HTTP server in a thread of this
process, on a transactional test database), so on_commit callbacks fire for real. Screenshots go
to ``tests/browser/screenshots/`` (git-ignored) for a human to look at.
"""

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture
def allow_async_unsafe(monkeypatch):
    # Playwright's sync API drives the browser from an asyncio event loop running in this very
    # thread. Django sees that running loop and refuses ORM calls from the test thread (seeding
    # the demo data, the transactional flush at teardown) with SynchronousOnlyOperation,
    # although nothing here is actually async: each call blocks.
    # The live server itself serves requests from its own thread and is unaffected.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(allow_async_unsafe):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package 'chromium'); no browser to drive")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_site(live_server, settings):
    # Links in emails are built from SITE_URL; point it at the live server so they can be
    # followed as they are.
    settings.SITE_URL = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return live_server


class ConsoleWatch:
    """Collects console errors (CSP violations are reported there too) and uncaught exceptions
    from every page it is attached to."""

    created = []  # every watch of the running test, checked when it ends (clean_console)

    def __init__(self):
        self.errors = []
        self.expected = []  # (status, url regex) of refusals the flow provokes on purpose
        ConsoleWatch.created.append(self)

    def expect_http_error(self, status, url):
        """Chromium logs every 4xx answer as a console error, including a form the site answers
        with 400 and its errors shown; declare those the test provokes on purpose."""
        self.expected.append((status, re.compile(url)))

    def _unexpected(self):
        def provoked(error):
            return any(
                f"status of {status} " in error and pattern.search(error)
                for status, pattern in self.expected
            )

        return [e for e in self.errors if not provoked(e)]

    def attach(self, page, who):
        def on_console(msg):
            if msg.type != "error":
                return
            resource = msg.location.get("url", "")
            self.errors.append(f"[{who}] {page.url}: {msg.text} ({resource})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"[{who}] {page.url}: {exc}"))
        return page

    def csp_violations(self):
        return [e for e in self.errors if "Content Security Policy" in e]

    def assert_clean(self):
        assert self.csp_violations() == [], "\n".join(self.csp_violations())
        assert self._unexpected() == [], "\n".join(self._unexpected())


@pytest.fixture(autouse=True)
def clean_console():
    """Every browser test fails on a console error or CSP violation, even one that forgets to
    call ``assert_clean`` at its end."""
    ConsoleWatch.created.clear()
    yield
    watches, ConsoleWatch.created[:] = list(ConsoleWatch.created), []
    for watch in watches:
        watch.assert_clean()


def new_page(browser, watch, who):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    return watch.attach(context.new_page(), who)


def shot(page, name):
    # caret="initial": hiding the caret (the default) sets and then clears an inline
    # caret-color on every input, leaving them with style="". htmx copies the style attribute
    # when it settles a swapped element, and the strict CSP (style-src-attr) then reports a
    # violation the site itself never causes.
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, caret="initial")


def log_in(page, base, email, password):
    """From the login page the site sends an anonymous visitor to, sign in."""
    from playwright.sync_api import expect

    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
