"""Stage prompts: shipped defaults copied into each program (new ones when they are made, older
ones by a migration), edited by its admins (HR
reads), suggested by the agendas; and the pair moving their room through the stages."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from mentorship.models import AuditLogEntry
from programs.services import create_program
from rooms import defaults, queries
from rooms.models import Room, Stage, StagePrompt
from rooms.services import prompts
from tests.factories import ProgramFactory
from tests.queries import assert_constant_queries
from tests.rooms import test_agenda as agenda_tests

pytestmark = pytest.mark.django_db
room, rooms = agenda_tests.room, agenda_tests.rooms  # the rooms of the live pairs


def page(program, name="rooms:prompts", **kwargs):
    return reverse(name, kwargs={"org_slug": "org-a", "program_slug": program.slug, **kwargs})


def api(program, pk=None):
    base = f"/api/v1/orgs/org-a/programs/{program.slug}/stage-prompts/"
    return f"{base}{pk}/" if pk else base


def test_the_shipped_library_covers_every_stage():
    library = defaults.stage_prompts()
    assert sorted(library) == list(Stage.values) == [0, 1, 2, 3, 4, 5, 6]
    assert all(len(texts) >= 5 for texts in library.values())
    assert library[Stage.TRUST][0].startswith("Mentor: share a success")


def test_a_new_program_gets_its_own_copy(cast):
    with scope(organization=cast.org_a):
        program = create_program(organization=cast.org_a, actor=cast.admin, name="Fresh")
        rows = list(StagePrompt.objects.filter(program=program))
    expected = [(s, t) for s, texts in sorted(defaults.stage_prompts().items()) for t in texts]
    assert [(p.stage, p.text) for p in rows] == expected


def test_programs_made_before_rooms_get_the_shipped_prompts_from_a_migration(cast):
    older = ProgramFactory(organization=cast.org_a, slug="older", name="Older")
    kept = ProgramFactory(organization=cast.org_a, slug="kept", name="Kept")
    with scopes_disabled():
        StagePrompt.objects.create(
            organization=cast.org_a, program=kept, stage=Stage.TRUST, text="Our own", position=0
        )
    migration = importlib.import_module("rooms.migrations.0002_default_prompts")
    with scopes_disabled():
        migration.copy_default_prompts(django_apps, None)
        copied = [(p.stage, p.text) for p in StagePrompt.objects.filter(program=older)]
        kept_texts = list(StagePrompt.objects.filter(program=kept).values_list("text", flat=True))
    expected = [(s, t) for s, texts in sorted(defaults.stage_prompts().items()) for t in texts]
    assert copied == expected
    assert kept_texts == ["Our own"]  # a program with a library of its own keeps it as it is


def test_opening_a_library_only_reads(cast, client, api_client):
    program = ProgramFactory(organization=cast.org_a, slug="emptied", name="Emptied")
    for who, url, c in ((cast.admin, page(program), client), (cast.hr, api(program), api_client)):
        c.force_login(who)
        with CaptureQueriesContext(connection) as captured:
            response = c.get(url)
        assert response.status_code == 200
        writes = [q["sql"] for q in captured if not q["sql"].lstrip().startswith("SELECT")]
        assert writes == []
    assert "No prompts for this stage" in client.get(page(program)).content.decode()
    assert api_client.get(api(program)).json() == []
    with scopes_disabled():
        assert not StagePrompt.objects.filter(program=program).exists()
        assert queries.prompts_for_stage(program, Stage.MEANING) == []


def test_admins_add_edit_move_and_delete(cast, live_program, client):
    program = live_program.program
    with scopes_disabled():
        prompts.copy_defaults(program=program)
    client.force_login(cast.admin)
    response = client.post(page(program), {"stage": "3", "text": "Who else benefits?"})
    assert response.status_code == 302
    with scopes_disabled():
        stage3 = list(StagePrompt.objects.filter(program=program, stage=3))
        added = stage3[-1]
    assert added.text == "Who else benefits?" and added.position == len(stage3) - 1
    client.post(page(program, "rooms:prompt-move", pk=added.pk), {"direction": "up"})
    client.post(
        page(program, "rooms:prompt-edit", pk=added.pk), {"stage": "3", "text": "Who gains?"}
    )
    with scopes_disabled():
        texts = list(
            StagePrompt.objects.filter(program=program, stage=3).values_list("text", flat=True)
        )
    assert texts[-2:] == ["Who gains?", defaults.stage_prompts()[3][-1]]
    client.post(page(program, "rooms:prompt-delete", pk=added.pk))
    with scopes_disabled():
        assert not StagePrompt.objects.filter(pk=added.pk).exists()
        actions = list(
            AuditLogEntry.objects.filter(action__startswith="stage_prompt.")
            .order_by("pk")
            .values_list("action", flat=True)
        )
    assert actions == [
        "stage_prompt.added",
        "stage_prompt.moved",
        "stage_prompt.edited",
        "stage_prompt.deleted",
    ]
    audit = client.get(reverse("org:audit-log", kwargs={"org_slug": "org-a"})).content.decode()
    assert "changed the prompt “Who else benefits?”" in audit


def test_hr_reads_members_may_not_and_bad_input_is_refused(cast, live_program, client):
    program = live_program.program
    with scopes_disabled():
        prompts.copy_defaults(program=program)
        first = StagePrompt.objects.filter(program=program).first()
        before = StagePrompt.objects.count()
    client.force_login(cast.hr)
    body = client.get(page(program)).content.decode()
    assert "Add a prompt" not in body and "Trust and rapport" in body
    assert client.post(page(program), {"stage": "1", "text": "No"}).status_code == 403
    client.force_login(cast.mentor1)
    assert client.post(page(program), {"stage": "1", "text": "No"}).status_code == 403
    assert client.post(page(program, "rooms:prompt-delete", pk=first.pk)).status_code == 403
    client.force_login(cast.admin)
    assert client.post(page(program), {"stage": "1", "text": "x" * 301}).status_code == 400
    assert client.post(page(program), {"stage": "9", "text": "Which?"}).status_code == 400
    edit = page(program, "rooms:prompt-edit", pk=first.pk)
    refused = client.post(edit, {"stage": "0", "text": ""})
    assert refused.status_code == 400 and "Not saved" in refused.content.decode()
    with scopes_disabled():
        assert StagePrompt.objects.count() == before
        assert StagePrompt.objects.get(pk=first.pk).text == first.text


def test_the_api(cast, live_program, api_client):
    program = live_program.program
    with scopes_disabled():
        prompts.copy_defaults(program=program)
    api_client.force_login(cast.hr)
    listed = api_client.get(api(program)).json()
    assert len(listed) == sum(len(t) for t in defaults.stage_prompts().values())
    assert api_client.post(api(program), {"stage": 1, "text": "No"}).status_code == 403
    api_client.force_login(cast.admin)
    created = api_client.post(api(program), {"stage": 6, "text": "What next?"})
    assert created.status_code == 201
    pk = created.json()["id"]
    moved = api_client.patch(api(program, pk), {"move": "up", "text": "What now?"})
    assert moved.json()["text"] == "What now?"
    assert api_client.patch(api(program, pk), {"text": ""}, format="json").status_code == 400
    assert api_client.delete(api(program, pk)).status_code == 204
    other = ProgramFactory(organization=cast.org_b, slug="b-only")
    with scopes_disabled():
        prompts.copy_defaults(program=other)
        theirs = StagePrompt.objects.filter(program=other).first()
    assert api_client.get(api(program, theirs.pk)).status_code == 404
    assert api_client.get(api(other)).status_code == 404


def test_prompt_pages_run_constant_queries(cast, live_program, client, api_client):
    program = live_program.program
    client.force_login(cast.admin)
    api_client.force_login(cast.admin)
    n = iter(range(100))

    def add_row():
        with scopes_disabled():
            prompts.add_prompt(
                program=program, actor=cast.admin, stage=next(n) % 7, text="Another one?"
            )

    assert_constant_queries(client, page(program), add_row)
    assert_constant_queries(api_client, api(program), add_row)


# --- Moving through the stages -------------------------------------------------------------


def stage_url(room):
    return reverse("rooms:stage-move", kwargs={"org_slug": "org-a", "pk": room.pk})


def test_the_pair_moves_one_stage_on_or_back(cast, room, client, api_client):
    client.force_login(cast.mentee1)
    assert client.post(stage_url(room), {"stage": "1"}).status_code == 302
    room.refresh_from_db()
    assert room.stage == Stage.TRUST and room.stage_changed_at is not None
    home = client.get(reverse("rooms:home", kwargs={"org_slug": "org-a", "pk": room.pk}))
    assert "Mentor: share a success" in home.content.decode()
    api_client.force_login(cast.mentor1)
    moved = api_client.post(f"/api/v1/orgs/org-a/rooms/{room.pk}/stage/", {"stage": 2})
    assert moved.json()["label"] == "Define the problem or skill"
    back = api_client.post(f"/api/v1/orgs/org-a/rooms/{room.pk}/stage/", {"stage": 1})
    assert back.status_code == 200
    # Jumping is refused, and so are outsiders to the pair.
    jump = api_client.post(f"/api/v1/orgs/org-a/rooms/{room.pk}/stage/", {"stage": 5})
    assert jump.status_code == 400
    assert client.post(stage_url(room), {"stage": "9"}).status_code == 400
    for user in (cast.admin, cast.hr, cast.mentor2):
        client.force_login(user)
        assert client.post(stage_url(room), {"stage": "2"}).status_code == 404
    with scopes_disabled():
        assert Room.objects.get(pk=room.pk).stage == Stage.TRUST
