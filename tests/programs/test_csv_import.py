"""Bulk enrolment from a CSV: parsing, the per-row preview, all-or-nothing import, pages and API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from mentorship.models import AuditLogEntry, Invitation
from programs import enrolment
from programs.models import Enrollment, Program
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cast):
    p = ProgramFactory(organization=cast.org_a, slug="pilot", name="Pilot")
    CohortFactory(program=p, name="Spring")
    return p


def count(program):
    with scopes_disabled():
        return Enrollment.objects.filter(program=program).count()


def written(cast):
    with scopes_disabled():
        return (
            Enrollment.objects.filter(organization=cast.org_a).count(),
            Invitation.objects.filter(organization=cast.org_a).count(),
            AuditLogEntry.objects.filter(organization=cast.org_a).count(),
        )


def csv_of(rows, header="email,name,role,cohort"):
    return (header + "\n" + "".join(r + "\n" for r in rows)).encode()


TWENTY = [
    f"person{i}@example.com,Person {i},{'mentor' if i < 5 else 'mentee'},Spring" for i in range(18)
] + ["mentor1@a.example,Mentor One,mentor,", "mentee1@a.example,,MENTEE,spring"]


# --- Reading the file ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\n\n", "The file is empty."),
        (b"email,name,role,cohort\n", "The file has a header but no participants."),
        (b"mail,role\nx@example.com,mentee\n", "Unknown: mail. Missing: email."),
        (b"x@example.com,mentee\n", "Unknown: x@example.com, mentee. Missing: email, role."),
        (b"email,role,role\nx@example.com,mentee,mentor\n", "The first line must name the columns"),
        ("email,name,role\nj\xf6rg@example.com,J\xf6rg,mentee\n".encode("latin-1"), "isn't UTF-8"),
        (b"email,role\n\x00\x01,mentee\n", "isn't a CSV text file"),
        (b'email,role\n"x@example.com,mentee\n', "isn't valid CSV"),
        (b"email,role\n" + b"x@example.com,mentee\n" * 2001, "more than 2000 rows"),
        (b"email,role\n" + b"x" * (1024 * 1024), "larger than 1024 KB"),
    ],
)
def test_unreadable_files(data, message):
    with pytest.raises(enrolment.CsvError) as exc:
        enrolment.read_csv(data)
    assert message in exc.value.messages[0]


def test_reads_utf8_with_bom_and_loose_headers():
    rows = enrolment.read_csv(
        "\ufeff Email ,ROLE,Name\n  A@Example.com ,Mentor, Jörg \n\n".encode()
    )
    assert rows == [{"line": 2, "email": "A@Example.com", "role": "Mentor", "name": "Jörg"}]


def test_preview_flags_every_problem(cast, program, scope_a):
    EnrollmentFactory(program=program, user=cast.mentee2)
    rows = enrolment.read_csv(
        csv_of(
            [
                "good@example.com,Good,mentee,Spring",
                "bad-email,Bad,mentee,",
                "role@example.com,Role,coach,",
                "good@example.com,Again,mentor,",
                "mentee2@a.example,Already,mentee,",
                "cohort@example.com,Cohort,mentor,Autumn",
                ",,,",
                "x@example.com,X,mentee,Spring,extra",
                "mentor1@a.example,,mentor,",
            ]
        )
    )
    preview = enrolment.preview_import(program=program, rows=rows)
    got = [(r.line, r.errors, r.outcome) for r in preview.rows]
    assert got == [
        (2, [], "Invited to the organization; enrolled when they join."),
        (3, ["“bad-email” isn't a valid email address."], ""),
        (4, ["Unknown role “coach”; use mentor or mentee."], ""),
        (5, ["The same email is on line 2."], ""),
        (6, [], "Skipped: already in this program (active)."),
        (7, ["No cohort named “Autumn” in this program."], ""),
        (9, ["More values than columns."], ""),
        (10, [], "Enrolled now (already a member); gets an email."),
    ]  # the blank line 8 is skipped
    assert (preview.ok, preview.error_count, preview.skipped_count) == (False, 5, 1)
    before = written(cast)
    with pytest.raises(Exception, match="5 of 8 rows have errors; nothing was imported"):
        enrolment.import_rows(program=program, rows=rows, actor=cast.admin)
    assert written(cast) == before


# --- The page: upload, preview, fix, confirm -----------------------------------------------------


def import_url(program):
    return reverse("programs:enrollment-import", args=[program.organization.slug, program.slug])


def upload(client, program, data, name="people.csv"):
    return client.post(import_url(program), {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_preview_with_a_bad_row_then_the_fixed_file_imports_all_twenty(
    client, cast, program, django_capture_on_commit_callbacks
):
    client.force_login(cast.admin)
    assert client.get(import_url(program)).status_code == 200
    broken = TWENTY[:7] + ["person7@example,Person 7,mentee,Spring"] + TWENTY[8:]
    before = written(cast)
    response = upload(client, program, csv_of(broken))
    html = response.content.decode()
    assert response.status_code == 400
    assert "1 of 20 rows has errors." in html
    assert "Nothing has been imported" in html
    assert "“person7@example” isn&#x27;t a valid email address." in html
    assert 'name="payload"' not in html  # no way to import a file with errors
    assert written(cast) == before

    response = upload(client, program, csv_of(TWENTY))
    html = response.content.decode()
    assert response.status_code == 200
    assert "20 rows ready from people.csv" in html
    assert "Import 20 participants" in html
    assert written(cast) == before  # the preview saves nothing
    payload = response.context["payload"]

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(import_url(program), {"payload": payload})
    assert done.status_code == 302
    assert done["Location"] == reverse("programs:enrollments", args=["org-a", "pilot"])
    with scopes_disabled():
        got = dict(Enrollment.objects.filter(program=program).values_list("email", "status"))
        mentors = Enrollment.objects.filter(program=program, role="mentor")
        assert {m.capacity for m in mentors} == {program.default_mentor_capacity}
        assert Enrollment.objects.filter(program=program, cohort__name="Spring").count() == 19
        assert Invitation.objects.filter(organization=cast.org_a).count() == 18
        assert AuditLogEntry.objects.filter(action="enrollment.imported").get().data == {"rows": 20}
    assert len(got) == 20
    assert got["mentor1@a.example"] == got["mentee1@a.example"] == "active"
    assert got["person0@example.com"] == "invited"

    # The same confirmation again (a double click): every row is skipped, nothing more written.
    before = written(cast)
    again = client.post(import_url(program), {"payload": payload}, follow=True)
    assert again.status_code == 200
    assert "Nothing new to import: everyone in the file is already in." in again.content.decode()
    assert written(cast) == before


def test_malformed_upload_is_a_clear_400(client, cast, program):
    client.force_login(cast.admin)
    before = written(cast)
    response = upload(client, program, b"\xff\xfe\x00junk")
    assert response.status_code == 400
    assert "isn&#x27;t UTF-8" in response.content.decode()
    assert client.post(import_url(program), {}).status_code == 400
    assert written(cast) == before


def test_a_tampered_or_foreign_payload_is_refused(client, cast, program):
    other = ProgramFactory(organization=cast.org_a, slug="other")
    rows = [{"line": 2, "email": "x@example.com", "role": "mentee", "name": "", "cohort": ""}]
    client.force_login(cast.admin)
    before = written(cast)
    for payload in [enrolment.sign_rows(other, rows), enrolment.sign_rows(program, rows) + "x"]:
        response = client.post(import_url(program), {"payload": payload})
        assert response.status_code == 400
        assert "expired or was altered" in response.content.decode()
    assert written(cast) == before


def test_hr_and_members_cannot_import(client, cast, program):
    for user in (cast.hr, cast.mentee1):
        client.force_login(user)
        assert client.get(import_url(program)).status_code == 403
        assert upload(client, program, csv_of(TWENTY)).status_code == 403
    assert count(program) == 0


def test_closed_program_refuses_import(client, cast, program):
    with scopes_disabled():
        Program.objects.filter(pk=program.pk).update(status="closed")
    client.force_login(cast.admin)
    assert upload(client, program, csv_of(TWENTY)).status_code == 302
    assert count(program) == 0


# --- API -----------------------------------------------------------------------------------------


def api_import(program, query=""):
    org, slug = program.organization.slug, program.slug
    return f"/api/v1/orgs/{org}/programs/{slug}/enrollments/import/{query}"


def test_api_dry_run_then_import(api_client, cast, program):
    api_client.force_authenticate(cast.admin)
    dry = api_client.post(
        api_import(program, "?dry_run=true"),
        {"file": SimpleUploadedFile("p.csv", csv_of(TWENTY), "text/csv")},
        format="multipart",
    )
    assert dry.status_code == 200
    body = dry.json()
    assert (body["ok"], body["total"], body["valid"], body["imported"]) == (True, 20, 20, 0)
    assert body["rows"][18]["outcome"] == "Enrolled now (already a member); gets an email."
    assert count(program) == 0
    done = api_client.post(
        api_import(program),
        {"file": SimpleUploadedFile("p.csv", csv_of(TWENTY), "text/csv")},
        format="multipart",
    )
    assert done.status_code == 201
    assert done.json()["imported"] == 20
    assert count(program) == 20


def test_api_import_with_a_bad_row_writes_nothing(api_client, cast, program):
    api_client.force_authenticate(cast.admin)
    before = written(cast)
    data = csv_of(TWENTY[:19] + ["someone@example.com,,coach,"]).decode()
    response = api_client.post(api_import(program), {"csv": data}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert (body["ok"], body["invalid"], body["imported"]) == (False, 1, 0)
    assert body["detail"] == "1 of 20 rows have errors; nothing was imported."
    assert body["rows"][19]["errors"] == ["Unknown role “coach”; use mentor or mentee."]
    assert written(cast) == before


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        ({"file": b"\xff\xfejunk"}, "multipart"),
        ({"csv": "name\nx\n"}, "json"),
        ({}, "json"),
    ],
)
def test_api_malformed_csv_is_400(api_client, cast, program, data, fmt):
    if "file" in data:
        data = {"file": SimpleUploadedFile("p.csv", data["file"], "text/csv")}
    api_client.force_authenticate(cast.admin)
    response = api_client.post(api_import(program), data, format=fmt)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "file"
    assert count(program) == 0


def test_semicolons_and_already_enrolled_rows(cast, program, scope_a):
    EnrollmentFactory(program=program, user=cast.mentee2)
    rows = enrolment.read_csv(
        "email;name;role;cohort\nnew@example.com;New, Person;mentee;\nmentee2@a.example;;mentee;\n"
    )
    preview = enrolment.preview_import(program=program, rows=rows)
    assert [(r.email, r.name, r.skipped, r.errors) for r in preview.rows] == [
        ("new@example.com", "New, Person", False, []),
        ("mentee2@a.example", "", True, []),
    ]
    assert preview.ok and preview.skipped_count == 1
    created = enrolment.import_rows(program=program, rows=rows, actor=cast.admin)
    assert [e.email for e in created] == ["new@example.com"]
