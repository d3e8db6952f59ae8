from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import audit
from ..models import ApiToken, AuditLogEntry, Invitation, Membership, Organization, Role, User


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name", "time_zone"]
        read_only_fields = ["id", "email"]


class OrganizationSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True, help_text="Your role in this organization.")

    class Meta:
        model = Organization
        fields = ["slug", "name", "time_zone", "role"]
        read_only_fields = fields


CARD_FIELDS = ["job_title", "department", "bio", "photo_url"]
PHOTO_URL_HELP = (
    "The member's photo (256×256 JPEG), for signed-in members of this organization; "
    "null without one."
)


def photo_url(membership, context):
    """The absolute URL of a member's photo, or None. The organization comes from the request
    when it is the member's (no query for it)."""
    if not membership.photo:
        return None
    request = context.get("request")
    organization = getattr(request, "organization", None)
    if organization is not None and organization.pk == membership.organization_id:
        membership.organization = organization
    url = membership.photo_url
    return request.build_absolute_uri(url) if request is not None else url


class MemberCardSerializer(serializers.ModelSerializer):
    """How the organization's people see a member (set by the member themselves)."""

    photo_url = serializers.SerializerMethodField(help_text=PHOTO_URL_HELP)

    class Meta:
        model = Membership
        fields = CARD_FIELDS
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_photo_url(self, membership):
        return photo_url(membership, self.context)


class MemberSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    photo_url = serializers.SerializerMethodField(help_text=PHOTO_URL_HELP)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at", *CARD_FIELDS]
        # Job title, department, bio and photo are the member's own (``/orgs/{org}/me/``).
        read_only_fields = ["id", "user", "created_at", *CARD_FIELDS]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_photo_url(self, membership):
        return photo_url(membership, self.context)


class MyMembershipSerializer(MemberCardSerializer):
    """You in this organization: your role, and how its people see you."""

    class Meta:
        model = Membership
        fields = ["id", "role", *CARD_FIELDS]
        read_only_fields = ["id", "role", "photo_url"]


class InvitationSerializer(serializers.ModelSerializer):
    invited_by = serializers.EmailField(
        source="invited_by.email", read_only=True, default=None, allow_null=True
    )
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "invited_by", "created_at", "expires_at"]
        read_only_fields = ["id", "status", "invited_by", "created_at", "expires_at"]


class AuditLogEntrySerializer(serializers.ModelSerializer):
    actor = serializers.EmailField(
        source="actor.email", read_only=True, default=None, allow_null=True
    )
    summary = serializers.SerializerMethodField(
        help_text="The entry as a sentence in plain text, as the audit log page shows it."
    )

    class Meta:
        model = AuditLogEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "target_type",
            "target_id",
            "target_repr",
            "data",
            "summary",
        ]
        read_only_fields = fields

    def get_summary(self, entry) -> str:
        request = self.context.get("request")
        return audit.summary_of(entry, viewer=getattr(request, "membership", None))


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "read_only", "created_at", "last_used_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at"]


class NewApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]


class AcceptedInvitationSerializer(serializers.Serializer):
    organization = serializers.SlugField(source="organization.slug")
    role = serializers.CharField()
