"""Each pair's roadmap and goals, made when their match starts, and the pause clock.

`start_matches` receives `matching.hooks.matches_started` (publishing a run sends thousands of
matches at once): it writes in bulk, in a fixed number of queries whatever the number of
matches (one more per program that has no roadmap template yet). `match_changed` receives
`matching.hooks.match_changed`: a pause stops the clock of the pair's open milestones, a resume
moves their due dates by the pause's length.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from matching.models import Match, Profile

from ..constants import GENERIC_GOAL, GOAL_MAX, GOALS_MAX
from ..models import Goal, GoalRating, Milestone, Roadmap, TemplateMilestone
from ..queries import zone_of
from .templates import copy_of, ensure_template, offsets, start_date


def goals_from_profile(profile) -> list[str]:
    """Up to five goal texts from the mentee's profile: their chosen career goals, then their
    own words (one per line); a generic goal when the profile names none."""
    texts = []
    if profile is not None:
        texts += [str(g) for g in profile.career_goals or []]
        texts += (profile.career_goals_text or "").splitlines()
    seen, goals = set(), []
    for text in texts:
        text = " ".join(text.split())[:GOAL_MAX].strip(" -•*")
        if text and text.lower() not in seen:
            seen.add(text.lower())
            goals.append(text)
    return goals[:GOALS_MAX] or [GENERIC_GOAL]


@transaction.atomic
def start_matches(*, matches, actor=None):
    """`matching.hooks.matches_started`: a roadmap (from the program's template, due dates from
    the match's start) and goals (from the mentee's profile) for each new match that has none."""
    matches = [m for m in matches if m.status in Match.OPEN]
    if not matches:
        return []
    have = set(
        Roadmap.objects.filter(match__in=[m.pk for m in matches]).values_list("match_id", flat=True)
    )
    matches = [m for m in matches if m.pk not in have]
    if not matches:
        return []
    programs = {m.program_id: m.program for m in matches}
    templates = {pk: ensure_template(program) for pk, program in programs.items()}
    steps = {pk: [] for pk in templates}
    by_template = {t.pk: pid for pid, t in templates.items()}
    for step in TemplateMilestone.objects.filter(template__in=list(templates.values())):
        steps[by_template[step.template_id]].append(step)
    days = {pid: offsets(rows) for pid, rows in steps.items()}
    zones = {pid: zone_of(program) for pid, program in programs.items()}
    profiles = {
        p.enrollment_id: p
        for p in Profile.objects.filter(enrollment__in=[m.mentee_id for m in matches])
    }
    roadmaps = Roadmap.objects.bulk_create(
        Roadmap(
            organization_id=m.organization_id,
            program_id=m.program_id,
            match=m,
            template=templates[m.program_id],
        )
        for m in matches
    )
    milestones, goals = [], []
    for match, roadmap in zip(matches, roadmaps, strict=True):
        start = start_date(match, zones[match.program_id])
        for position, step in enumerate(steps[match.program_id]):
            due = start + timedelta(days=days[match.program_id][step.pk])
            milestones.append(copy_of(step, roadmap=roadmap, due=due, position=position))
        for position, text in enumerate(goals_from_profile(profiles.get(match.mentee_id))):
            goals.append(
                Goal(
                    organization_id=match.organization_id,
                    match=match,
                    text=text,
                    position=position,
                )
            )
    Milestone.objects.bulk_create(milestones)
    goals = Goal.objects.bulk_create(goals)
    GoalRating.objects.bulk_create(
        GoalRating(organization_id=g.organization_id, goal=g, progress=g.progress) for g in goals
    )
    return roadmaps


def pause_days(paused_at, now, zone) -> int:
    """A pause's length in whole days of the program's calendar."""
    return (now.astimezone(zone).date() - paused_at.astimezone(zone).date()).days


@transaction.atomic
def match_changed(*, match, previous, actor=None):
    """`matching.hooks.match_changed`: paused → the roadmap's clock stops; resumed → the open
    (not done, not skipped) milestones' due dates move by the pause's length."""
    roadmap = Roadmap.objects.select_for_update().filter(match=match).first()
    if roadmap is None:
        return
    now = timezone.now()
    if match.status == Match.Status.PAUSED and roadmap.paused_at is None:
        roadmap.paused_at = now
        roadmap.save(update_fields=["paused_at"])
    elif match.status != Match.Status.PAUSED and roadmap.paused_at is not None:
        if match.status == Match.Status.ACTIVE:
            days = pause_days(roadmap.paused_at, now, zone_of(match.program))
            if days > 0:
                Milestone.objects.filter(
                    roadmap=roadmap, status__in=Milestone.OPEN, due_date__isnull=False
                ).update(due_date=F("due_date") + timedelta(days=days))
        roadmap.paused_at = None
        roadmap.save(update_fields=["paused_at"])
