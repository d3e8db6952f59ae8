import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mentorship.models import AuditLogEntry
from programs import services
from programs.agreements import program_context, render_agreement
from programs.models import AgreementTemplate, Cohort, Program
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    IndicatorFactory,
    LogicModelItemFactory,
    ProgramFactory,
)
from tests.queries import count_queries
from tests.urls import program_urls

pytestmark = pytest.mark.django_db

SETTINGS = {
    "name": "Pilot",
    "description": "",
    "format": "one_to_one",
    "start_date": "2027-01-04",
    "end_date": "",
    "time_zone": "",
    "checkin_every_weeks": 1,
    "review_every_weeks": 6,
    "meeting_minutes": 45,
    "matching_mode": "admin",
    "default_mentor_capacity": 2,
}


url = program_urls("programs")


def rows(model):
    with scopes_disabled():
        return sorted(model.objects.values_list("pk", flat=True))


def make_logic_model_complete(program):
    outcome = LogicModelItemFactory(program=program, kind="outcome", title="Confident leaders")
    IndicatorFactory(program=program, outcome=outcome, measure="confidence_change", target=1)


@pytest.fixture
def program(cast):
    return ProgramFactory(organization=cast.org_a, name="Pilot", slug="pilot")


# --- Creating ------------------------------------------------------------------------------------


def test_admin_creates_a_draft_from_scratch(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("programs:create", args=["org-a"]),
        {"name": "Career Moves", "template": "", "start_date": "2027-01-04"},
    )
    assert response.status_code == 302
    with scope(organization=cast.org_a):
        program = Program.objects.get()
        assert response.url == url("detail", program)
        assert (program.slug, program.status, program.start_date) == (
            "career-moves",
            "draft",
            datetime.date(2027, 1, 4),
        )
        assert program.foundation.rules_of_engagement == []
        agreement = AgreementTemplate.objects.get(program=program)
        assert agreement.version == 1 and "{{ mentor_name }}" in agreement.body
        assert AuditLogEntry.objects.get().action == "program.created"


def test_same_name_gets_a_distinct_slug(cast):
    with scope(organization=cast.org_a):
        first = services.create_program(organization=cast.org_a, actor=cast.admin, name="Pilot")
        second = services.create_program(organization=cast.org_a, actor=cast.admin, name="Pilot")
    assert (first.slug, second.slug) == ("pilot", "pilot-2")
    with scope(organization=cast.org_a):
        new = services.create_program(organization=cast.org_a, actor=cast.admin, name="New")
    assert new.slug == "new-program"  # /programs/new/ is the create page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "", "template": ""}, "This field is required."),
        ({"name": "X", "template": "no-such-template"}, "Select a valid choice."),
    ],
)
def test_bad_create_is_refused(client, cast, data, error):
    client.force_login(cast.admin)
    response = client.post(reverse("programs:create", args=["org-a"]), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert rows(Program) == []


# --- Settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("review_every_weeks", 3, "greater than or equal to 4"),
        ("review_every_weeks", 13, "less than or equal to 12"),
        ("meeting_minutes", 20, "greater than or equal to 30"),
        ("meeting_minutes", 90, "less than or equal to 60"),
        ("checkin_every_weeks", 0, "greater than or equal to 1"),
        ("end_date", "2026-12-01", "on or after the start date"),
        ("matching_mode", "lottery", "Select a valid choice"),
    ],
)
def test_out_of_range_settings_are_refused(client, cast, program, field, value, error):
    client.force_login(cast.admin)
    response = client.post(url("edit", program), SETTINGS | {field: value})
    assert response.status_code == 400
    assert error in response.content.decode()
    with scopes_disabled():
        fresh = Program.objects.get(pk=program.pk)
    assert (fresh.review_every_weeks, fresh.meeting_minutes, fresh.start_date) == (6, 45, None)


def test_settings_are_saved_and_audited(client, cast, program):
    client.force_login(cast.admin)
    response = client.post(url("edit", program), SETTINGS | {"review_every_weeks": 8})
    assert response.status_code == 302
    with scope(organization=cast.org_a):
        program.refresh_from_db()
        entry = AuditLogEntry.objects.get(action="program.updated")
    assert program.review_every_weeks == 8
    assert entry.data == {"fields": ["review_every_weeks", "start_date"]}


def test_service_refuses_out_of_range_cadence(cast, program):
    with scope(organization=cast.org_a), pytest.raises(Exception, match="review_every_weeks"):
        services.update_program(program=program, actor=cast.admin, review_every_weeks=2)


# --- Lifecycle -----------------------------------------------------------------------------------


def test_activation_needs_a_start_date(client, cast, program):
    client.force_login(cast.admin)
    response = client.post(url("status", program), {"status": "active"}, follow=True)
    assert "Set the program&#x27;s start date." in response.content.decode()
    with scopes_disabled():
        assert Program.objects.get(pk=program.pk).status == "draft"


def test_lifecycle_and_closed_is_read_only(client, cast, program):
    make_logic_model_complete(program)
    with scope(organization=cast.org_a):
        services.update_program(
            program=program, actor=cast.admin, start_date=datetime.date(2027, 1, 4)
        )
        program = services.change_status(program=program, status="pilot", actor=cast.admin)
        with pytest.raises(Exception, match="can't become draft"):
            services.change_status(program=program, status="draft", actor=cast.admin)
        program = services.change_status(program=program, status="active", actor=cast.admin)
        program = services.change_status(program=program, status="closed", actor=cast.admin)
    client.force_login(cast.admin)
    before = rows(AuditLogEntry)
    response = client.post(
        url("foundation", program), {"values": "x", "goals": "y", "rules_of_engagement": "z"}
    )
    assert response.status_code == 400
    assert "closed; its data is read-only" in response.content.decode()
    response = client.post(url("edit", program), SETTINGS)
    assert response.status_code == 400
    assert rows(AuditLogEntry) == before
    page = client.get(url("foundation", program)).content.decode()
    assert "Save foundation" not in page


def test_only_drafts_can_be_deleted(client, cast, program):
    client.force_login(cast.admin)
    active = ProgramFactory(organization=cast.org_a, slug="live", status="active")
    response = client.post(url("delete", active), follow=True)
    assert "Only draft programs can be deleted" in response.content.decode()
    response = client.post(url("delete", program))
    assert response.status_code == 302
    with scopes_disabled():
        assert list(Program.objects.values_list("slug", flat=True)) == ["live"]


# --- Foundation and agreement --------------------------------------------------------------------


def test_foundation_rules_are_one_per_line(client, cast, program):
    client.force_login(cast.admin)
    client.post(
        url("foundation", program),
        {"values": "Curiosity", "goals": "Grow", "rules_of_engagement": "Be on time\n\n Listen \n"},
    )
    with scopes_disabled():
        program.foundation.refresh_from_db()
    assert program.foundation.rules_of_engagement == ["Be on time", "Listen"]


def test_agreement_versions(client, cast, program):
    client.force_login(cast.admin)
    for body in ["Version one {{ mentor_name }}", "Version one {{ mentor_name }}", "Two"]:
        client.post(url("agreement", program), {"body": body})
    with scopes_disabled():
        versions = list(
            AgreementTemplate.objects.filter(program=program).values_list("version", "body")
        )
    assert versions == [(2, "Two"), (1, "Version one {{ mentor_name }}")]


def test_agreement_with_unknown_placeholder_is_refused(client, cast, program):
    client.force_login(cast.admin)
    response = client.post(url("agreement", program), {"body": "Hi {{ boss_name }}"})
    assert response.status_code == 400
    assert "Unknown placeholder(s): {{ boss_name }}." in response.content.decode()
    assert rows(AgreementTemplate) == []


def test_the_program_page_shows_the_agreement_with_real_names(client, cast, program, scope_a):
    from tests.factories import MatchFactory

    services.save_agreement_template(
        program=program, body="{{ mentor_name }} mentors {{ mentee_name }}.", actor=cast.admin
    )
    cast.mentor1.name, cast.mentee1.name = "Maya <b>Mentor</b>", "Eli Mentee"
    cast.mentor1.save(), cast.mentee1.save()
    mentor = EnrollmentFactory(program=program, user=cast.mentor1, role="mentor", status="active")
    mentee = EnrollmentFactory(program=program, user=cast.mentee1, status="active")
    EnrollmentFactory(program=program, user=cast.mentee2, status="active")

    client.force_login(cast.mentee2)  # not matched yet: their own name, the other still a label
    html = client.get(url("detail", program)).content.decode()
    assert "The agreement you and your match will make" in html
    assert f"[mentor&#x27;s name] mentors {cast.mentee2.name}." in html

    MatchFactory(program=program, mentor=mentor, mentee=mentee)
    client.force_login(cast.mentee1)
    html = client.get(url("detail", program)).content.decode()
    assert "Your agreement with Maya &lt;b&gt;Mentor&lt;/b&gt;" in html
    assert "Maya &lt;b&gt;Mentor&lt;/b&gt; mentors Eli Mentee." in html
    assert "[mentor" not in html and "will sign" not in html
    client.force_login(cast.mentor1)
    assert "Your agreement with Eli Mentee" in client.get(url("detail", program)).content.decode()


def test_agreement_rendering_escapes_and_sanitises(cast):
    program = ProgramFactory(organization=cast.org_a, name="<img src=x onerror=alert(1)>")
    html = render_agreement(
        "# Hi {{ mentee_name }}\n\n<script>alert(1)</script> in *{{ program_name }}*",
        program_context(program, mentee_name="Eli <b>"),
    )
    assert "<h1>Hi Eli &lt;b&gt;</h1>" in html
    assert "<script>" not in html and "<img" not in html
    assert "in <em>&lt;img src=x onerror=alert(1)&gt;</em>" in html


def test_agreement_preview_is_a_fragment(client, cast, program):
    client.force_login(cast.admin)
    response = client.post(
        url("agreement-preview", program),
        {"body": "**{{ program_name }}**"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == "<p><strong>Pilot</strong></p>"
    bad = client.post(url("agreement-preview", program), {"body": "{{ nope }}"})
    assert bad.status_code == 400


# --- Cohorts -------------------------------------------------------------------------------------


def test_cohorts(client, cast, program):
    client.force_login(cast.admin)
    response = client.post(url("cohorts", program), {"name": "Spring", "start_date": "2027-03-01"})
    assert response.status_code == 302
    duplicate = client.post(url("cohorts", program), {"name": "SPRING", "start_date": "2027-04-01"})
    assert duplicate.status_code == 400
    assert "There is already a cohort “SPRING”." in duplicate.content.decode()
    with scopes_disabled():
        cohort = Cohort.objects.get()
    client.post(
        url("cohort-edit", program, pk=cohort.pk), {"name": "Summer", "start_date": "2027-06-01"}
    )
    cohort.refresh_from_db()
    assert (cohort.name, cohort.start_date) == ("Summer", datetime.date(2027, 6, 1))
    client.post(url("cohort-delete", program, pk=cohort.pk))
    assert rows(Cohort) == []


# --- Who sees what -------------------------------------------------------------------------------


def test_member_sees_only_programs_they_are_in(client, cast, program):
    other = ProgramFactory(organization=cast.org_a, name="Other", slug="other")
    EnrollmentFactory(program=program, user=cast.mentee1, role="mentee")
    with scope(organization=cast.org_a):
        services.save_foundation(
            program=program, actor=cast.admin, values="", goals="", rules_of_engagement=["Be kind"]
        )
    client.force_login(cast.mentee1)
    listing = client.get(reverse("programs:list", args=["org-a"])).content.decode()
    assert "Pilot" in listing and "Other" not in listing
    page = client.get(url("detail", program))
    assert page.status_code == 200
    assert "Be kind" in page.content.decode()
    assert client.get(url("detail", other)).status_code == 404
    mine = client.get(reverse("programs:mine", args=["org-a"])).content.decode()
    assert "Pilot" in mine and "Mentee" in mine


def test_hr_reads_the_dashboard_but_cannot_edit(client, cast, program):
    cohort = CohortFactory(program=program, name="Spring")
    EnrollmentFactory(program=program, role="mentor", cohort=cohort, capacity=2)
    EnrollmentFactory(program=program, role="mentee", cohort=cohort)
    EnrollmentFactory(program=program, role="mentee", status="applied")
    client.force_login(cast.hr)
    page = client.get(url("detail", program))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Set the program&#x27;s start date." in body
    assert "Activate" not in body
    assert client.get(url("edit", program)).status_code == 403
    assert page.context["by_role"] == {"mentor": 1, "mentee": 1}
    assert dict(page.context["by_status"])["Applied"] == 1
    assert [(c.name, c.mentors, c.mentees) for c in page.context["cohorts"]] == [("Spring", 1, 1)]


@pytest.mark.parametrize("path", ["page", "api"])
def test_program_list_runs_constant_queries(client, cast, path):
    client.force_login(cast.admin)
    target = (
        reverse("programs:list", args=["org-a"])
        if path == "page"
        else reverse("api:program-list", kwargs={"org_slug": "org-a"})
    )
    for _ in range(3):
        EnrollmentFactory(program=ProgramFactory(organization=cast.org_a))
    few = count_queries(client, target)
    for _ in range(27):
        EnrollmentFactory(program=ProgramFactory(organization=cast.org_a))
    assert count_queries(client, target) == few


# --- API -----------------------------------------------------------------------------------------


def test_api_program_lifecycle(api_client, cast):
    api_client.force_authenticate(cast.admin)
    base = reverse("api:program-list", kwargs={"org_slug": "org-a"})
    bad = api_client.post(base, {"name": "X", "review_every_weeks": 2}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "review_every_weeks"
    assert rows(Program) == []
    created = api_client.post(
        base, {"name": "API program", "start_date": "2027-01-04"}, format="json"
    )
    assert created.status_code == 201
    slug = created.json()["slug"]
    detail = reverse("api:program-detail", kwargs={"org_slug": "org-a", "program_slug": slug})
    patched = api_client.patch(detail, {"meeting_minutes": 60}, format="json")
    assert patched.json()["meeting_minutes"] == 60
    status_url = reverse("api:program-status", kwargs={"org_slug": "org-a", "program_slug": slug})
    wrong = api_client.post(status_url, {"status": "closed"}, format="json")
    assert wrong.status_code == 400
    not_ready = api_client.post(status_url, {"status": "pilot"}, format="json")
    assert not_ready.status_code == 400
    assert "Add at least one outcome" in str(not_ready.json())
    with scopes_disabled():
        make_logic_model_complete(Program.objects.get(slug=slug))
    ok = api_client.post(status_url, {"status": "pilot"}, format="json")
    assert ok.json()["status"] == "pilot"
    foundation = reverse(
        "api:program-foundation", kwargs={"org_slug": "org-a", "program_slug": slug}
    )
    put = api_client.put(
        foundation,
        {"values": "V", "goals": "G", "rules_of_engagement": ["One", "Two"]},
        format="json",
    )
    assert put.json()["rules_of_engagement"] == ["One", "Two"]
    cohorts = reverse("api:cohort-list", kwargs={"org_slug": "org-a", "program_slug": slug})
    assert (
        api_client.post(
            cohorts, {"name": "A", "start_date": "2027-02-01"}, format="json"
        ).status_code
        == 201
    )
    assert (
        api_client.post(
            cohorts, {"name": "a", "start_date": "2027-02-01"}, format="json"
        ).status_code
        == 400
    )
    agreements = reverse(
        "api:agreement-template-list", kwargs={"org_slug": "org-a", "program_slug": slug}
    )
    new = api_client.post(agreements, {"body": "New {{ mentee_name }}"}, format="json")
    assert new.status_code == 201 and new.json()["version"] == 2
    current = api_client.get(agreements + "current/")
    assert current.json() == {"html": "<p>New [mentee&#x27;s name]</p>"}


def test_api_member_sees_only_enrolled_programs_and_cannot_write(api_client, cast, program):
    ProgramFactory(organization=cast.org_a, slug="hidden")
    EnrollmentFactory(program=program, user=cast.mentor1, role="mentor", capacity=1)
    api_client.force_authenticate(cast.mentor1)
    listed = api_client.get(reverse("api:program-list", kwargs={"org_slug": "org-a"})).json()
    assert [p["slug"] for p in listed["results"]] == ["pilot"]
    detail = reverse("api:program-detail", kwargs={"org_slug": "org-a", "program_slug": "hidden"})
    assert api_client.get(detail).status_code == 404
    mine = reverse("api:program-detail", kwargs={"org_slug": "org-a", "program_slug": "pilot"})
    assert api_client.patch(mine, {"name": "Hacked"}, format="json").status_code == 403


def test_update_from_a_stale_copy_keeps_other_fields(cast, program):
    make_logic_model_complete(program)
    with scope(organization=cast.org_a):
        services.update_program(
            program=program, actor=cast.admin, start_date=datetime.date(2027, 1, 4)
        )
        stale = Program.objects.get(pk=program.pk)
        services.change_status(program=program, status="active", actor=cast.admin)
        services.update_program(program=stale, actor=cast.admin, meeting_minutes=30)
        fresh = Program.objects.get(pk=program.pk)
    assert (fresh.status, fresh.meeting_minutes) == ("active", 30)


def test_renaming_keeps_the_programs_links(client, cast):
    program = ProgramFactory(organization=cast.org_a, name="Pilot", slug="pilot")
    with scope(organization=cast.org_a):
        services.update_program(program=program, actor=cast.admin, name="Pilot 2027")
    program.refresh_from_db()
    assert (program.name, program.slug) == ("Pilot 2027", "pilot")
    client.force_login(cast.admin)
    response = client.get(reverse("programs:detail", args=["org-a", "pilot"]))
    assert response.status_code == 200
    assert "Pilot 2027" in response.content.decode()


@pytest.mark.parametrize("start", [datetime.date(202, 1, 1), datetime.date(2999, 1, 1)])
def test_cohort_and_program_dates_stay_in_a_sane_range(cast, scope_a, start):
    program = ProgramFactory(organization=cast.org_a, name="Pilot", slug="pilot")
    with pytest.raises(ValidationError) as exc:
        services.create_cohort(program=program, name="Spring", start_date=start, actor=cast.admin)
    assert "Choose a date between 1 Jan 2000 and" in exc.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError) as exc:
        services.update_program(program=program, actor=cast.admin, start_date=start)
    assert "start_date" in exc.value.message_dict
    assert not Cohort.objects.filter(program=program).exists()


def test_a_participants_program_list_shows_no_counts(client, cast):
    from tests.factories import EnrollmentFactory

    program = ProgramFactory(organization=cast.org_a, name="Pilot", slug="pilot")
    EnrollmentFactory(program=program, user=cast.mentee1)
    client.force_login(cast.mentee1)
    html = client.get(reverse("programs:list", args=["org-a"])).content.decode()
    assert "Pilot" in html and "Mentors" not in html
    client.force_login(cast.hr)
    assert "Mentors" in client.get(reverse("programs:list", args=["org-a"])).content.decode()


def test_a_duplicate_program_name_asks_once(client, cast):
    ProgramFactory(organization=cast.org_a, name="Pilot", slug="pilot")
    client.force_login(cast.admin)
    url = reverse("programs:create", args=["org-a"])
    first = client.post(url, {"name": " pilot ", "template": ""})
    assert first.status_code == 200
    html = first.content.decode()
    assert "There is already a program called" in html and "Create it anyway" in html
    with scopes_disabled():
        assert list(Program.objects.values_list("slug", flat=True)) == ["pilot"]
    confirmed = client.post(url, {"name": "pilot", "template": "", "confirm_duplicate": "1"})
    assert confirmed.status_code == 302
    with scopes_disabled():
        assert sorted(Program.objects.values_list("slug", flat=True)) == ["pilot", "pilot-2"]
