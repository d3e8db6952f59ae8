"""Post-meeting feedback: once a meeting is held, each of the pair answers "How useful was this
meeting?" (1–5) and one open question; after the pair's first held meeting also "Is this a
good fit?". A "no" tells every admin of the organization at once (a mandatory notification,
and an audit entry) with the way to the rematch flow. Once per meeting and person.

`request_feedback(meeting=…)` is what marking a meeting held calls: it tells both of the pair
"How was your meeting?", and is safe to call again (one notification per meeting and person)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mentorship import audit
from mentorship.models import Membership, Role

from .. import notifications
from ..constants import UPDATE_MAX
from ..models import Meeting, MeetingFeedback

Fit = MeetingFeedback.Fit
QUESTION = "What would make your next meeting more useful?"
ALREADY = "You have given feedback on this meeting already."


def is_first_held(meeting) -> bool:
    """The pair's first held meeting (the one that asks "Is this a good fit?")."""
    return (
        meeting.status == Meeting.Status.HELD
        and not Meeting.objects.filter(
            room_id=meeting.room_id, status=Meeting.Status.HELD, starts_at__lt=meeting.starts_at
        )
        .exclude(pk=meeting.pk)
        .exists()
    )


def request_feedback(*, meeting) -> int:
    """Ask both of the pair for their feedback on a held meeting; how many were asked now (0
    on a second call)."""
    if meeting.status != Meeting.Status.HELD:
        return 0
    return notifications.tell_feedback_requested(meeting)


@transaction.atomic
def give_feedback(*, meeting, actor, usefulness, comment="", good_fit="") -> MeetingFeedback:
    room = meeting.room
    if actor.pk not in (room.match.mentor.user_id, room.match.mentee.user_id):
        raise PermissionDenied("Only the pair gives feedback on their meetings.")
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError("Feedback opens once the meeting is marked as held.")
    if MeetingFeedback.objects.filter(meeting=meeting, author=actor).exists():
        raise ValidationError(ALREADY)
    errors = {}
    try:
        usefulness = int(usefulness)
    except (TypeError, ValueError):
        usefulness = 0
    if not 1 <= usefulness <= 5:
        errors["usefulness"] = "Rate the meeting from 1 (not useful) to 5 (very useful)."
    comment = (comment or "").strip()
    if len(comment) > UPDATE_MAX:
        errors["comment"] = f"Keep it under {UPDATE_MAX:,} characters (it has {len(comment):,})."
    first = is_first_held(meeting)
    good_fit = good_fit or ""
    if first and good_fit not in Fit.values:
        errors["good_fit"] = "Say whether this is a good fit: yes, not sure or no."
    elif not first:
        good_fit = ""  # asked after the first held meeting only
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            feedback = MeetingFeedback.objects.create(
                organization_id=meeting.organization_id,
                room=room,
                meeting=meeting,
                author=actor,
                usefulness=usefulness,
                comment=comment,
                good_fit=good_fit,
            )
    except IntegrityError:  # a second, simultaneous try
        raise ValidationError(ALREADY) from None
    if good_fit == Fit.NO:
        _escalate(feedback)
    return feedback


def _escalate(feedback):
    room = feedback.room
    audit.record(
        organization=room.organization,
        actor=feedback.author,
        action="meeting_feedback.not_a_good_fit",
        target=room.match,
        data={"program": room.program.name},
    )
    admins = Membership.objects.filter(
        organization_id=room.organization_id, role=Role.ADMIN
    ).select_related("user")
    notifications.tell_not_a_good_fit(feedback, admins=list(admins))
