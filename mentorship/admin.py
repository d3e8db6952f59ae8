"""The Django admin is for staff; organizations run themselves from our own pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_scopes import scopes_disabled

from .models import ApiToken, AuditLogEntry, Invitation, Membership, Organization, User


class UnscopedAdmin(admin.ModelAdmin):
    """Staff see every tenant: the admin runs outside the tenant scope, rendering included."""

    def get_queryset(self, request):
        with scopes_disabled():
            return super().get_queryset(request).all()

    def _unscoped(self, view, *args, **kwargs):
        with scopes_disabled():
            response = view(*args, **kwargs)
            if hasattr(response, "render"):  # inlines query while the template renders
                response.render()
            return response

    def changeform_view(self, *args, **kwargs):
        return self._unscoped(super().changeform_view, *args, **kwargs)

    def changelist_view(self, *args, **kwargs):
        return self._unscoped(super().changelist_view, *args, **kwargs)

    def delete_view(self, *args, **kwargs):
        return self._unscoped(super().delete_view, *args, **kwargs)

    def history_view(self, *args, **kwargs):
        return self._unscoped(super().history_view, *args, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "time_zone"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(UnscopedAdmin):
    list_display = ["name", "slug", "time_zone", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(UnscopedAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "organization"]


@admin.register(Invitation)
class InvitationAdmin(UnscopedAdmin):
    list_display = ["email", "organization", "role", "status", "expires_at"]
    list_filter = ["status", "role"]
    raw_id_fields = ["organization", "invited_by", "accepted_by"]


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(UnscopedAdmin):
    list_display = ["created_at", "organization", "actor", "action", "target_repr"]
    list_filter = ["action"]
    raw_id_fields = ["organization", "actor"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "read_only", "created_at", "revoked_at"]
    raw_id_fields = ["user"]
