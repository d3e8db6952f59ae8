"""Pages of roadmaps, under /o/<org>/ (program-scoped ones under programs/<program>/)."""

from django.urls import path

from .views import milestones, roadmaps, templates

app_name = "roadmaps"
P = "programs/<slug:program_slug>/roadmap/"
R = "roadmaps/<int:pk>/"
M = R + "milestones/<int:milestone_pk>/"
G = R + "goals/<int:goal_pk>/"
urlpatterns = [
    # --- The program's template (admins edit, HR reads) and the milestone grid ---
    path(P, templates.template, name="template"),
    path(P + "setup/", templates.template_setup, name="template-setup"),
    path(P + "milestones/add/", templates.milestone_add, name="template-milestone-add"),
    path(P + "milestones/<int:pk>/", templates.milestone_edit, name="template-milestone"),
    path(
        P + "milestones/<int:pk>/delete/",
        templates.milestone_delete,
        name="template-milestone-delete",
    ),
    path(P + "milestones/<int:pk>/move/", templates.milestone_move, name="template-milestone-move"),
    path(P + "grid/", roadmaps.grid, name="grid"),
    # --- A pair's roadmap ---
    path(R, roadmaps.roadmap, name="roadmap"),
    path(R + "milestones/add/", milestones.milestone_add, name="milestone-add"),
    path(M, milestones.milestone_edit, name="milestone-edit"),
    path(M + "start/", milestones.milestone_start, name="milestone-start"),
    path(M + "skip/", milestones.milestone_skip, name="milestone-skip"),
    path(M + "reopen/", milestones.milestone_reopen, name="milestone-reopen"),
    path(M + "complete/", milestones.milestone_complete, name="milestone-complete"),
    path(M + "confirm/", milestones.milestone_confirm, name="milestone-confirm"),
    path(M + "count/", milestones.milestone_count, name="milestone-count"),
    path(M + "move/", milestones.milestone_move, name="milestone-move"),
    path(M + "evidence/", milestones.evidence_add, name="evidence-add"),
    path(R + "evidence/<int:evidence_pk>/file/", milestones.evidence_file, name="evidence-file"),
    path(
        R + "evidence/<int:evidence_pk>/delete/", milestones.evidence_delete, name="evidence-delete"
    ),
    path(R + "goals/add/", milestones.goal_add, name="goal-add"),
    path(G, milestones.goal_edit, name="goal-edit"),
    path(G + "rate/", milestones.goal_rate, name="goal-rate"),
    path(G + "retire/", milestones.goal_retire, name="goal-retire"),
]
