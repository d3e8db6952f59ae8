"""Enrolment: invitations by email (one by one or from a CSV), the join link, and an admin's
accept / decline / withdraw. Keyword-only, atomic, audited; emails only on commit.

Someone already in the organization is enrolled at once (``active``) and told by email; anyone
else gets an ``invited`` enrolment waiting on their email plus an invitation to the
organization. When they accept it, ``link_invited_enrollments`` (called from
``mentorship.services.accept_invitation``) makes their waiting enrolments active.
"""

import csv
import io
from dataclasses import asdict, dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django_scopes import scopes_disabled

from mentorship import audit
from mentorship import services as org_services
from mentorship.models import Invitation, Membership, Role, User, validate_email_address

from . import notifications
from .models import MENTOR_CAPACITY, Cohort, Enrollment
from .services import ensure_editable

Status = Enrollment.Status

# CSV limits: a clear 400 beyond them.
MAX_CSV_ROWS = 2000
MAX_CSV_BYTES = 1024 * 1024
CSV_COLUMNS = ("email", "name", "role", "cohort")
CSV_REQUIRED = ("email", "role")

# Which statuses each admin action may start from.
ACCEPT_FROM = {Status.APPLIED, Status.DECLINED}
DECLINE_FROM = {Status.APPLIED}
WITHDRAW_FROM = {Status.ACTIVE, Status.APPLIED, Status.INVITED}


def normalize_email(email) -> str:
    return (email or "").strip().lower()


def _member_with_email(organization, email):
    return (
        User.objects.filter(
            email__iexact=email,
            memberships__organization=organization,
        )
        .only("pk", "email", "name")
        .first()
    )


def _clean(program, *, email, role, cohort, capacity, name):
    """Validate one invitation's fields; returns (email, name, capacity). Raises per field."""
    errors = {}
    email = normalize_email(email)
    try:
        validate_email_address(email)
    except ValidationError as exc:
        errors["email"] = (
            exc.messages[0] if exc.code == "max_length" else "Enter a valid email address."
        )
    if role not in Enrollment.Role.values:
        errors["role"] = f"Unknown role “{role}”; use mentor or mentee."
    if cohort is not None and cohort.program_id != program.pk:
        errors["cohort"] = "That cohort belongs to another program."
    if role == Enrollment.Role.MENTEE and capacity is not None:
        errors["capacity"] = "Only mentors have a capacity."
    elif role == Enrollment.Role.MENTOR:
        if capacity is None:
            capacity = program.default_mentor_capacity
        low, high = MENTOR_CAPACITY
        if not isinstance(capacity, int) or not low <= capacity <= high:
            errors["capacity"] = f"A mentor's capacity is between {low} and {high} mentees."
    name = (name or "").strip()
    if len(name) > 150:
        errors["name"] = "Keep the name under 150 characters."
    if errors:
        raise ValidationError(errors)
    if Enrollment.objects.filter(program=program, email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already in this program."})
    return email, name, capacity


def _create(program, *, email, name, role, cohort, capacity, actor, source):
    """Create one enrolment from cleaned values; invites non-members to the organization."""
    organization = program.organization
    user = _member_with_email(organization, email)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                organization=organization,
                program=program,
                user=user,
                email=email,
                name=name,
                role=role,
                cohort=cohort,
                capacity=capacity if role == Enrollment.Role.MENTOR else None,
                status=Status.ACTIVE if user else Status.INVITED,
            )
    except IntegrityError:  # a concurrent request enrolled the same address
        raise ValidationError({"email": f"{email} is already in this program."}) from None
    audit.record(
        organization=organization,
        actor=actor,
        action="enrollment.invited",
        target=enrollment,
        data={"email": email, "role": role, "status": enrollment.status, "source": source},
    )
    if user is not None:
        notifications.tell_enrolled(enrollment, "added")
    elif not Invitation.objects.filter(
        organization=organization, email__iexact=email, status=Invitation.Status.PENDING
    ).exists():
        org_services.invite_member(
            organization=organization, email=email, role=Role.MEMBER, actor=actor
        )
    return enrollment


@transaction.atomic
def invite_participant(*, program, email, role, actor, name="", cohort=None, capacity=None):
    """Enrol someone by email: active at once when they are a member, invited otherwise."""
    ensure_editable(program)
    email, name, capacity = _clean(
        program, email=email, role=role, cohort=cohort, capacity=capacity, name=name
    )
    return _create(
        program,
        email=email,
        name=name,
        role=role,
        cohort=cohort,
        capacity=capacity,
        actor=actor,
        source="invite",
    )


@transaction.atomic
def link_invited_enrollments(*, organization, user):
    """The person joined the organization: their waiting enrolments there become active."""
    waiting = list(
        Enrollment.objects.select_for_update().filter(
            organization=organization,
            email__iexact=user.email,
            status=Status.INVITED,
            user__isnull=True,
        )
    )
    for enrollment in waiting:
        enrollment.user = user
        enrollment.status = Status.ACTIVE
        enrollment.save(update_fields=["user", "status", "updated_at"])
        audit.record(
            organization=organization,
            actor=user,
            action="enrollment.linked",
            target=enrollment,
            data={"program": enrollment.program_id},
        )
    return len(waiting)


# --- Join link -----------------------------------------------------------------------------------


def program_for_join_token(organization, token):
    from .models import Program

    return Program.objects.filter(organization=organization, join_token=token).first()


def program_for_any_join_token(token):
    """The program a join link names, in whichever organization (the public landing page: the
    token, 22 random characters, is what entitles its holder to see the program's name)."""
    from .models import Program

    with scopes_disabled():
        return (
            Program.objects.filter(join_token=token).select_related("organization").first()
            if token
            else None
        )


def join_refusal(program):
    """Why the join link can't be used now, or None."""
    if program.is_closed:
        return "This program is closed and no longer takes applications."
    if not program.join_link_enabled:
        return "This join link is switched off. Ask the program's admin for an invitation."
    return None


@transaction.atomic
def apply(*, program, user, role):
    """Apply through the join link: an ``applied`` enrolment an admin accepts or declines."""
    refusal = join_refusal(program)
    if refusal:
        raise ValidationError(refusal)
    if role not in Enrollment.Role.values:
        raise ValidationError({"role": "Choose mentor or mentee."})
    if not Membership.objects.filter(organization=program.organization, user=user).exists():
        raise ValidationError("Only members of the organization can apply.")
    existing = Enrollment.objects.filter(program=program, email__iexact=user.email).first()
    if existing is not None:
        raise ValidationError(
            f"You are already in this program ({existing.get_status_display().lower()})."
        )
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                organization=program.organization,
                program=program,
                user=user,
                email=normalize_email(user.email),
                name=user.name,
                role=role,
                capacity=program.default_mentor_capacity
                if role == Enrollment.Role.MENTOR
                else None,
                status=Status.APPLIED,
            )
    except IntegrityError:
        raise ValidationError("You are already in this program.") from None
    audit.record(
        organization=program.organization,
        actor=user,
        action="enrollment.applied",
        target=enrollment,
        data={"role": role},
    )
    return enrollment


# --- Admin actions -------------------------------------------------------------------------------


def _transition(enrollment, *, to, allowed_from, actor, verb):
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("program", "user", "cohort")
        .get(pk=enrollment.pk)
    )
    ensure_editable(enrollment.program)
    if enrollment.status not in allowed_from:
        raise ValidationError(
            f"You can't {verb} an enrolment that is {enrollment.get_status_display().lower()}."
        )
    old = enrollment.status
    enrollment.status = to
    enrollment.save(update_fields=["status", "updated_at"])
    audit.record(
        organization=enrollment.organization,
        actor=actor,
        action=f"enrollment.{to}",
        target=enrollment,
        data={"from": old, "to": to},
    )
    return enrollment


@transaction.atomic
def accept(*, enrollment, actor):
    enrollment = _transition(
        enrollment, to=Status.ACTIVE, allowed_from=ACCEPT_FROM, actor=actor, verb="accept"
    )
    notifications.tell_enrolled(enrollment, "accepted")
    return enrollment


@transaction.atomic
def decline(*, enrollment, actor):
    return _transition(
        enrollment, to=Status.DECLINED, allowed_from=DECLINE_FROM, actor=actor, verb="decline"
    )


@transaction.atomic
def withdraw(*, enrollment, actor):
    return _transition(
        enrollment, to=Status.WITHDRAWN, allowed_from=WITHDRAW_FROM, actor=actor, verb="withdraw"
    )


ACTIONS = {"accept": accept, "decline": decline, "withdraw": withdraw}


def available_actions(enrollment):
    """The admin actions that apply to this enrolment's status, in display order."""
    out = []
    if enrollment.status in ACCEPT_FROM:
        out.append("accept")
    if enrollment.status in DECLINE_FROM:
        out.append("decline")
    if enrollment.status in WITHDRAW_FROM:
        out.append("withdraw")
    return out


# --- CSV import ----------------------------------------------------------------------------------


class CsvError(ValidationError):
    """The file as a whole can't be read (a 400, before any row is looked at)."""


@dataclass
class ImportRow:
    line: int
    email: str
    name: str = ""
    role: str = ""
    cohort: str = ""
    errors: list[str] = field(default_factory=list)
    outcome: str = ""  # what importing will do, for the preview
    skipped: bool = False  # already in the program: left as it is, not an error

    @property
    def ok(self):
        return not self.errors

    def raw(self):
        return {k: getattr(self, k) for k in ("line", "email", "name", "role", "cohort")}


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    @property
    def error_count(self):
        return sum(1 for r in self.rows if r.errors)

    @property
    def valid_count(self):
        return len(self.rows) - self.error_count

    @property
    def skipped_count(self):
        return sum(1 for r in self.rows if r.skipped)

    @property
    def to_import(self):
        return [r for r in self.rows if r.ok and not r.skipped]

    @property
    def ok(self):
        return bool(self.rows) and self.error_count == 0

    def as_dict(self):
        return {
            "ok": self.ok,
            "total": len(self.rows),
            "valid": self.valid_count,
            "invalid": self.error_count,
            "skipped": self.skipped_count,
            "rows": [asdict(r) for r in self.rows],
        }


def read_csv(data: bytes | str) -> list[dict]:
    """Parse the upload into raw rows; a CsvError when the file itself is unusable."""
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_CSV_BYTES:
        raise CsvError(f"The file is larger than {MAX_CSV_BYTES // 1024} KB; split it up.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvError("The file isn't UTF-8 text. Save it as “CSV UTF-8” and try again.") from None
    if "\x00" in text:
        raise CsvError("The file isn't a CSV text file.")
    # Spreadsheets set to many European locales save CSV with ";" between the values.
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        while header is not None and not any(c.strip() for c in header):
            header = next(reader, None)
        if header is None:
            raise CsvError("The file is empty. The first line must name the columns.")
        columns = [c.strip().lower() for c in header]
        unknown = [c for c in columns if c not in CSV_COLUMNS]
        missing = [c for c in CSV_REQUIRED if c not in columns]
        if unknown or missing or len(set(columns)) != len(columns):
            raise CsvError(
                "The first line must name the columns: email, name, role, cohort "
                "(name and cohort may be left out)."
                + (f" Unknown: {', '.join(unknown)}." if unknown else "")
                + (f" Missing: {', '.join(missing)}." if missing else "")
            )
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_CSV_ROWS:
                raise CsvError(f"The file has more than {MAX_CSV_ROWS} rows; split it up.")
            row = {"line": reader.line_num}
            for i, column in enumerate(columns):
                row[column] = values[i].strip() if i < len(values) else ""
            if len(values) > len(columns):
                row["extra"] = True
            rows.append(row)
    except csv.Error as exc:
        raise CsvError(f"The file isn't valid CSV (line {reader.line_num}): {exc}.") from None
    if not rows:
        raise CsvError("The file has a header but no participants.")
    return rows


def preview_import(*, program, rows: list[dict]) -> ImportPreview:
    """Check every row against the program as it is now; nothing is written."""
    cohorts = {c.name.lower(): c for c in Cohort.objects.filter(program=program)}
    enrolled = {
        e["email_l"]: e["status"]
        for e in Enrollment.objects.filter(program=program)
        .annotate(email_l=Lower("email"))
        .values("email_l", "status")
    }
    emails = {normalize_email(r.get("email")) for r in rows}
    members = set(
        Membership.objects.filter(organization=program.organization)
        .annotate(email_l=Lower("user__email"))
        .filter(email_l__in=emails)
        .values_list("email_l", flat=True)
    )
    pending = set(
        Invitation.objects.filter(
            organization=program.organization, status=Invitation.Status.PENDING
        )
        .annotate(email_l=Lower("email"))
        .filter(email_l__in=emails)
        .values_list("email_l", flat=True)
    )
    seen = {}
    out = []
    for raw in rows:
        row = ImportRow(
            line=int(raw.get("line") or 0),
            email=normalize_email(raw.get("email")),
            name=(raw.get("name") or "").strip(),
            role=(raw.get("role") or "").strip().lower(),
            cohort=(raw.get("cohort") or "").strip(),
        )
        if raw.get("extra"):
            row.errors.append("More values than columns.")
        if not row.email:
            row.errors.append("Email is missing.")
        else:
            try:
                validate_email_address(row.email)
            except ValidationError as exc:
                row.errors.append(
                    exc.messages[0]
                    if exc.code == "max_length"
                    else f"“{row.email}” isn't a valid email address."
                )
        if row.role not in Enrollment.Role.values:
            row.errors.append(
                f"Unknown role “{row.role}”; use mentor or mentee."
                if row.role
                else "Role is missing; use mentor or mentee."
            )
        if row.cohort and row.cohort.lower() not in cohorts:
            row.errors.append(f"No cohort named “{row.cohort}” in this program.")
        if len(row.name) > 150:
            row.errors.append("The name is longer than 150 characters.")
        if row.email in seen:
            row.errors.append(f"The same email is on line {seen[row.email]}.")
        elif row.email:
            seen[row.email] = row.line
        if row.email in enrolled and not row.errors:
            status = Enrollment.Status(enrolled[row.email]).label.lower()
            row.skipped = True
            row.outcome = f"Skipped: already in this program ({status})."
        elif not row.errors:
            if row.email in members:
                row.outcome = "Enrolled now (already a member); gets an email."
            elif row.email in pending:
                row.outcome = "Waits for their pending invitation to the organization."
            else:
                row.outcome = "Invited to the organization; enrolled when they join."
        out.append(row)
    return ImportPreview(rows=out)


@transaction.atomic
def import_rows(*, program, rows: list[dict], actor) -> list[Enrollment]:
    """Import every row, or none: any invalid row (checked again now) refuses the whole file."""
    ensure_editable(program)
    preview = preview_import(program=program, rows=rows)
    if not preview.ok:
        raise ValidationError(
            f"{preview.error_count} of {len(preview.rows)} rows have errors; nothing was "
            "imported. Fix the file and upload it again."
        )
    cohorts = {c.name.lower(): c for c in Cohort.objects.filter(program=program)}
    created = []
    for row in preview.to_import:
        created.append(
            _create(
                program,
                email=row.email,
                name=row.name,
                role=row.role,
                cohort=cohorts.get(row.cohort.lower()) if row.cohort else None,
                capacity=program.default_mentor_capacity
                if row.role == Enrollment.Role.MENTOR
                else None,
                actor=actor,
                source="csv",
            )
        )
    if created:
        audit.record(
            organization=program.organization,
            actor=actor,
            action="enrollment.imported",
            target=program,
            data={"rows": len(created)},
        )
    return created


# The parsed upload travels between preview and confirm as a signed, compressed form field:
# nothing on disk or in the session, and it can't be altered or replayed into another program.
def _salt(program):
    return f"programs.enrolment.import:{program.organization.slug}:{program.slug}"


def sign_rows(program, rows: list[dict]) -> str:
    return signing.dumps(rows, salt=_salt(program), compress=True)


IMPORT_PAYLOAD_MAX_AGE = 60 * 60  # an hour to look at the preview


def unsign_rows(program, payload: str) -> list[dict]:
    try:
        rows = signing.loads(payload or "", salt=_salt(program), max_age=IMPORT_PAYLOAD_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(
            "This preview has expired or was altered; upload the file again."
        ) from None
    if not isinstance(rows, list) or len(rows) > MAX_CSV_ROWS:
        raise ValidationError("Upload the file again.")
    return rows
