"""A pair's goals: between one and five active at a time, each with a progress rating (1–5)
and its history (one `GoalRating` per rating).

Reviews adjust and retire goals through `adjust_goal` and `retire_goal`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship import ordering

from ..constants import GOAL_MAX, GOALS_MAX, GOALS_MIN, REASON_MAX
from ..models import Goal, GoalRating


def _writable(match):
    """`Match.ensure_writable`: the rule the pair's room and roadmap follow too."""
    match.ensure_writable("its goals are")


def clean_text(text):
    text = " ".join(str(text or "").split())
    if not text:
        raise ValidationError({"text": "Write the goal in a few words."})
    if len(text) > GOAL_MAX:
        raise ValidationError({"text": f"Keep a goal to {GOAL_MAX} characters or fewer."})
    return text


def clean_progress(progress):
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        raise ValidationError({"progress": "Rate progress from 1 to 5."}) from None
    if not 1 <= progress <= 5:
        raise ValidationError({"progress": "Rate progress from 1 to 5."})
    return progress


def _active(match):
    return Goal.objects.filter(match=match, status=Goal.Status.ACTIVE)


@transaction.atomic
def add_goal(*, match, text, actor, progress=1):
    _writable(match)
    text = clean_text(text)
    progress = clean_progress(progress)
    # Lock the pair's goals: two adds at once can't make a sixth.
    active = list(_active(match).select_for_update())
    if len(active) >= GOALS_MAX:
        raise ValidationError(
            f"You have {GOALS_MAX} goals already: retire one before adding another."
        )
    goal = Goal.objects.create(
        organization_id=match.organization_id,
        match=match,
        text=text,
        progress=progress,
        position=ordering.next_position(Goal.objects.filter(match=match)),
    )
    GoalRating.objects.create(
        organization_id=goal.organization_id, goal=goal, progress=progress, author=actor
    )
    return goal


def _ensure_active(goal):
    if goal.status != Goal.Status.ACTIVE:
        raise ValidationError("This goal is retired.")


@transaction.atomic
def edit_goal(*, goal, text, actor):
    _writable(goal.match)
    _ensure_active(goal)
    goal.text = clean_text(text)
    goal.save(update_fields=["text"])
    return goal


@transaction.atomic
def rate_goal(*, goal, progress, actor, note=""):
    """A new progress rating (1–5); the old one stays in the history."""
    _writable(goal.match)
    _ensure_active(goal)
    progress = clean_progress(progress)
    note = " ".join(str(note or "").split())
    if len(note) > GOAL_MAX:
        raise ValidationError({"note": f"Keep the note to {GOAL_MAX} characters or fewer."})
    goal.progress = progress
    goal.save(update_fields=["progress"])
    GoalRating.objects.create(
        organization_id=goal.organization_id, goal=goal, progress=progress, author=actor, note=note
    )
    return goal


@transaction.atomic
def adjust_goal(*, goal, text=None, progress=None, actor):
    """For reviews: change a goal's words and/or its rating (a rating adds a history row)."""
    if text is None and progress is None:
        raise ValidationError("Change the goal's words or its progress.")
    if text is not None:
        edit_goal(goal=goal, text=text, actor=actor)
    if progress is not None:
        rate_goal(goal=goal, progress=progress, actor=actor)
    return goal


@transaction.atomic
def retire_goal(*, goal, actor, reason=""):
    """Retire a goal (reached, or no longer wanted). A pair keeps at least one active goal."""
    _writable(goal.match)
    _ensure_active(goal)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters or fewer."})
    active = list(_active(goal.match).select_for_update())
    if len(active) <= GOALS_MIN:
        raise ValidationError("This is your only goal: add another before retiring it.")
    goal.status = Goal.Status.RETIRED
    goal.retired_at = timezone.now()
    goal.retire_reason = reason
    goal.save(update_fields=["status", "retired_at", "retire_reason"])
    return goal
