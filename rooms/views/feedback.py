"""Post-meeting feedback: each of the pair answers once per held meeting (the form is in the
meeting page's parts, `views.meeting_parts`)."""

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from mentorship.web import form_errors

from .. import queries
from ..forms import FeedbackForm
from ..services import feedback
from .meeting_parts import respond


@require_POST
def give(request, org_slug, room_pk, meeting_pk):
    meeting = queries.get_meeting_for_member(request, room_pk, meeting_pk, write=True)
    if queries.feedback_of(meeting, request.user) is not None:
        return respond(request, meeting, error=feedback.ALREADY)
    form = FeedbackForm(request.POST, ask_fit=feedback.is_first_held(meeting))
    if form.is_valid():
        try:
            feedback.give_feedback(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return respond(request, meeting, success="Thank you for your feedback.")
    return respond(request, meeting, forms={"feedback": form})
