"""Who may do what with roadmaps (next to the role table in `mentorship.permissions`).

A roadmap is its pair's: the mentor and the mentee read and change everything in it, evidence
included. Program admins and HR read its metadata (titles, statuses, dates, counts), never the
evidence. Admins edit a program's roadmap template.
"""

from mentorship.permissions import has_perm


def pair_role(user, match) -> str | None:
    """ "mentor" or "mentee" when ``user`` is one of the match's pair, else None (the match's
    ``mentor`` and ``mentee`` enrolments loaded)."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    if match.mentor.user_id == user_id:
        return "mentor"
    if match.mentee.user_id == user_id:
        return "mentee"
    return None


def is_pair(user, match) -> bool:
    return pair_role(user, match) is not None


def can_read_metadata(membership) -> bool:
    """Program admins and HR: a roadmap's titles, statuses and dates, never its evidence."""
    return has_perm(membership, "view_programs")


def can_manage_template(membership, program) -> bool:
    return has_perm(membership, "manage_programs") and not program.is_closed


def can_change(user, roadmap) -> bool:
    """The pair, while their match is open and the program is not closed."""
    match = roadmap.match
    return is_pair(user, match) and match.status in match.OPEN and not match.program.is_closed
