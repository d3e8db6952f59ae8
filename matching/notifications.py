"""What matching tells people: new matches, changes to a match, mentor requests and their
answers, suggestions to choose from, and automatic runs. Delivery is the core's."""

from django.urls import reverse

from mentorship.models import Membership, Role
from mentorship.notifications.kinds import Kind, register
from mentorship.notifications.service import notify

MATCH_MADE = register(
    Kind(
        name="matching.match_made",
        label="A new match",
        audience="Mentors and mentees",
        template="matching/email/match",
    )
)
MATCH_CHANGED = register(
    Kind(
        name="matching.match_changed",
        label="Your match paused, completed or ended",
        audience="Mentors and mentees",
        template="matching/email/match_status",
    )
)
REQUEST_RECEIVED = register(
    Kind(
        name="matching.request_received",
        label="Mentees' requests to you, their answers and withdrawals",
        audience="Mentors",
        template="matching/email/request",
    )
)
REQUEST_ANSWERED = register(
    Kind(
        name="matching.request_answered",
        label="Answers to your mentor requests",
        audience="Mentees",
        template="matching/email/request",
    )
)
SUGGESTIONS_READY = register(
    Kind(
        name="matching.suggestions_ready",
        label="Mentors suggested for you to choose from",
        audience="Mentees",
        template="matching/email/suggestions_open",
    )
)
RUN_PUBLISHED = register(
    Kind(
        name="matching.run_published",
        label="Automatic matching runs that published their matches",
        audience="Admins",
        template="matching/email/run_published",
    )
)
RUN_HELD = register(
    Kind(
        name="matching.run_held",
        label="Automatic matching runs waiting for your review",
        audience="Admins",
        template="matching/email/run_published",
        mandatory="Matching stops until an admin looks, so every admin hears.",
    )
)

# Who hears about what happened to a mentor request.
REQUEST_EVENT_TO = {
    "new": "mentor",
    "answered": "mentor",
    "withdrawn": "mentor",
    "accepted": "mentee",
    "declined": "mentee",
    "more_info": "mentee",
    "expired": "mentee",
}


def _program_path(program, name="programs:detail", **kwargs):
    where = {"org_slug": program.organization.slug, "program_slug": program.slug}
    return reverse(name, kwargs=where | kwargs)


def _pair(match):
    return ((match.mentee, match.mentor), (match.mentor, match.mentee))


def _tell(kind, person, *, program, key, url, context):
    """Tell one participant (an enrolment of ``program``) something."""
    return notify(
        kind,
        organization=program.organization,
        key=key,
        recipient=person.user,
        email=person.email,
        url=url,
        context={"person": person, **context},
    )


def tell_match_made(match) -> int:
    """Both people of a new match; once per match and person. How many were told now."""
    return sum(
        _tell(
            MATCH_MADE,
            person,
            program=match.program,
            key=f"match:{match.pk}:{person.pk}",
            url=_program_path(match.program),
            context={"match": match, "other": other},
        )
        is not None
        for person, other in _pair(match)
    )


def tell_match_changed(match, status, change_id) -> int:
    """Both people of a paused, ended or dissolved match. ``change_id`` (the audit entry of
    the change) makes each change's notice its own, even for a second pause."""
    return sum(
        _tell(
            MATCH_CHANGED,
            person,
            program=match.program,
            key=f"match:{match.pk}:{status}:{change_id}:{person.pk}",
            url=_program_path(match.program, "matching:my-match"),
            context={"match": match, "status": status, "other": other},
        )
        is not None
        for person, other in _pair(match)
    )


def tell_request_event(mentor_request, event):
    """The mentor about a new, answered or withdrawn request; the mentee about the mentor's
    answer or the request's expiry. Once per request, event and round."""
    if event not in REQUEST_EVENT_TO:
        raise ValueError(f"Unknown mentor request event {event!r}.")
    to_mentor = REQUEST_EVENT_TO[event] == "mentor"
    person, other = (
        (mentor_request.mentor, mentor_request.mentee)
        if to_mentor
        else (mentor_request.mentee, mentor_request.mentor)
    )
    # Expiry happens once; the other events once per round of questions and answers.
    round_ = 0 if event == "expired" else mentor_request.rounds
    return _tell(
        REQUEST_RECEIVED if to_mentor else REQUEST_ANSWERED,
        person,
        program=mentor_request.program,
        key=f"mentor-request:{mentor_request.pk}:{event}:{round_}",
        url=_program_path(
            mentor_request.program, "matching:requests" if to_mentor else "matching:suggestions"
        ),
        context={"request": mentor_request, "event": event, "other": other},
    )


def tell_suggestions_ready(run, mentee):
    """Mentee-chooses mode: a mentee's suggestions are ready to choose from."""
    return _tell(
        SUGGESTIONS_READY,
        mentee,
        program=run.program,
        key=f"suggestions-open:{run.pk}:{mentee.pk}",
        url=_program_path(run.program, "matching:suggestions"),
        context={"run": run},
    )


def tell_run_published(run, published) -> int:
    """Automatic mode: the organization's admins hear that a run published itself, or that
    publishing was refused and the run waits for their review. How many were told now."""
    admins = Membership.objects.filter(
        organization_id=run.organization_id, role=Role.ADMIN, user__is_active=True
    ).select_related("user")
    told = 0
    for membership in admins:
        told += (
            notify(
                RUN_PUBLISHED if published else RUN_HELD,
                organization=run.program.organization,
                key=f"run-auto-published:{run.pk}:{membership.user_id}",
                recipient=membership.user,
                url=_program_path(run.program, "matching:run", number=run.number),
                context={"run": run, "published": published, "person": membership.user},
            )
            is not None
        )
    return told
