"""Roadmaps' part of the world: a roadmap template in each "pilot", and in the roadmap of each
organization's live pair (``w.live_matches``, started through matching's hook; org A's mentor
is the cast's member) a milestone not started, a done one (by the mentee, with evidence and a
file, waiting for the mentor's confirmation), a counted one, and goals (two, so that one can
retire)."""

from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from roadmaps.models import Evidence, Goal, Milestone, Roadmap, TemplateMilestone
from roadmaps.services import goals
from roadmaps.services.templates import ensure_template


def build(w):
    templates = []
    for program in w.pilots:
        with scope(organization=program.organization):
            templates.append(ensure_template(program))
    with scopes_disabled():
        steps = tuple(
            TemplateMilestone.objects.filter(template=t).order_by("position", "pk").first().pk
            for t in templates
        )
        roadmaps = [
            Roadmap.objects.select_related("match__mentee__user", "match__mentor__user").get(
                match=m
            )
            for m in w.live_matches
        ]
        template_orders = tuple(
            list(
                TemplateMilestone.objects.filter(template=t)
                .order_by("-position", "-pk")
                .values_list("pk", flat=True)
            )
            for t in templates
        )
    kinds = {
        "roadmap": [],
        "milestone": [],
        "done_milestone": [],
        "counted_milestone": [],
        "evidence": [],
        "goal": [],
        "roadmap_milestone_order": [],
    }
    for roadmap in roadmaps:
        with scope(organization=roadmap.organization):
            kinds["roadmap"].append(roadmap.pk)
            milestones = list(Milestone.objects.filter(roadmap=roadmap).order_by("position", "pk"))
            kinds["milestone"].append(milestones[0].pk)
            mentee = roadmap.match.mentee.user
            done = milestones[1]
            done.status = Milestone.Status.DONE
            done.completed_at = timezone.now()
            done.completed_by = mentee
            done.save()
            # Added by the mentor (the cast's member in org A), who may remove it.
            evidence = Evidence(
                organization_id=roadmap.organization_id,
                milestone=done,
                author=roadmap.match.mentor.user,
                note="Notes from our first talk",
                file_name="plan.txt",
                content_type="text/plain",
                size=11,
            )
            evidence.file.save("plan.txt", ContentFile(b"Our plan.\n\n"), save=False)
            evidence.save()
            kinds["done_milestone"].append(done.pk)
            kinds["evidence"].append(evidence.pk)
            counted = Milestone.objects.create(
                organization_id=roadmap.organization_id,
                roadmap=roadmap,
                title="Apply for five roles",
                target=5,
                position=len(milestones),
            )
            kinds["counted_milestone"].append(counted.pk)
            if Goal.objects.filter(match=roadmap.match, status="active").count() < 2:
                goals.add_goal(match=roadmap.match, text="Build a network", actor=mentee)
            first = Goal.objects.filter(match=roadmap.match).order_by("position", "pk").first()
            kinds["goal"].append(first.pk)
            kinds["roadmap_milestone_order"].append(
                list(
                    Milestone.objects.filter(roadmap=roadmap)
                    .order_by("-position", "-pk")
                    .values_list("pk", flat=True)
                )
            )
    return {
        "roadmap_template_milestone": steps,
        "roadmap_template_order": template_orders,
        **{k: tuple(v) for k, v in kinds.items()},
    }
