"""The pair's agreement: the program's current agreement template, rendered for the two of
them, signed by each typing their name. Reviews re-confirm it later (``reconfirm``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mentorship import audit
from programs.agreements import program_context, render_agreement
from programs.services import current_agreement_template
from roadmaps.services import events

from .. import queries
from ..models import AgreementSignature, Room


def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


def participant(room, user):
    """The enrolment through which ``user`` takes part in ``room`` (None if they don't)."""
    for person in (room.match.mentor, room.match.mentee):
        if person.user_id == user.pk:
            return person
    return None


def render_for(room, template) -> str:
    """The template's safe HTML with both real names filled in."""
    names = {
        "mentor_name": room.match.mentor.display_name,
        "mentee_name": room.match.mentee.display_name,
    }
    return render_agreement(template.body, program_context(room.program, **names))


@transaction.atomic
def sign(*, room, user, typed_name, action="room.agreement_signed"):
    """``user`` signs the program's current agreement version in ``room`` by typing their
    name (as the program knows it; case and spaces don't matter). Signing the same version
    twice is refused; when the second of the pair signs, the roadmap hears of it."""
    person = participant(room, user)
    if person is None:
        raise PermissionDenied("Only the pair signs their agreement.")
    if room.is_read_only:
        raise ValidationError(room.read_only_reason())
    Room.objects.select_for_update().filter(pk=room.pk).first()  # one signer at a time
    template = current_agreement_template(room.program)
    if template is None:
        raise ValidationError("The program has no agreement to sign yet.")
    expected = person.display_name
    if _normalised(typed_name or "") != _normalised(expected):
        raise ValidationError(
            {"typed_name": f"Type your name as the program knows it: “{expected}”."}
        )
    if AgreementSignature.objects.filter(room=room, template=template, user=user).exists():
        raise ValidationError(
            f"You have signed version {template.version} of the agreement already."
        )
    try:
        with transaction.atomic():
            signature = AgreementSignature.objects.create(
                organization=room.organization,
                room=room,
                template=template,
                user=user,
                typed_name=" ".join(typed_name.split()),
            )
    except IntegrityError:
        raise ValidationError(
            f"You have signed version {template.version} of the agreement already."
        ) from None
    audit.record(
        organization=room.organization,
        actor=user,
        action=action,
        target=room,
        data={"version": template.version, "name": signature.typed_name},
    )
    if queries.agreement_state(room, template)["both_signed"]:
        events.record(match=room.match, event="agreement_signed", actor=user)
    return signature


def reconfirm(*, room, user, typed_name):
    """At a review: ``user`` signs the current version again (a new version since they last
    signed, or their first signature). The same rules as ``sign``."""
    return sign(room=room, user=user, typed_name=typed_name, action="room.agreement_reconfirmed")


def needs_reconfirming(room, user, template=None) -> bool:
    """``user`` signed an earlier version but not the current one (``template``, when the
    caller has read it already)."""
    return user.pk in queries.agreement_state(room, template)["to_reconfirm"]
