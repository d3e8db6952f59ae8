"""The cast's live program (``live_program`` in tests/conftest.py): both pairs matched, each
person seeing their own match and nobody else's."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from matching.models import Match

pytestmark = pytest.mark.django_db


def test_both_pairs_are_active_matches_of_one_published_run(cast, live_program):
    with scopes_disabled():
        matches = Match.objects.filter(program=live_program.program).order_by("mentee__email")
        pairs = [(m.mentor.email, m.mentee.email, m.status, m.run_id) for m in matches]
    run = live_program.run.pk
    assert pairs == [
        ("mentor1@a.example", "mentee1@a.example", "active", run),
        ("mentor2@a.example", "mentee2@a.example", "active", run),
    ]
    assert [m.mentee.user for m in live_program.matches] == [cast.mentee1, cast.mentee2]
    assert live_program.run.status == "published"
    assert live_program.program.organization == cast.org_a


@pytest.mark.parametrize(
    ("person", "partner"),
    [
        ("mentee1", "mentor1"),
        ("mentor1", "mentee1"),
        ("mentee2", "mentor2"),
        ("mentor2", "mentee2"),
    ],
)
def test_each_person_sees_their_own_match(client, cast, live_program, person, partner):
    client.force_login(getattr(cast, person))
    url = reverse(
        "matching:my-match",
        kwargs={"org_slug": cast.org_a.slug, "program_slug": live_program.program.slug},
    )
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    shown = re.findall(r'href="mailto:([^"]+)"', page[page.index('id="my-matches"') :])
    assert shown == [f"{partner}@a.example"]
