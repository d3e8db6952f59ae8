"""Program pages, under /o/<org_slug>/programs/."""

from django.urls import path

from .views import enrolment, logic_model, program

app_name = "programs"
urlpatterns = [
    # --- Programs, foundation, agreement, cohorts (views/program.py) ---
    path("", program.program_list, name="list"),
    path("mine/", program.my_programs, name="mine"),
    path("new/", program.program_create, name="create"),
    path("<slug:program_slug>/", program.program_detail, name="detail"),
    path("<slug:program_slug>/settings/", program.program_edit, name="edit"),
    path("<slug:program_slug>/status/", program.program_status, name="status"),
    path("<slug:program_slug>/delete/", program.program_delete, name="delete"),
    path("<slug:program_slug>/foundation/", program.foundation, name="foundation"),
    path("<slug:program_slug>/agreement/", program.agreement, name="agreement"),
    path(
        "<slug:program_slug>/agreement/preview/",
        program.agreement_preview,
        name="agreement-preview",
    ),
    path("<slug:program_slug>/cohorts/", program.cohorts, name="cohorts"),
    path("<slug:program_slug>/cohorts/<int:pk>/", program.cohort_edit, name="cohort-edit"),
    path(
        "<slug:program_slug>/cohorts/<int:pk>/delete/", program.cohort_delete, name="cohort-delete"
    ),
    # --- Logic model (views/logic_model.py) ---
    path("<slug:program_slug>/logic-model/", logic_model.designer, name="logic-model"),
    path("<slug:program_slug>/logic-model/diagram/", logic_model.diagram, name="diagram"),
    path("<slug:program_slug>/logic-model/export/", logic_model.export, name="logic-model-export"),
    path(
        "<slug:program_slug>/logic-model/import/",
        logic_model.import_view,
        name="logic-model-import",
    ),
    path("<slug:program_slug>/logic-model/items/add/", logic_model.item_add, name="logic-item-add"),
    path(
        "<slug:program_slug>/logic-model/items/<int:pk>/",
        logic_model.item_edit,
        name="logic-item-edit",
    ),
    path(
        "<slug:program_slug>/logic-model/items/<int:pk>/delete/",
        logic_model.item_delete,
        name="logic-item-delete",
    ),
    path(
        "<slug:program_slug>/logic-model/items/<int:pk>/move/",
        logic_model.item_move,
        name="logic-item-move",
    ),
    path(
        "<slug:program_slug>/logic-model/indicators/add/",
        logic_model.indicator_add,
        name="indicator-add",
    ),
    path(
        "<slug:program_slug>/logic-model/indicators/<int:pk>/",
        logic_model.indicator_edit,
        name="indicator-edit",
    ),
    path(
        "<slug:program_slug>/logic-model/indicators/<int:pk>/delete/",
        logic_model.indicator_delete,
        name="indicator-delete",
    ),
    path(
        "<slug:program_slug>/logic-model/indicators/<int:pk>/move/",
        logic_model.indicator_move,
        name="indicator-move",
    ),
    # --- Enrolment (views/enrolment.py) ---
    path("<slug:program_slug>/enrollments/", enrolment.enrollment_list, name="enrollments"),
    path(
        "<slug:program_slug>/enrollments/import/",
        enrolment.enrollment_import,
        name="enrollment-import",
    ),
    path("<slug:program_slug>/enrollments/join-link/", enrolment.join_link, name="join-link"),
    path(
        "<slug:program_slug>/enrollments/<int:pk>/accept/",
        enrolment.enrollment_action,
        {"action": "accept"},
        name="enrollment-accept",
    ),
    path(
        "<slug:program_slug>/enrollments/<int:pk>/decline/",
        enrolment.enrollment_action,
        {"action": "decline"},
        name="enrollment-decline",
    ),
    path(
        "<slug:program_slug>/enrollments/<int:pk>/withdraw/",
        enrolment.enrollment_action,
        {"action": "withdraw"},
        name="enrollment-withdraw",
    ),
    # Two segments, so only "<slug:program_slug>/<fixed word>/" patterns could shadow it, and
    # a join token (22 random characters) is never one of those words.
    path("join/<str:join_token>/", enrolment.join, name="join"),
]
