"""Agreement templates: Markdown with a fixed set of placeholders, rendered to safe HTML.

Placeholders are replaced by plain text (escaped), never evaluated as a template language, so
what an admin writes can't reach our template engine or inject markup."""

import re
from html import escape

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

PLACEHOLDERS = {
    "mentor_name": "The mentor's name",
    "mentee_name": "The mentee's name",
    "program_name": "The program's name",
    "organization_name": "The organization's name",
    "start_date": "The program's start date",
    "end_date": "The program's end date",
    "checkin_cadence": "How often the pair meets, e.g. “every week”",
    "meeting_length": "Expected meeting length, e.g. “45 minutes”",
    "review_cadence": "How often they review, e.g. “every 6 weeks”",
}
PLACEHOLDER_RE = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
ALLOWED_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "blockquote",
    "hr",
    "br",
    "a",
    "code",
}


def check_placeholders(body: str):
    unknown = sorted({m for m in PLACEHOLDER_RE.findall(body) if m not in PLACEHOLDERS})
    if unknown:
        names = ", ".join("{{ %s }}" % u for u in unknown)  # noqa: UP031 - braces read better
        raise ValidationError({"body": f"Unknown placeholder(s): {names}."})


def _every(weeks: int) -> str:
    return "every week" if weeks == 1 else f"every {weeks} weeks"


def program_context(program, *, mentor_name=None, mentee_name=None):
    """Values for the placeholders. Without a pair (a preview) the names stay as labels."""

    def when(day):
        return date_format(day, "j F Y") if day else "(not set)"

    return {
        "mentor_name": mentor_name or "[mentor's name]",
        "mentee_name": mentee_name or "[mentee's name]",
        "program_name": program.name,
        "organization_name": program.organization.name,
        "start_date": when(program.start_date),
        "end_date": when(program.end_date),
        "checkin_cadence": _every(program.checkin_every_weeks),
        "meeting_length": f"{program.meeting_minutes} minutes",
        "review_cadence": _every(program.review_every_weeks),
    }


def render_agreement(body: str, context: dict) -> str:
    """Safe HTML: Markdown rendered and sanitised first, placeholders filled in afterwards with
    escaped text (so a name can neither inject markup nor be read as Markdown)."""
    values = []

    def token(match):
        values.append(escape(str(context.get(match[1], match[0]))))
        return f"zzplaceholder{len(values) - 1}zz"

    tokenised = PLACEHOLDER_RE.sub(token, body)
    html = nh3.clean(markdown.markdown(tokenised, extensions=["sane_lists"]), tags=ALLOWED_TAGS)
    html = re.sub(r"zzplaceholder(\d+)zz", lambda m: values[int(m[1])], html)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3, values escaped
