"""The pair's agreement: rendered for them, signed by typing their name, once per version;
the banner until both signed; the print page; re-confirming a new version."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from matching.models import Match
from mentorship.models import AuditLogEntry
from programs.models import AgreementTemplate
from programs.services import save_agreement_template
from rooms import queries
from rooms.models import AgreementSignature, Room
from rooms.services import agreements

pytestmark = pytest.mark.django_db

BODY = "## Our agreement\n\n{{ mentor_name }} mentors {{ mentee_name }} in {{ program_name }}."


def room_of(match):
    with scopes_disabled():
        return Room.objects.select_related(
            "organization", "program", "match__mentor__user", "match__mentee__user"
        ).get(match=match)


@pytest.fixture
def rooms(live_program, cast):
    with scope(organization=cast.org_a):
        save_agreement_template(program=live_program.program, body=BODY, actor=cast.admin)
    return [room_of(m) for m in live_program.matches]


def _url(room, name="rooms:agreement"):
    return reverse(name, kwargs={"org_slug": "org-a", "pk": room.pk})


def _home(room):
    return reverse("rooms:home", kwargs={"org_slug": "org-a", "pk": room.pk})


def _state():
    with scopes_disabled():
        return (
            list(AgreementSignature.objects.values_list("user", "typed_name", "template")),
            AuditLogEntry.objects.count(),
        )


def test_the_agreement_reads_with_both_names_and_each_signs_once(client, cast, rooms, monkeypatch):
    heard = []
    monkeypatch.setattr(
        agreements.events, "record", lambda **kw: heard.append((kw["match"].pk, kw["event"]))
    )
    room = rooms[0]
    client.force_login(cast.mentor1)
    page = client.get(_url(room)).content.decode()
    assert f"{cast.mentor1.name} mentors {cast.mentee1.name} in Live." in page
    assert (
        "Read and sign your mentoring agreement to get started."
        in client.get(_home(room)).content.decode()
    )
    # Any case, extra spaces: the name as the program knows it.
    typed = "  " + cast.mentor1.name.upper().replace(" ", "   ") + " "
    response = client.post(_url(room), {"typed_name": typed})
    assert response.status_code == 302
    with scopes_disabled():
        signature = AgreementSignature.objects.get(room=room)
        template = AgreementTemplate.objects.get(program=room.program)
        entry = AuditLogEntry.objects.get(action="room.agreement_signed")
    assert (signature.user, signature.template, signature.typed_name) == (
        cast.mentor1,
        template,
        cast.mentor1.name.upper(),
    )
    assert template.version == 1 and signature.signed_at is not None
    assert (entry.actor, entry.data["version"]) == (cast.mentor1, 1)
    assert heard == []
    home = client.get(_home(room)).content.decode()
    assert f"{cast.mentee1.name} hasn" in home and 'id="agreement-banner"' in home
    # Twice: refused, nothing written.
    before = _state()
    again = client.post(_url(room), {"typed_name": cast.mentor1.name})
    assert again.status_code == 400
    assert "You have signed version 1 of the agreement already." in again.content.decode()
    assert _state() == before
    # The second signature completes it: the roadmap hears, the banner goes.
    client.force_login(cast.mentee1)
    assert client.post(_url(room), {"typed_name": cast.mentee1.name}).status_code == 302
    assert heard == [(room.match_id, "agreement_signed")]
    assert 'id="agreement-banner"' not in client.get(_home(room)).content.decode()


@pytest.mark.parametrize("typed", ["Somebody Else", "", "   "])
def test_a_name_that_is_not_yours_is_refused(client, cast, rooms, typed):
    before = _state()
    client.force_login(cast.mentee1)
    response = client.post(_url(rooms[0]), {"typed_name": typed})
    assert response.status_code == 400
    content = response.content.decode()
    if typed.strip():
        assert f"Type your name as the program knows it: “{cast.mentee1.name}”." in content
    else:
        assert "This field is required." in content
    assert _state() == before


def test_the_api_signs_and_refuses_the_same_way(cast, rooms):
    room = rooms[0]
    api = APIClient()
    api.force_authenticate(cast.mentee1)
    url = f"/api/v1/orgs/org-a/rooms/{room.pk}/agreement/"
    got = api.get(url).json()
    assert (got["version"], got["signatures"], got["both_signed"]) == (1, [], False)
    assert f"{cast.mentor1.name} mentors {cast.mentee1.name}" in got["html"]
    wrong = api.post(url, {"typed_name": "Not Me"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["attr"] == "typed_name"
    signed = api.post(url, {"typed_name": cast.mentee1.name.lower()}, format="json")
    assert signed.status_code == 201
    [signature] = signed.json()["signatures"]
    assert (signature["user"], signature["version"]) == (cast.mentee1.pk, 1)
    twice = api.post(url, {"typed_name": cast.mentee1.name}, format="json")
    assert twice.status_code == 400
    assert twice.json()["errors"][0]["detail"] == (
        "You have signed version 1 of the agreement already."
    )


def test_a_new_version_is_reconfirmed(cast, rooms):
    room = rooms[0]
    with scope(organization=cast.org_a):
        agreements.sign(room=room, user=cast.mentor1, typed_name=cast.mentor1.name)
        agreements.sign(room=room, user=cast.mentee1, typed_name=cast.mentee1.name)
        assert queries.agreement_state(room)["both_signed"]
        save_agreement_template(program=room.program, body=BODY + "\n\nNew rule.", actor=cast.admin)
        assert agreements.needs_reconfirming(room, cast.mentor1)
        state = queries.agreement_state(room)
        assert (state["template"].version, state["both_signed"]) == (2, False)
        agreements.reconfirm(room=room, user=cast.mentor1, typed_name=cast.mentor1.name)
        assert not agreements.needs_reconfirming(room, cast.mentor1)
        assert AuditLogEntry.objects.filter(action="room.agreement_reconfirmed").count() == 1
        versions = sorted(
            AgreementSignature.objects.filter(user=cast.mentor1).values_list(
                "template__version", flat=True
            )
        )
    assert versions == [1, 2]


def test_the_print_page_uses_the_print_stylesheet(client, cast, rooms):
    room = rooms[0]
    client.force_login(cast.mentor1)
    response = client.get(_url(room, "rooms:agreement-print"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "/static/css/print.css" in content
    assert "style=" not in content and "<script" not in content
    assert f"{cast.mentor1.name} mentors {cast.mentee1.name} in Live." in content


def test_others_and_ended_rooms_cannot_sign(client, cast, rooms):
    room = rooms[0]
    before = _state()
    for user in (cast.mentor2, cast.admin, cast.hr):
        client.force_login(user)
        assert client.get(_url(room)).status_code == 404
        assert client.get(_url(room, "rooms:agreement-print")).status_code == 404
        assert client.post(_url(room), {"typed_name": user.name}).status_code == 404
    with scopes_disabled():
        Match.objects.filter(pk=room.match_id).update(status="dissolved")
    client.force_login(cast.mentor1)
    assert client.post(_url(room), {"typed_name": cast.mentor1.name}).status_code == 403
    assert _state() == before


def test_without_a_template_there_is_nothing_to_sign(client, cast, live_program):
    room = room_of(live_program.matches[0])
    client.force_login(cast.mentor1)
    assert "No agreement yet." in client.get(_url(room)).content.decode()
    response = client.post(_url(room), {"typed_name": cast.mentor1.name})
    assert response.status_code == 400
    assert "The program has no agreement to sign yet." in response.content.decode()
