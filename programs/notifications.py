"""What programs tell people. Delivery (in-app, email, preferences) is the core's."""

from django.conf import settings
from django.urls import reverse

from mentorship.notifications.kinds import Kind, register
from mentorship.notifications.service import notify

ENROLLED = register(
    Kind(
        name="programs.enrolled",
        label="Being enrolled in a program",
        audience="Mentors and mentees",
        template="programs/email/enrollment",
    )
)

ENROLLMENT_EVENTS = {"added", "accepted"}  # by an admin; an application accepted


def tell_enrolled(enrollment, event):
    """Tell a participant they are in a program; once per enrolment and event."""
    if event not in ENROLLMENT_EVENTS:
        raise ValueError(f"Unknown enrolment event {event!r}.")
    program = enrollment.program
    where = {"org_slug": program.organization.slug, "program_slug": program.slug}
    return notify(
        ENROLLED,
        organization=program.organization,
        key=f"enrollment:{enrollment.pk}:{event}",
        recipient=enrollment.user,
        email=enrollment.user.email if enrollment.user else enrollment.email,
        url=reverse("programs:detail", kwargs=where),
        context={
            "enrollment": enrollment,
            "program": program,
            "organization": program.organization,
            "kind": event,
            "profile_url": settings.SITE_URL + reverse("matching:profile", kwargs=where),
        },
    )
