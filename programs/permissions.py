"""Object-level rules on programs, next to the role table in `mentorship.permissions`: used by
pages, the API and templates alike."""

from mentorship.permissions import has_perm


def can_manage_program(membership, program) -> bool:
    """Admins change a program's setup while it is open; a closed program is read-only."""
    return has_perm(membership, "manage_programs") and not program.is_closed
