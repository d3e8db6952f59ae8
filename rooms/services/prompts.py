"""A program's library of stage prompts: shipped defaults (`rooms.defaults`), copied into the
program when it is created (programs made before rooms existed got theirs from the migration
`0002_default_prompts`), then its admins' to add, edit, reorder and delete. Edits are audited."""

from django.core.exceptions import ValidationError
from django.db import transaction

from mentorship import audit, ordering
from programs.models import Program

from .. import defaults
from ..constants import PROMPT_MAX
from ..models import Stage, StagePrompt


def _default_rows(program):
    return [
        StagePrompt(
            organization_id=program.organization_id,
            program=program,
            stage=stage,
            text=text,
            position=index,
        )
        for stage, texts in sorted(defaults.stage_prompts().items())
        for index, text in enumerate(texts)
    ]


def copy_defaults(*, program) -> int:
    """Give ``program`` its own copy of the shipped prompts, unless it has a library already
    (the program row is locked, so two first visits don't copy twice). How many were copied."""
    with transaction.atomic():
        Program.objects.select_for_update().filter(pk=program.pk).first()
        if StagePrompt.objects.filter(program=program).exists():
            return 0
        return len(StagePrompt.objects.bulk_create(_default_rows(program)))


def set_up_program(*, program, template_key, actor):
    """`programs.hooks.program_created`: every new program starts with the shipped prompts."""
    copy_defaults(program=program)


def _clean(stage, text):
    text = (text or "").strip()
    errors = {}
    if stage not in Stage.values:
        errors["stage"] = "Choose one of the relationship's stages."
    if not text:
        errors["text"] = "Write the prompt."
    elif len(text) > PROMPT_MAX:
        errors["text"] = f"Keep the prompt under {PROMPT_MAX} characters (it has {len(text)})."
    if errors:
        raise ValidationError(errors)
    return text


def _record(action, prompt, actor, **data):
    audit.record(
        organization=prompt.organization,
        actor=actor,
        action=action,
        target=prompt.program,
        data={"stage": Stage(prompt.stage).label, "text": prompt.text, **data},
    )


@transaction.atomic
def add_prompt(*, program, actor, stage, text) -> StagePrompt:
    text = _clean(stage, text)
    prompt = StagePrompt.objects.create(
        organization_id=program.organization_id,
        program=program,
        stage=stage,
        text=text,
        position=ordering.next_position(StagePrompt.objects.filter(program=program, stage=stage)),
    )
    _record("stage_prompt.added", prompt, actor)
    return prompt


@transaction.atomic
def edit_prompt(*, prompt, actor, text, stage=None) -> StagePrompt:
    stage = prompt.stage if stage is None else stage
    text = _clean(stage, text)
    before = prompt.text
    if stage != prompt.stage:
        others = StagePrompt.objects.filter(program=prompt.program_id, stage=stage)
        prompt.position = ordering.next_position(others)
    prompt.stage, prompt.text = stage, text
    prompt.save(update_fields=["stage", "text", "position"])
    _record("stage_prompt.edited", prompt, actor, before=before)
    return prompt


@transaction.atomic
def delete_prompt(*, prompt, actor) -> None:
    _record("stage_prompt.deleted", prompt, actor)
    prompt.delete()


@transaction.atomic
def move_prompt(*, prompt, actor, direction) -> StagePrompt:
    """Up or down one place within its stage (renumbers the stage's prompts 0, 1, 2…)."""
    siblings = list(
        StagePrompt.objects.select_for_update().filter(
            program_id=prompt.program_id, stage=prompt.stage
        )
    )
    order = ordering.moved(
        [p.pk for p in siblings],
        prompt.pk,
        direction=direction,
        direction_error="Move a prompt “up” or “down”.",
    )
    ordering.renumber(StagePrompt, siblings, order)
    prompt.position = next(p.position for p in siblings if p.pk == prompt.pk)
    _record("stage_prompt.moved", prompt, actor, direction=direction)
    return prompt
