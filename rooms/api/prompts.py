"""API of a program's stage prompts (the library the agendas suggest from): HR reads, admins
add, edit, move and delete."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from mentorship.api.base import service_errors
from programs.api.programs import ProgramPartMixin

from .. import queries
from ..constants import PROMPT_MAX
from ..models import Stage, StagePrompt
from ..services import prompts


class StagePromptSerializer(serializers.ModelSerializer):
    class Meta:
        model = StagePrompt
        fields = ["id", "stage", "text", "position"]
        read_only_fields = fields


class StagePromptWriteSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    text = serializers.CharField(max_length=PROMPT_MAX)


class StagePromptChangeSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    text = serializers.CharField(max_length=PROMPT_MAX, required=False)
    move = serializers.ChoiceField(
        choices=["up", "down"], required=False, help_text="One place up or down in its stage."
    )


class StagePromptViewSet(
    ProgramPartMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The program's prompts, stage by stage, in order (the shipped defaults until edited)."""

    serializer_class = StagePromptSerializer
    queryset = StagePrompt.objects.none()
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return StagePrompt.objects.filter(program=self.get_program())

    def get_object(self):
        return self.object_for_member(queries.get_stage_prompt_for_member, self.kwargs["pk"])

    @extend_schema(request=StagePromptWriteSerializer, responses={201: StagePromptSerializer})
    def create(self, request, *args, **kwargs):
        body = StagePromptWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            prompt = prompts.add_prompt(
                program=self.get_program(), actor=request.user, **body.validated_data
            )
        return Response(StagePromptSerializer(prompt).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StagePromptChangeSerializer, responses=StagePromptSerializer)
    def partial_update(self, request, *args, **kwargs):
        prompt = self.get_object()
        body = StagePromptChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with service_errors():
            if "text" in data or "stage" in data:
                prompt = prompts.edit_prompt(
                    prompt=prompt,
                    actor=request.user,
                    text=data.get("text", prompt.text),
                    stage=data.get("stage"),
                )
            if "move" in data:
                prompt = prompts.move_prompt(
                    prompt=prompt, actor=request.user, direction=data["move"]
                )
        return Response(StagePromptSerializer(prompt).data)

    def destroy(self, request, *args, **kwargs):
        prompts.delete_prompt(prompt=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
