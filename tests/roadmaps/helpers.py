"""What roadmaps' tests share: a signed-in client, pairs started through matching's hook,
and small files of each kind."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scope, scopes_disabled

from matching import hooks
from roadmaps.models import Evidence, Goal, GoalRating, Milestone, Roadmap
from tests.factories import EnrollmentFactory, MatchFactory, MembershipFactory, UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def start_pairs(program, n, *, prefix="pair"):
    """``n`` new pairs of ``program``, started through matching's hook in one call."""
    org = program.organization
    matches = []
    for i in range(n):
        mentee = MembershipFactory(
            organization=org, user=UserFactory(email=f"{prefix}-mentee{i}@{org.slug}.example")
        ).user
        mentor = MembershipFactory(
            organization=org, user=UserFactory(email=f"{prefix}-mentor{i}@{org.slug}.example")
        ).user
        matches.append(
            MatchFactory(
                program=program,
                mentor=EnrollmentFactory(program=program, user=mentor, role="mentor"),
                mentee=EnrollmentFactory(program=program, user=mentee),
            )
        )
    with scope(organization=org):
        hooks.matches_started.send(matches=matches, actor=None)
    return matches


def roadmap_of(match):
    with scopes_disabled():
        return Roadmap.objects.select_related(
            "match__mentor__user", "match__mentee__user", "match__program"
        ).get(match=match)


def milestones_of(match):
    with scopes_disabled():
        return list(Milestone.objects.filter(roadmap__match=match).order_by("position", "pk"))


def state(match):
    """Everything roadmaps holds of a match, to check that a refused write changed nothing."""
    with scopes_disabled():
        return (
            list(Milestone.objects.filter(roadmap__match=match).order_by("pk").values()),
            list(Evidence.objects.filter(milestone__roadmap__match=match).order_by("pk").values()),
            list(Goal.objects.filter(match=match).order_by("pk").values()),
            GoalRating.objects.filter(goal__match=match).count(),
        )


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def office(kind="docx"):
    part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part[kind], "<doc/>")
    return buffer.getvalue()
