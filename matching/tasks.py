"""Celery tasks of matching: thin, tenant-scoped, idempotent."""

from celery import shared_task
from django.db import transaction

from mentorship.tenant_task import TenantTask
from programs.models import Enrollment

from . import notifications
from .models import Match, MatchRun, Suggestion
from .services import choice, runs


@shared_task(base=TenantTask)
def execute_match_run(organization_id, run_id):
    run = (
        MatchRun.objects.select_related("program__organization")
        .filter(organization_id=organization_id, pk=run_id)
        .first()
    )
    if run is None:
        return "missing"
    return runs.execute_run(run).status


@shared_task(base=TenantTask)
def tell_new_matches(organization_id, match_ids):
    """Both people of each new match of a published run (each told once: the keys)."""
    matches = Match.objects.filter(
        organization_id=organization_id, pk__in=match_ids
    ).select_related("program__organization", "mentee__user", "mentor__user")
    with transaction.atomic():
        return sum(notifications.tell_match_made(match) for match in matches)


@shared_task(base=TenantTask)
def tell_suggestions_ready(organization_id, run_id):
    """Mentee-chooses mode: each mentee of the run hears that their suggestions are ready."""
    run = (
        MatchRun.objects.filter(organization_id=organization_id, pk=run_id)
        .select_related("program__organization")
        .first()
    )
    if run is None:
        return 0
    mentee_ids = (
        Suggestion.objects.filter(run=run, rejected=False).values_list("mentee_id", flat=True)
    ).distinct()
    mentees = Enrollment.objects.filter(pk__in=mentee_ids).select_related("user")
    with transaction.atomic():
        return sum(notifications.tell_suggestions_ready(run, m) is not None for m in mentees)


@shared_task
def expire_mentor_requests():
    return choice.expire_requests()
