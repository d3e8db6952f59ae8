"""Every role check in one place, used by views, the API and templates alike.

Each permission is a function of the request's membership (None for a non-member). Pages and
the API ask ``has_perm(membership, "name")``; templates read ``org_perms.name``.
"""

from .models import Role


def _role_in(*roles):
    def check(membership):
        return membership is not None and membership.role in roles

    return check


PERMISSIONS = {
    # Anyone in the organization.
    "view_organization": _role_in(Role.ADMIN, Role.HR, Role.MEMBER),
    # The people list: admins run it, HR reads it (reporting needs the roster).
    "view_members": _role_in(Role.ADMIN, Role.HR),
    "manage_members": _role_in(Role.ADMIN),
    "view_audit_log": _role_in(Role.ADMIN),
    # Programs: admins design and run them; HR reads every program (reporting). Members see
    # only the programs they are enrolled in (programs.queries.get_program_for_member).
    "view_programs": _role_in(Role.ADMIN, Role.HR),
    "manage_programs": _role_in(Role.ADMIN),
}


def has_perm(membership, name: str) -> bool:
    try:
        check = PERMISSIONS[name]
    except KeyError:
        raise ValueError(f"Unknown permission {name!r}") from None
    return check(membership)


class OrgPerms:
    """Lazy attribute access for templates: ``{% if org_perms.manage_members %}``."""

    def __init__(self, membership):
        self._membership = membership

    def __getattr__(self, name):
        if name.startswith("_") or name not in PERMISSIONS:
            raise AttributeError(name)
        return has_perm(self._membership, name)
