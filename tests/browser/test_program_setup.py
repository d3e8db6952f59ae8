"""End to end in headless Chromium: the demo admin sets a program up alone, from a template to
an active program with participants (issue 3's browser test).

Creates a program from the "Career transition" template, adds an outcome and an indicator in the
logic-model designer (htmx, no page reloads), adds a cohort, imports 20 participants from a CSV
(a first file with a bad row is refused as a whole; the fixed file goes through), activates the
program and opens the logic-model diagram. Full-page screenshots of every step go to
``tests/browser/screenshots/program-NN-*.png``.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from mentorship.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from programs.models import Enrollment, Indicator, LogicModelItem, Program
from tests.browser.conftest import ConsoleWatch, log_in, new_page, shot

ADMIN_EMAIL = "admin@example.com"
PROGRAM_NAME = "Career switchers 2027"
START_DATE = datetime.date(2027, 3, 1)
COHORT = "Spring 2027"
OUTCOME = "Career switchers negotiate their first offer in the new field with confidence"
OUTCOME_TEXT = "Mentees go into offer talks knowing their worth and what to ask for."
INDICATOR = "Confidence negotiating offers"
MEASURE = "Pre/post confidence change (points)"
TARGET = "1.5"
BAD_LINE = 8  # the file's line (header = line 1) whose role is wrong in the first upload

pytestmark = pytest.mark.browser


def participants_csv(*, bad_role=None):
    """20 participants: two demo members (enrolled at once) and 18 newcomers (invited), five
    mentors and fifteen mentees, most in the cohort and a few without one."""
    rows = [
        ("mentor1@example.com", "Maya Mentor", "mentor", COHORT),
        ("mentee1@example.com", "Eli Mentee", "mentee", COHORT),
    ]
    for n in range(1, 5):
        rows.append((f"guide{n}@example.org", f"Guide Number{n}", "mentor", COHORT))
    for n in range(1, 15):
        rows.append(
            (f"switcher{n}@example.org", f"Switcher Number{n}", "mentee", "" if n > 11 else COHORT)
        )
    assert len(rows) == 20
    if bad_role:
        email, name, _role, cohort = rows[BAD_LINE - 2]
        rows[BAD_LINE - 2] = (email, name, bad_role, cohort)
    lines = ["email,name,role,cohort", *(",".join(row) for row in rows)]
    return "\n".join(lines) + "\n"


def test_admin_sets_up_program_from_template(browser, live_site, tmp_path):
    from playwright.sync_api import expect

    call_command("seed_demo", stdout=io.StringIO())
    base = live_site.url
    programs_url = f"{base}/o/{DEMO_SLUG}/programs/"
    watch = ConsoleWatch()
    page = new_page(browser, watch, "admin")
    log_in(page, base, ADMIN_EMAIL, DEMO_PASSWORD)

    # --- A new program from the "Career transition" template ------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    expect(page).to_have_url(programs_url)
    shot(page, "program-01-list")
    page.get_by_role("link", name="New program").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New program")
    page.get_by_label(re.compile(r"^\s*Name")).fill(PROGRAM_NAME)
    page.get_by_label(re.compile(r"^\s*Start date")).fill(START_DATE.isoformat())
    page.get_by_role("radio", name=re.compile(r"^Career transition")).check()
    shot(page, "program-02-create-filled")
    page.get_by_role("button", name="Create draft").click()

    expect(page).to_have_url(re.compile(r"/programs/[\w-]+/$"))
    expect(page.get_by_role("alert").filter(has_text="created as a draft")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROGRAM_NAME)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    program_url = page.url
    shot(page, "program-03-overview-draft")

    # --- The logic-model designer: an outcome and an indicator, through htmx -------------------
    tabs = page.locator("ul.nav-tabs")
    tabs.get_by_role("link", name="Logic model").click()
    expect(page).to_have_url(program_url + "logic-model/")
    board = page.locator("#logic-board")
    outcomes = board.locator("section.logic-outcome")
    # The template filled every column.
    for kind in ("outcome", "output", "activity", "input", "indicator"):
        expect(board.locator(f"section.logic-{kind} li.logic-item").first).to_be_visible()
    template_outcomes = outcomes.locator("li.logic-item").count()
    shot(page, "program-04-logic-model-from-template")

    # A marker on the window survives htmx swaps but not a page load.
    page.evaluate("window.__sameDocument = true")

    outcomes.locator("summary", has_text="Add outcome").click()
    page.locator("#new-title-outcome").fill(OUTCOME)
    page.locator("#new-desc-outcome").fill(OUTCOME_TEXT)
    shot(page, "program-05-outcome-form")
    with page.expect_response(re.compile(r"/logic-model/items/add/$")) as added:
        outcomes.get_by_role("button", name="Add", exact=True).click()
    assert added.value.status == 200
    new_outcome = outcomes.locator("li.logic-item").filter(has_text=OUTCOME)
    expect(new_outcome).to_have_count(1)
    expect(outcomes.locator("li.logic-item")).to_have_count(template_outcomes + 1)
    expect(new_outcome).to_contain_text("No indicator yet")
    expect(board.locator("#missing")).to_contain_text(
        f"Give the outcome “{OUTCOME}” at least one indicator."
    )
    assert page.evaluate("window.__sameDocument === true"), "adding an outcome reloaded the page"
    shot(page, "program-06-outcome-added")

    indicators = board.locator("section.logic-indicator")
    template_indicators = indicators.locator("li.logic-item").count()
    indicators.locator("summary", has_text="Add indicator").click()
    page.locator("#ind-title-new").fill(INDICATOR)
    page.locator("#ind-outcome-new").select_option(label=OUTCOME)
    page.locator("#ind-measure-new").select_option(label=MEASURE)
    page.locator("#ind-direction-new").select_option(label="at least")
    page.locator("#ind-target-new").fill(TARGET)
    page.locator("#ind-desc-new").fill("Self-rated confidence (1–5) before and after the program.")
    shot(page, "program-07-indicator-form")
    with page.expect_response(re.compile(r"/logic-model/indicators/add/$")) as added:
        indicators.get_by_role("button", name="Add", exact=True).click()
    assert added.value.status == 200
    new_indicator = indicators.locator("li.logic-item").filter(has_text=INDICATOR)
    expect(new_indicator).to_have_count(1)
    expect(indicators.locator("li.logic-item")).to_have_count(template_indicators + 1)
    expect(new_indicator).to_contain_text(f"Target: at least {TARGET}")
    expect(new_indicator).to_contain_text(f"Proves: {OUTCOME}")
    expect(new_indicator).not_to_contain_text("Incomplete")
    expect(new_outcome).to_contain_text("Indicators: 1")
    expect(new_outcome).not_to_contain_text("No indicator yet")
    expect(board.locator("#missing")).to_contain_text("Ready: the logic model is complete")
    assert page.evaluate("window.__sameDocument === true"), "adding an indicator reloaded the page"
    new_indicator.scroll_into_view_if_needed()
    shot(page, "program-08-indicator-added")

    # --- A cohort for the intake -------------------------------------------------------------
    tabs.get_by_role("link", name="Cohorts").click()
    expect(page).to_have_url(program_url + "cohorts/")
    add_cohort = page.locator(".card").filter(has=page.get_by_role("heading", name="Add a cohort"))
    add_cohort.get_by_label(re.compile(r"^\s*Name")).fill(COHORT)
    add_cohort.get_by_label(re.compile(r"^\s*Start date")).fill(START_DATE.isoformat())
    add_cohort.get_by_role("button", name="Add cohort").click()
    expect(page.get_by_role("alert").filter(has_text=f"Cohort “{COHORT}” added.")).to_be_visible()
    expect(page.locator("#cohorts tbody tr")).to_have_count(1)
    shot(page, "program-09-cohort-added")

    # --- Participants: a CSV with a bad row is refused whole -----------------------------------
    tabs.get_by_role("link", name="Participants").click()
    expect(page).to_have_url(program_url + "enrollments/")
    expect(page.get_by_text("No participants yet.")).to_be_visible()
    shot(page, "program-10-participants-empty")
    page.get_by_role("link", name="Import CSV").click()
    expect(page).to_have_url(program_url + "enrollments/import/")
    shot(page, "program-11-import-form")

    csv_file = tmp_path / "participants.csv"
    csv_file.write_text(participants_csv(bad_role="boss"), encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(csv_file)
    # The preview of a file with errors is the form again, answered with a 400.
    watch.expect_http_error(400, r"/enrollments/import/\)$")
    page.get_by_role("button", name="Preview").click()

    expect(page.locator("#import-errors")).to_contain_text("1 of 20 rows has errors.")
    expect(page.locator("#import-errors")).to_contain_text("Nothing has been imported")
    bad_rows = page.locator("#import-preview tbody tr.table-danger")
    expect(bad_rows).to_have_count(1)
    expect(bad_rows).to_contain_text(str(BAD_LINE))
    expect(bad_rows).to_contain_text("Unknown role “boss”; use mentor or mentee.")
    expect(page.locator("#import-preview tbody tr")).to_have_count(20)
    expect(page.get_by_role("button", name=re.compile(r"^Import \d+"))).to_have_count(0)
    expect(page.get_by_role("heading", name="Upload the fixed file")).to_be_visible()
    shot(page, "program-12-import-preview-error")
    with scopes_disabled():
        program = Program.objects.get(organization__slug=DEMO_SLUG, name=PROGRAM_NAME)
        assert Enrollment.objects.filter(program=program).count() == 0

    # --- The fixed file: a clean preview, then the import ---------------------------------------
    csv_file.write_text(participants_csv(), encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(csv_file)
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("status")).to_contain_text("20 rows ready from participants.csv")
    expect(page.locator("#import-preview tbody tr.table-danger")).to_have_count(0)
    expect(page.locator("#import-preview tbody tr")).to_have_count(20)
    member_row = page.locator("#import-preview tbody tr").filter(has_text="mentor1@example.com")
    expect(member_row).to_contain_text("Enrolled now (already a member)")
    shot(page, "program-13-import-preview-clean")
    with scopes_disabled():
        assert Enrollment.objects.filter(program=program).count() == 0  # a preview saves nothing
    page.get_by_role("button", name="Import 20 participants").click()

    expect(page).to_have_url(program_url + "enrollments/")
    expect(page.get_by_role("alert").filter(has_text="Imported 20 participants.")).to_be_visible()
    expect(page.locator("#enrollment-count")).to_have_text("20")
    expect(page.locator("#enrollments tbody tr")).to_have_count(20)
    expect(page.locator("#enrollments tbody tr").filter(has_text=COHORT)).to_have_count(17)
    shot(page, "program-14-participants-imported")

    # --- Activate on the overview's status card ------------------------------------------------
    tabs.get_by_role("link", name="Overview").click()
    expect(page).to_have_url(program_url)
    expect(page.locator("#readiness")).to_contain_text("Ready to go live")
    shot(page, "program-15-overview-ready")
    status_card = page.locator(".card").filter(
        has=page.get_by_role("heading", name="Status", exact=True)
    )
    status_card.get_by_role("button", name="Activate").click()

    expect(page).to_have_url(program_url)
    expect(
        page.get_by_role("alert").filter(has_text=f"“{PROGRAM_NAME}” is now active.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")
    expect(page.locator("#readiness")).to_have_count(0)
    expect(status_card.get_by_role("button", name="Activate")).to_have_count(0)
    shot(page, "program-16-overview-active")

    # --- The diagram: an SVG with the new outcome and its indicator ----------------------------
    tabs.get_by_role("link", name="Logic model").click()
    page.get_by_role("link", name="Diagram").click()
    expect(page).to_have_url(program_url + "logic-model/diagram/")
    svg = page.locator("svg.lm-diagram")
    expect(svg).to_be_visible()
    expect(svg.locator("g.lm-outcome").filter(has_text=OUTCOME)).to_have_count(1)
    diagram_indicator = svg.locator("g.lm-indicator").filter(has_text=INDICATOR)
    expect(diagram_indicator).to_have_count(1)
    expect(diagram_indicator).to_contain_text(f"Target ≥ {TARGET}")
    expect(svg.locator(".lm-incomplete")).to_have_count(0)
    expect(svg.locator("path.lm-arrow-dashed")).to_have_count(template_indicators + 1)
    expect(page.get_by_text("Still to do before the program can go active")).to_have_count(0)
    shot(page, "program-17-diagram")
    page.emulate_media(media="print")
    shot(page, "program-18-diagram-print")
    page.emulate_media(media="screen")

    watch.assert_clean()

    # --- And in the database --------------------------------------------------------------------
    with scopes_disabled():
        program.refresh_from_db()
        assert program.status == Program.Status.ACTIVE
        assert program.start_date == START_DATE
        enrollments = Enrollment.objects.filter(program=program)
        assert enrollments.count() == 20
        assert enrollments.filter(role=Enrollment.Role.MENTOR).count() == 5
        assert enrollments.filter(cohort__name=COHORT).count() == 17
        outcome = LogicModelItem.objects.get(
            program=program, kind=LogicModelItem.Kind.OUTCOME, title=OUTCOME
        )
        assert outcome.description == OUTCOME_TEXT
        indicator = Indicator.objects.get(program=program, title=INDICATOR)
        assert indicator.outcome_id == outcome.pk
        assert indicator.measure == Indicator.Measure.CONFIDENCE_CHANGE
        assert indicator.direction == Indicator.Direction.AT_LEAST
        assert indicator.target == Decimal(TARGET)
