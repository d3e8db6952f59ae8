"""What the platform records completes the milestones waiting for it.

Rooms calls `record(match=…, event="agreement_signed")` when both have signed the agreement,
and `record(match=…, event="first_meeting_held")` when the pair's first meeting was held.
"""

from django.db import transaction
from django.utils import timezone

from ..constants import AUTO_EVENTS, AUTO_EVIDENCE_NOTE
from ..models import Evidence, Milestone


@transaction.atomic
def record(*, match, event, actor=None):
    """Complete the match's open milestones that wait for ``event`` (each with the evidence
    note "Recorded by the platform"); returns how many. A no-op (0) for an unknown event or a
    match without a roadmap. A fixed number of queries."""
    if event not in AUTO_EVENTS:
        return 0
    milestones = list(
        Milestone.objects.select_for_update().filter(
            organization_id=match.organization_id,
            roadmap__match_id=match.pk,
            auto_event=event,
            status__in=Milestone.OPEN,  # not one done, nor one the pair chose to skip
        )
    )
    if not milestones:
        return 0
    now = timezone.now()
    user = getattr(actor, "pk", None) and actor
    for milestone in milestones:
        milestone.status = Milestone.Status.DONE
        milestone.completed_at = now
        milestone.completed_by = user or None
        if milestone.target and milestone.count < milestone.target:
            milestone.count = milestone.target
    Milestone.objects.bulk_update(milestones, ["status", "completed_at", "completed_by", "count"])
    Evidence.objects.bulk_create(
        Evidence(
            organization_id=match.organization_id,
            milestone=milestone,
            author=None,
            note=AUTO_EVIDENCE_NOTE,
        )
        for milestone in milestones
    )
    return len(milestones)
