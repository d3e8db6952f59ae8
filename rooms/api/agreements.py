"""API of a room's agreement: the program's current version rendered for the pair, who signed
it, and signing it (each of the pair, once per version, by typing their name)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import queries
from ..services import agreements

ROOM_PK = OpenApiParameter(
    "room_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The room."
)


class SignatureSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    typed_name = serializers.CharField()
    version = serializers.IntegerField(source="template.version")
    signed_at = serializers.DateTimeField()


class AgreementSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        allow_null=True, help_text="The current version (null: none yet)."
    )
    html = serializers.CharField(help_text="The agreement for this pair, as safe HTML.")
    signatures = SignatureSerializer(many=True, help_text="The pair's signatures of this version.")
    both_signed = serializers.BooleanField()


class SignSerializer(serializers.Serializer):
    typed_name = serializers.CharField(
        max_length=150, help_text="Your full name, as the program knows it (any case)."
    )


def agreement_data(room):
    state = queries.agreement_state(room)
    template = state["template"]
    return AgreementSerializer(
        {
            "version": template.version if template else None,
            "html": agreements.render_for(room, template) if template else "",
            "signatures": state["signatures"],
            "both_signed": state["both_signed"],
        }
    ).data


class AgreementView(OrgScopedMixin, APIView):
    """The room's agreement (the pair; an admin through break-glass). ``POST`` signs it."""

    @extend_schema(parameters=[ROOM_PK], responses=AgreementSerializer)
    def get(self, request, *args, **kwargs):
        room = queries.get_room_content_for_member(request, kwargs["room_pk"])
        return Response(agreement_data(room))

    @extend_schema(
        parameters=[ROOM_PK], request=SignSerializer, responses={201: AgreementSerializer}
    )
    def post(self, request, *args, **kwargs):
        room = queries.get_room_to_write_for_member(request, kwargs["room_pk"])
        body = SignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            agreements.sign(
                room=room, user=request.user, typed_name=body.validated_data["typed_name"]
            )
        return Response(agreement_data(room), status=status.HTTP_201_CREATED)
