"""How the matching app's audit actions read (see the registry in ``mentorship.audit``):
criteria, profiles, runs and their review, matches and their lifecycle, mentor requests.
Imported by ``MatchingConfig.ready()``."""

from django.urls import reverse
from django.utils.html import format_html

from mentorship import audit
from mentorship.permissions import has_perm
from programs.audit_messages import in_program, person
from programs.models import Enrollment

from .models import Match, Profile


def _matching_url(name, *, perm="view_programs", program_of_obj=lambda obj: obj.program, **kw):
    def url(obj, viewer):
        if not has_perm(viewer, perm):
            return None
        program = program_of_obj(obj)
        kwargs = {"org_slug": program.organization.slug, "program_slug": program.slug}
        kwargs.update({key: get(obj) for key, get in kw.items()})
        return reverse(f"matching:{name}", kwargs=kwargs)

    return url


def _name(enrollment):
    return enrollment.display_name


audit.target_kind(
    "matching.matchrun",
    url=_matching_url("run", number=lambda run: run.number),
    text=lambda run: f"run {run.number}",
    select_related=("program__organization",),
)
audit.target_kind(
    "matching.suggestion",
    url=_matching_url("run", program_of_obj=lambda s: s.run.program, number=lambda s: s.run.number),
    text=lambda s: f"{_name(s.mentee)} with {_name(s.mentor)}",
    select_related=("run__program__organization", "mentee__user", "mentor__user"),
)
audit.target_kind(
    "matching.match",
    url=_matching_url("matches"),
    text=lambda match: f"{_name(match.mentee)} with {_name(match.mentor)}",
    select_related=("program__organization", "mentee__user", "mentor__user"),
)
audit.target_kind(
    "matching.customquestion",
    url=_matching_url("criteria"),
    text=lambda question: f"“{question.text}”",
    select_related=("program__organization",),
)
# Requests are the mentee's and the mentor's own: nobody else opens them, so no link.
audit.target_kind(
    "matching.mentorrequest",
    text=lambda r: f"{_name(r.mentee)} → {_name(r.mentor)}",
    select_related=("program__organization", "mentee__user", "mentor__user"),
)


def criteria_link(line, program):
    url = _matching_url("criteria", program_of_obj=lambda p: p)(program, line.viewer)
    return line.link("matching criteria", url)


def run_of(line, run=None):
    """“run 3 of Career moves”, each part linked; the name it had once the run is gone."""
    run = run if run is not None else line.obj
    if run is None:
        words = line.entry.target_repr or "a run"
        return words[:1].lower() + words[1:]
    return format_html(
        "{} of {}", line.link_to(run, label="matching.matchrun"), line.link_to(run.program)
    )


# --- Criteria and profiles -----------------------------------------------------------------------

audit.group("matching", "Matching criteria and profiles")
audit.describe(
    "matching.settings_saved",
    "Matching criteria saved",
    lambda line: format_html(
        "{} saved the {}{}.",
        line.actor,
        criteria_link(line, line.obj) if line.obj is not None else "matching criteria",
        in_program(line, "of"),
    ),
)


def _question(line):
    return line.thing(f"“{line.get('text') or line.entry.target_repr}”")


audit.describe(
    "matching.custom_question_created",
    "Custom question added",
    lambda line: format_html(
        "{} added the question {} to the matching criteria{}.",
        line.actor,
        _question(line),
        in_program(line, "of"),
    ),
)
audit.describe(
    "matching.custom_question_updated",
    "Custom question edited",
    lambda line: format_html(
        "{} edited the question {} of the matching criteria{}.",
        line.actor,
        _question(line),
        in_program(line, "of"),
    ),
)
audit.describe(
    "matching.custom_question_deleted",
    "Custom question removed",
    lambda line: format_html(
        "{} removed the question {} from the matching criteria.", line.actor, _question(line)
    ),
)

PROFILE_WORDS = {
    "years_experience": "years of experience",
    "career_goals": "career goals",
    "career_goals_text": "career goals",
    "style_direct_supportive": "communication style",
    "style_structured_exploratory": "communication style",
    "style_written_spoken": "communication style",
    "manager_email": "manager",
    "custom_answers": "answers to the program's questions",
    "capacity": "capacity",
}


def _profile_fields(line):
    fields = line.get("fields", [])
    fields = [f for f in fields if isinstance(f, str)] if isinstance(fields, list) else []
    order = [f.name for f in Profile._meta.fields]  # as the profile form asks
    fields.sort(key=lambda f: order.index(f) if f in order else len(order))
    words = []
    for name in fields:
        word = PROFILE_WORDS.get(name) or audit.humanize(str(name))
        if word not in words:
            words.append(word)
    return words


def _profile_url(enrollment, viewer):
    if enrollment.status not in (Enrollment.Status.ACTIVE, Enrollment.Status.APPLIED):
        return None  # no longer in the pool, whose pages show profiles
    return _matching_url("profile-edit", pk=lambda e: e.pk)(enrollment, viewer)


SHOWN_FIELDS = 4


def _profile_saved(line):
    enrollment = line.obj
    # A first profile fills in everything: only an update says what changed (the first few).
    fields = [] if line.get("created") else _profile_fields(line)
    if len(fields) > SHOWN_FIELDS:
        fields = [*fields[: SHOWN_FIELDS - 1], f"{len(fields) - SHOWN_FIELDS + 1} more"]
    changed = format_html(" ({})", audit.join_words(fields)) if fields else ""
    if line.get("by") == "self":
        whose = "their profile"
    elif enrollment is not None:
        whose = format_html(
            "the {} of {}",
            line.link("profile", _profile_url(enrollment, line.viewer)),
            _name(enrollment),
        )
    else:
        whose = format_html("the profile of {}", person(line))
    verb = "filled in" if line.get("created") else "updated"
    return format_html("{} {} {}{}{}.", line.actor, verb, whose, in_program(line), changed)


audit.describe("matching.profile_saved", "Profile saved", _profile_saved)

# --- Runs ----------------------------------------------------------------------------------------

audit.group("match_run", "Match runs")


def _published(line):
    if line.get("mode") == "mentee_chooses":
        mentees = line.get("mentees", 0)
        who = "1 mentee" if mentees == 1 else f"{mentees} mentees"
        return format_html(
            "{} opened {} to the mentees — {} can choose a mentor.", line.actor, run_of(line), who
        )
    made, skipped = line.get("matches", 0), line.get("skipped", 0)
    pairs = "1 pair" if made == 1 else f"{made} pairs"
    rest = format_html(", {} skipped", skipped) if skipped else ""
    return format_html("{} published {} — {} made{}.", line.actor, run_of(line), pairs, rest)


def _pairs(pairs):
    return audit.join_words(
        format_html("{} with {}", mentee, mentor)
        for mentee, mentor in (p for p in pairs if isinstance(p, list) and len(p) == 2)
    )


def _swapped(line):
    after = line.get("after", [])
    change = line.get("score_change")
    score = format_html(" (score {})", f"{change:+.2f}") if isinstance(change, int | float) else ""
    return format_html(
        "{} swapped the mentors of two pairs in {}: now {}{}.",
        line.actor,
        run_of(line),
        _pairs(after if isinstance(after, list) else []),
        score,
    )


audit.describe(
    "match_run.started",
    "Run started",
    lambda line: format_html("{} started {}.", line.actor, run_of(line)),
)
audit.describe("match_run.published", "Run published", _published)
audit.describe("match_run.swapped", "Mentors swapped", _swapped)


def _reviewed(line):
    suggestion = line.obj
    if suggestion is not None:
        pair, where = format_html("the pair {}", line.thing()), run_of(line, suggestion.run)
    else:
        pair, where = "a pair", "a run"
    if line.get("locked"):
        what, note = "locked", " (a re-run keeps it)"
    elif line.get("rejected"):
        what, note = "rejected", " (a re-run never proposes it)"
    else:
        what, note = "cleared the review of", ""
    return format_html("{} {} {} in {}{}.", line.actor, what, pair, where, note)


audit.group("suggestion", "Run review")
audit.describe("suggestion.reviewed", "Pair locked or rejected", _reviewed)

# --- Matches -------------------------------------------------------------------------------------

audit.group("match", "Matches")


def _reason(line):
    reason = line.get("reason")
    return format_html(": “{}”", reason) if reason else ""


def _match_change(verb):
    def sentence(line):
        return format_html(
            "{} {} the match of {}{}{}.",
            line.actor,
            verb,
            line.thing(),
            in_program(line),
            _reason(line),
        )

    return sentence


for _status, _label, _verb in (
    (Match.Status.PAUSED, "Match paused", "paused"),
    (Match.Status.ACTIVE, "Match resumed", "resumed"),
    (Match.Status.ENDED, "Match ended", "ended"),
    (Match.Status.DISSOLVED, "Match dissolved", "dissolved"),
):
    # Recorded as ``match.<new status>`` (matching.rematch).
    audit.describe(f"match.{_status}", _label, _match_change(_verb))


def _rematch(line):
    match = line.obj
    mentee = _name(match.mentee) if match is not None else "the mentee"
    run = line.get("run")
    started = format_html("run {}{}", run, in_program(line, "of")) if run else "a new run"
    return format_html("{} started {} to find {} a new mentor.", line.actor, started, mentee)


audit.describe("match.rematch", "New mentor looked for", _rematch)

# --- Mentor requests (mentee chooses) ------------------------------------------------------------

audit.group("mentor_request", "Mentor requests")


def _side(line, side):
    request = line.obj
    if request is None:
        return f"the {side}"
    return _name(request.mentor if side == "mentor" else request.mentee)


REQUEST_SENTENCES = [
    (
        "created",
        "Mentor asked",
        "{actor} asked {mentor} to be their mentor{program}.",
    ),
    (
        "withdrawn",
        "Request withdrawn",
        "{actor} withdrew their request to {mentor}{program}.",
    ),
    (
        "answered",
        "Mentor's question answered",
        "{actor} answered the question {mentor} asked about their request{program}.",
    ),
    (
        "more_info",
        "More information asked for",
        "{actor} asked {mentee} for more about their request{program}.",
    ),
    (
        "declined",
        "Request declined",
        "{actor} declined the request of {mentee}{program}.",
    ),
    (
        "accepted",
        "Request accepted",
        "{actor} accepted the request of {mentee}{program}; they are now a pair.",
    ),
]


def _request_sentence(template):
    def sentence(line):
        return format_html(
            template,
            actor=line.actor,
            mentor=_side(line, "mentor"),
            mentee=_side(line, "mentee"),
            program=in_program(line),
        )

    return sentence


for _verb, _label, _template in REQUEST_SENTENCES:
    audit.describe(f"mentor_request.{_verb}", _label, _request_sentence(_template))
