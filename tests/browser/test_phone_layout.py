"""Every role's main pages at a 390-px phone width and at 1366 px: nothing makes the page
scroll sideways, every button and row action is on the screen, and no button clips its text."""

import io

import pytest
from django.core.management import call_command

from mentorship.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from tests.browser.conftest import ConsoleWatch, log_in, shot

pytestmark = pytest.mark.browser

PROGRAM = f"/o/{DEMO_SLUG}/programs/career-moves-2027"
PAGES = {
    "admin@example.com": [
        f"/o/{DEMO_SLUG}/",
        f"/o/{DEMO_SLUG}/members/",
        f"/o/{DEMO_SLUG}/audit/",
        f"/o/{DEMO_SLUG}/programs/",
        f"{PROGRAM}/",
        f"{PROGRAM}/enrollments/",
        f"{PROGRAM}/cohorts/",
        f"{PROGRAM}/matching/",
        f"{PROGRAM}/matching/criteria/",
        f"{PROGRAM}/matching/runs/",
        f"{PROGRAM}/matching/runs/1/",
        f"{PROGRAM}/matching/matches/",
        "/account/profile/",
    ],
    "mentee1@example.com": [
        f"/o/{DEMO_SLUG}/",
        f"{PROGRAM}/",
        f"{PROGRAM}/matching/profile/",
        f"{PROGRAM}/matching/my-match/",
    ],
    "mentor1@example.com": [f"{PROGRAM}/matching/my-match/"],
}

# Off-screen or clipped: a page wider than the window, a control past its right edge, or a
# button whose text overflows it.
PROBLEMS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push(`page is ${document.documentElement.scrollWidth}px wide`);
  }
  for (const el of document.querySelectorAll("main button, main a.btn, main select")) {
    const box = el.getBoundingClientRect();
    if (!box.width || getComputedStyle(el).visibility === "hidden") continue;
    const name = (el.textContent || el.name || el.id).trim().slice(0, 40);
    if (box.right > width + 1 || box.left < -1) found.push(`"${name}" is off-screen`);
    if (el.tagName !== "SELECT" && el.scrollWidth > el.clientWidth + 1) {
      found.push(`"${name}" clips its text`);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("width", [390, 1366])
def test_pages_fit_the_screen(browser, live_site, width):
    call_command("seed_demo", stdout=io.StringIO())
    watch = ConsoleWatch()
    problems = {}
    for email, paths in PAGES.items():
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
        page = watch.attach(context.new_page(), email)
        log_in(page, live_site.url, email, DEMO_PASSWORD)
        for path in paths:
            response = page.goto(live_site.url + path)
            assert response.status == 200, path
            found = page.evaluate(PROBLEMS)
            if found:
                problems[f"{email} {path}"] = found
        shot(page, f"layout-{width}-{email.split('@')[0]}")
        context.close()
    assert problems == {}
