"""The hooks programs declares for the apps above it (see `mentorship.hooks`): each runs inside
the caller's transaction; the apps connect their receivers in ``AppConfig.ready()``."""

from mentorship.hooks import Hook

program_created = Hook(
    "program_created",
    """A program was created, blank or from a template.

    ``send(program=…, template_key=…, actor=…)`` inside `services.create_program`, after the
    program, its foundation and the template's own content are saved (``template_key`` is ""
    for a blank program). Matching: the template's profile questions, weights and rules, so
    the criteria page and the profile form show them from the start.
    """,
)

program_closed = Hook(
    "program_closed",
    """A program was closed: everything in it is kept, read-only.

    ``send(program=…, actor=…)`` inside `services.change_status`, after the status is saved.
    Rooms: the pairs' meetings still to come are called off (their rooms are read-only now, so
    nobody could cancel them any more).
    """,
)

enrollments_for_owner = Hook(
    "enrollments_for_owner",
    """Enrolments shown to the participant they belong to (the organization's home, "My
    programs", the program page).

    ``pipe(queryset)`` → the queryset, annotated by each app with what the participant needs
    to see, still one query. Matching: ``has_profile`` (a matching profile exists) and
    ``has_match`` (in an active or paused match).
    """,
)

open_pairs_of = Hook(
    "open_pairs_of",
    """The pairs an enrolment is in now, to fill in both names of the agreement it reads.

    ``send(enrollment=…)`` → each receiver returns a list of objects with ``mentor`` and
    ``mentee`` enrolments, people loaded. Matching: its active and paused matches, oldest
    first.
    """,
)

template_sections = Hook(
    "template_sections",
    """The sections of a program template that the apps above own (`programs.catalog`).

    ``send(key=…)`` → each receiver returns a dict of its sections of the template ``key``, as
    plain data (or ``{}``); called once per template, when the catalog is first read. Matching:
    ``{"matching": …}``, the profile questions, career goal options, weights, hard rules and
    custom questions a program made from the template starts with (`matching.defaults`).
    """,
)
