"""REST API of the tenancy core. Thin: serializers validate, services write."""

from django.db.models import F
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import filters, generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import audit, queries, services
from ..filters import AuditLogFilter, InvitationFilter, MembershipFilter
from ..models import ApiToken, AuditLogEntry, Invitation, Membership, Organization
from .base import OrgScopedMixin, service_errors
from .permissions import IsOrgMember, TokenScopePermission
from .serializers import (
    AcceptedInvitationSerializer,
    ApiTokenSerializer,
    AuditLogEntrySerializer,
    InvitationSerializer,
    MemberSerializer,
    MeSerializer,
    MyMembershipSerializer,
    NewApiTokenSerializer,
    OrganizationSerializer,
)


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user's profile."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        user = self.request.user
        data = serializer.validated_data
        with service_errors():
            services.update_profile(
                user=user,
                name=data.get("name", user.name),
                time_zone=data.get("time_zone", user.time_zone),
            )


class MyMembershipView(OrgScopedMixin, generics.RetrieveUpdateAPIView):
    """You in this organization: your role, and how its people see you (job title,
    department, bio; the photo is uploaded on the profile page). Only this organization's
    members see these; your other organizations have their own."""

    serializer_class = MyMembershipSerializer
    queryset = Membership.objects.none()
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.membership

    def perform_update(self, serializer):
        fields = {
            f: serializer.validated_data[f]
            for f in services.CARD_FIELDS
            if f in serializer.validated_data
        }
        with service_errors():
            serializer.instance = services.update_member_card(
                membership=self.request.membership, actor=self.request.user, **fields
            )


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your personal API tokens. Creating one returns its key once; deleting revokes it."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.request.user.api_tokens.filter(revoked_at__isnull=True)

    @extend_schema(responses={201: NewApiTokenSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            token, key = services.create_api_token(user=request.user, **serializer.validated_data)
        token.key = key
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.revoke_api_token(token=instance)


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organizations you belong to, with your role in each."""

    serializer_class = OrganizationSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "org_slug"
    filter_backends = [filters.OrderingFilter]
    ordering = ["name"]
    queryset = Organization.objects.none()

    def get_permissions(self):
        if self.action == "retrieve":
            return [TokenScopePermission(), IsOrgMember()]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return Organization.objects.filter(memberships__user=self.request.user).annotate(
            role=F("memberships__role")
        )


class MemberViewSet(
    OrgScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The organization's members. Admins change roles and remove members; HR reads."""

    serializer_class = MemberSerializer
    queryset = Membership.objects.none()  # for the schema; requests use get_queryset
    required_permissions = {"read": "view_members", "write": "manage_members"}
    filter_backends = [DjangoFilterBackend, filters.SearchFilter]
    filterset_class = MembershipFilter
    search_fields = ["user__email", "user__name"]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return queries.members(self.organization)

    def perform_update(self, serializer):
        if "role" not in serializer.validated_data:
            return  # a PATCH without a role changes nothing
        with service_errors():
            services.change_role(
                membership=serializer.instance,
                role=serializer.validated_data["role"],
                actor=self.request.user,
            )

    def perform_destroy(self, instance):
        with service_errors():
            services.remove_member(membership=instance, actor=self.request.user)


class InvitationViewSet(
    OrgScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations by email. Creating one sends the email; deleting revokes a pending one."""

    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()
    required_permissions = {"read": "manage_members", "write": "manage_members"}
    filterset_class = InvitationFilter
    search_fields = ["email"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return queries.invitations(self.organization)

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.invite_member(
                organization=self.organization,
                actor=self.request.user,
                **serializer.validated_data,
            )

    def perform_destroy(self, instance):
        with service_errors():
            services.revoke_invitation(invitation=instance, actor=self.request.user)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request, *args, **kwargs):
        invitation = self.get_object()
        with service_errors():
            services.resend_invitation(invitation=invitation, actor=request.user)
        return Response(self.get_serializer(invitation).data)


class AuditLogViewSet(OrgScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Who did what, when. Admins only."""

    serializer_class = AuditLogEntrySerializer
    queryset = AuditLogEntry.objects.none()
    required_permissions = {"read": "view_audit_log", "write": "view_audit_log"}
    filterset_class = AuditLogFilter
    search_fields = ["target_repr", "action"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return queries.audit_log(self.organization)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:  # the page's targets load in bulk, for each entry's summary
            page = audit.describe_entries(page, viewer=self.request.membership)
        return page


class AcceptInvitationView(APIView):
    """Accept an invitation sent to your address, by the token in its link."""

    @extend_schema(request=None, responses={200: AcceptedInvitationSerializer})
    def post(self, request, token):
        invitation = services.find_invitation(token)
        if invitation is None:
            raise NotFound()
        with service_errors():
            membership = services.accept_invitation(invitation=invitation, user=request.user)
        return Response(AcceptedInvitationSerializer(membership).data)
