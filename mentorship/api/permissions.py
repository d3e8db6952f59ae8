from rest_framework import exceptions, permissions

from ..models import ApiToken
from ..permissions import has_perm
from ..tenancy import get_membership


class TokenScopePermission(permissions.IsAuthenticated):
    """Signed in; read-only tokens (for HR and BI tools) may only read."""

    message = "This token is read-only."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if isinstance(request.auth, ApiToken) and request.auth.read_only:
            return request.method in permissions.SAFE_METHODS
        return True


class IsOrgMember(permissions.BasePermission):
    """Resolves ``request.membership`` after authentication; a non-member gets 404, not 403."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        membership = get_membership(request.organization, request.user)
        if membership is None:
            raise exceptions.NotFound()
        request.membership = request._request.membership = membership
        return True


class OrgRolePermission(permissions.BasePermission):
    """Checks ``view.required_permissions``: {"read": name, "write": name} (see permissions.py)."""

    def has_permission(self, request, view):
        required = view.required_permissions
        key = "read" if request.method in permissions.SAFE_METHODS else "write"
        return has_perm(request.membership, required[key])
