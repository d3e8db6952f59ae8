from .notifications.bell import Bell
from .permissions import OrgPerms
from .tenancy import memberships_of


def tenancy(request):
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    return {
        "organization": getattr(request, "organization", None),
        "membership": membership,
        "org_perms": OrgPerms(membership),
        "my_memberships": (lambda: memberships_of(user)) if user is not None else list,
        "bell": Bell(user, membership) if user is not None and user.is_authenticated else None,
    }
