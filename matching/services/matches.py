"""The life of a match after publishing: pause, resume, end (completed), dissolve (didn't work
out), and a rematch for a mentee whose match is over.

Ending or dissolving a match frees the mentee (``pool.load_pool`` only leaves out mentees with
an *open* match) and the mentor's seat. A rematch is an ordinary match run: the mentee is back
in the pool, and ``runs.execute_run`` never proposes a pair whose match is closed (dissolved or
ended), whatever the program's no-repair rule says.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship import audit
from programs.models import Enrollment
from programs.services import ensure_editable

from .. import hooks, notifications
from ..models import Match
from . import runs

REASON_MAX = 1000

# status → the statuses it may move to
TRANSITIONS = {
    Match.Status.ACTIVE: {Match.Status.PAUSED, Match.Status.ENDED, Match.Status.DISSOLVED},
    Match.Status.PAUSED: {Match.Status.ACTIVE, Match.Status.ENDED, Match.Status.DISSOLVED},
    Match.Status.ENDED: set(),
    Match.Status.DISSOLVED: set(),
}
# The changes both people are told about by email.
NOTIFIED = {Match.Status.PAUSED, Match.Status.ENDED, Match.Status.DISSOLVED}
ACTION_STATUS = {
    "pause": Match.Status.PAUSED,
    "resume": Match.Status.ACTIVE,
    "end": Match.Status.ENDED,
    "dissolve": Match.Status.DISSOLVED,
}
PAST = {
    Match.Status.ACTIVE: "resumed",
    Match.Status.PAUSED: "paused",
    Match.Status.ENDED: "ended",
    Match.Status.DISSOLVED: "dissolved",
}


def _clean_reason(reason, *, required):
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": "Say why (the reason is kept with the match)."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters or fewer."})
    return reason


def _change(*, match, actor, to, reason="", reason_required=False):
    reason = _clean_reason(reason, required=reason_required)
    # Lock the row: two admins clicking at once queue here, the second sees the new status.
    match = Match.objects.select_for_update().select_related("program").get(pk=match.pk)
    ensure_editable(match.program)
    if to not in TRANSITIONS[match.status]:
        raise ValidationError(
            f"This match is {match.get_status_display().lower()}; it can't be {PAST[to]}."
            if match.status in Match.OPEN
            else f"This match is {match.get_status_display().lower()}; it can't be changed."
        )
    previous = match.status
    match.status = to
    fields = ["status"]
    if to in (Match.Status.ENDED, Match.Status.DISSOLVED):
        match.ended_at, match.end_reason = timezone.now(), reason
        fields += ["ended_at", "end_reason"]
    match.save(update_fields=fields)
    entry = audit.record(
        organization=match.organization,
        actor=actor,
        action=f"match.{to}",
        target=match,
        data={"from": previous, "reason": reason},
    )
    if to in NOTIFIED:
        notifications.tell_match_changed(match, to, entry.pk)
    hooks.match_changed.send(match=match, previous=previous, actor=actor)
    return match


@transaction.atomic
def pause_match(*, match, actor, reason=""):
    return _change(match=match, actor=actor, to=Match.Status.PAUSED, reason=reason)


@transaction.atomic
def resume_match(*, match, actor):
    return _change(match=match, actor=actor, to=Match.Status.ACTIVE)


@transaction.atomic
def end_match(*, match, actor, reason):
    """Completed normally. The mentee goes back into the pool, the mentor's seat is free."""
    return _change(
        match=match, actor=actor, to=Match.Status.ENDED, reason=reason, reason_required=True
    )


@transaction.atomic
def dissolve_match(*, match, actor, reason):
    """It didn't work out. The mentee goes back into the pool; a rematch never proposes this
    mentor to them again."""
    return _change(
        match=match, actor=actor, to=Match.Status.DISSOLVED, reason=reason, reason_required=True
    )


def change_status(*, match, actor, action, reason=""):
    """One entry point for pages and the API: ``action`` is pause, resume, end or dissolve."""
    if action == "pause":
        return pause_match(match=match, actor=actor, reason=reason)
    if action == "resume":
        return resume_match(match=match, actor=actor)
    if action == "end":
        return end_match(match=match, actor=actor, reason=reason)
    if action == "dissolve":
        return dissolve_match(match=match, actor=actor, reason=reason)
    raise ValidationError({"action": "Choose pause, resume, end or dissolve."})


def can_rematch(match, open_mentee_ids=frozenset()) -> bool:
    """For pages: whether ``rematch`` accepts this match (its own checks) — an open program,
    a closed match, a mentee still taking part with no open match (``open_mentee_ids``: the
    ids of mentees who have one)."""
    return (
        not match.program.is_closed
        and match.status not in Match.OPEN
        and match.mentee.status == Enrollment.Status.ACTIVE
        and match.mentee_id not in open_mentee_ids
    )


@transaction.atomic
def rematch(*, match, actor):
    """Find the mentee a new mentor: a new match run over the program's pool (the mentee is in
    it again), which never proposes the previous mentor to them."""
    match = Match.objects.select_related("program", "mentee").get(pk=match.pk)
    ensure_editable(match.program)
    if match.status in Match.OPEN:
        raise ValidationError("End or dissolve this match before looking for a new mentor.")
    if match.mentee.status != Enrollment.Status.ACTIVE:
        raise ValidationError("The mentee no longer takes part in this program.")
    if (
        Match.objects.filter(program=match.program, mentee=match.mentee, status__in=Match.OPEN)
        .exclude(pk=match.pk)
        .exists()
    ):
        raise ValidationError("The mentee already has another match.")
    run = runs.start_run(program=match.program, actor=actor)
    audit.record(
        organization=match.organization,
        actor=actor,
        action="match.rematch",
        target=match,
        data={"run": run.number},
    )
    return run
