"""Evidence files: allowed types by extension AND content, a size limit, no programs; served
only to the pair, as a download."""

import html
from pathlib import Path, PurePath

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from roadmaps.constants import EVIDENCE_MAX_BYTES
from roadmaps.models import Evidence, Milestone
from roadmaps.services import evidence as services
from roadmaps.services import milestones as milestone_services

from .helpers import PNG, client_for, milestones_of, office, roadmap_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(cast, live_program):
    match = live_program.matches[0]
    return roadmap_of(match), milestones_of(match)


def _complete(client, roadmap, milestone, file):
    url = reverse(
        "roadmaps:milestone-complete",
        args=[roadmap.organization.slug, roadmap.pk, milestone.pk],
    )
    return client.post(url, {"note": "", "url": "", "file": file})


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            upload("big.pdf", b"%PDF-" + b"0" * EVIDENCE_MAX_BYTES),
            "This file is too big: keep it under 10 MB.",
        ),
        (
            upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 60),
            "Programs and scripts can't be uploaded as evidence.",
        ),
        (
            upload("report.pdf", b"MZ\x90\x00" + b"\x00" * 60),
            "Programs and scripts can't be uploaded as evidence.",
        ),
        (
            upload("photo.png", b"just some text pretending"),
            "This file isn't a real .png file: its content doesn't match.",
        ),
        (
            upload("notes.docx", b"PK\x03\x04not really a zip"),
            "This file isn't a real .docx file: its content doesn't match.",
        ),
        (
            upload("page.html", b"<html></html>"),
            "Upload one of these types: csv, docx, gif, jpg, pdf, png, pptx, txt, xlsx. "
            "This one isn't allowed.",
        ),
        (
            upload("run.sh", b"#!/bin/sh\nrm -rf /\n"),
            "Programs and scripts can't be uploaded as evidence.",
        ),
    ],
)
def test_a_refused_file_is_a_clear_400_and_nothing_is_written(cast, pair, file, message):
    roadmap, milestones = pair
    response = _complete(client_for(cast.mentee1), roadmap, milestones[0], file)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    with scopes_disabled():
        assert not Evidence.objects.filter(milestone__roadmap=roadmap).exists()
    assert milestones_of(roadmap.match)[0].status == "not_started"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("plan.png", PNG, "image/png"),
        ("plan.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("plan.txt", "Plan – ünïcode\n".encode(), "text/plain"),
        (
            "plan.docx",
            office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "plan.xlsx",
            office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_an_allowed_file_is_stored_and_downloads_for_the_pair_only(
    cast, pair, name, content, content_type
):
    roadmap, milestones = pair
    response = _complete(client_for(cast.mentee1), roadmap, milestones[0], upload(name, content))
    assert response.status_code == 302
    with scopes_disabled():
        evidence = Evidence.objects.get(milestone=milestones[0])
    assert (evidence.file_name, evidence.content_type, evidence.size) == (
        name,
        content_type,
        len(content),
    )
    assert not evidence.file.name.endswith(name)  # stored under a random name
    url = reverse(
        "roadmaps:evidence-file", args=[roadmap.organization.slug, roadmap.pk, evidence.pk]
    )
    response = client_for(cast.mentor1).get(url)
    assert response.status_code == 200
    assert response.content == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    for user in (cast.admin, cast.hr, cast.mentee2, cast.outsider):
        assert client_for(user).get(url).status_code == 404


def test_another_pairs_evidence_is_404_through_my_roadmap(cast, live_program):
    mine = roadmap_of(live_program.matches[0])
    theirs = milestones_of(live_program.matches[1])[0]
    with scope(organization=cast.org_a):
        evidence = services.add_evidence(milestone=theirs, actor=cast.mentee2, note="Theirs")
    client = client_for(cast.mentee1)
    for name in ("evidence-file", "evidence-delete"):
        url = reverse(f"roadmaps:{name}", args=[cast.org_a.slug, mine.pk, evidence.pk])
        response = client.post(url) if name.endswith("delete") else client.get(url)
        assert response.status_code == 404
    with scopes_disabled():
        assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_only_the_author_removes_evidence(cast, pair):
    roadmap, milestones = pair
    with scope(organization=cast.org_a):
        evidence = services.add_evidence(milestone=milestones[0], actor=cast.mentee1, note="Mine")
    url = reverse("roadmaps:evidence-delete", args=[cast.org_a.slug, roadmap.pk, evidence.pk])
    response = client_for(cast.mentor1).post(url)
    assert response.status_code == 400
    assert "Only the person who added this evidence can remove it." in html.unescape(
        response.content.decode()
    )
    assert client_for(cast.mentee1).post(url).status_code == 302
    with scopes_disabled():
        assert not Evidence.objects.filter(pk=evidence.pk).exists()


def _stored_files():
    root = Path(settings.MEDIA_ROOT) / "roadmaps" / "evidence"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _database_went_away(self, *args, **kwargs):
    raise DatabaseError("The database went away.")


def test_a_stored_file_goes_when_its_row_is_not_written(cast, pair, monkeypatch):
    _, milestones = pair
    before = _stored_files()

    monkeypatch.setattr(Evidence, "save", _database_went_away)
    with scope(organization=cast.org_a), pytest.raises(DatabaseError):
        services.add_evidence(
            milestone=milestones[0], actor=cast.mentee1, file=upload("plan.png", PNG)
        )
    assert _stored_files() == before
    with scopes_disabled():
        assert not Evidence.objects.filter(milestone=milestones[0]).exists()


def test_a_stored_file_goes_when_the_completion_around_it_rolls_back(cast, pair, monkeypatch):
    """The evidence row was written, then completing the milestone failed: both roll back, and
    the file is deleted from storage too."""
    _, milestones = pair
    before = _stored_files()
    with scope(organization=cast.org_a):
        kept = services.add_evidence(
            milestone=milestones[1], actor=cast.mentee1, file=upload("kept.png", PNG)
        )
    [stored] = _stored_files() - before  # a file that is kept shows up here
    assert stored.name == PurePath(kept.file.name).name

    monkeypatch.setattr(Milestone, "save", _database_went_away)
    with scope(organization=cast.org_a), pytest.raises(DatabaseError):
        milestone_services.complete_milestone(
            milestone=milestones[0], actor=cast.mentee1, file=upload("plan.png", PNG)
        )
    assert _stored_files() - before == {stored}
    with scopes_disabled():
        assert not Evidence.objects.filter(milestone=milestones[0]).exists()
    assert milestones_of(milestones[0].roadmap.match)[0].status == "not_started"
