"""What every tenant API view shares: member and role checks, service-error translation."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from .permissions import IsOrgMember, OrgRolePermission, TokenScopePermission


@contextmanager
def service_errors():
    """Service functions raise Django's ValidationError; the API answers 400 with its fields."""
    try:
        yield
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise serializers.ValidationError(detail) from exc


class OrgScopedMixin:
    permission_classes = [TokenScopePermission, IsOrgMember, OrgRolePermission]
    required_permissions = {"read": "view_organization", "write": "view_organization"}

    @property
    def organization(self):
        return self.request.organization
