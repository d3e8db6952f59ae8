"""Programs made before rooms existed get the shipped stage prompts, as every program created
since gets them (`services.prompts.set_up_program`): opening a library only ever reads."""

from django.db import migrations


def copy_default_prompts(apps, schema_editor):
    from rooms import defaults  # the shipped prompts: the file never changes

    Program = apps.get_model("programs", "Program")
    StagePrompt = apps.get_model("rooms", "StagePrompt")
    shipped = sorted(defaults.stage_prompts().items())
    with_prompts = StagePrompt.objects.values("program_id")
    rows = [
        StagePrompt(
            organization_id=program.organization_id,
            program_id=program.pk,
            stage=stage,
            text=text,
            position=position,
        )
        for program in Program.objects.exclude(pk__in=with_prompts).only("organization_id")
        for stage, texts in shipped
        for position, text in enumerate(texts)
    ]
    StagePrompt.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("rooms", "0001_initial")]

    operations = [migrations.RunPython(copy_default_prompts, migrations.RunPython.noop)]
