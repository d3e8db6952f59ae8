"""Program API, under /api/v1/orgs/<org_slug>/programs/ (names in the "api" namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

router = SimpleRouter()
# --- Programs, foundation, agreement, cohorts (api/programs.py) ---
from .programs import (  # noqa: E402
    AgreementTemplateViewSet,
    CohortViewSet,
    FoundationViewSet,
    ProgramViewSet,
)

router.register("programs", ProgramViewSet, basename="program")
# One program's parts, under programs/<program_slug>/ (a typed path, for the schema).
program_router = SimpleRouter()
program_router.register(
    "agreement-templates", AgreementTemplateViewSet, basename="agreement-template"
)
program_router.register("cohorts", CohortViewSet, basename="cohort")
program_urls = [
    path(
        "foundation/",
        FoundationViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="program-foundation",
    ),
]
# --- Logic model (api/logic_model.py) ---
from .logic_model import (  # noqa: E402
    IndicatorViewSet,
    LogicItemViewSet,
    LogicModelExportView,
    LogicModelImportView,
)

program_router.register("logic-items", LogicItemViewSet, basename="logic-item")
program_router.register("indicators", IndicatorViewSet, basename="indicator")
program_urls += [
    path("logic-model/export/", LogicModelExportView.as_view(), name="logic-model-export"),
    path("logic-model/import/", LogicModelImportView.as_view(), name="logic-model-import"),
]
# --- Enrolment (api/enrolment.py) ---
from .enrolment import EnrollmentViewSet  # noqa: E402

router.register(
    r"programs/(?P<program_slug>[^/.]+)/enrollments", EnrollmentViewSet, basename="enrollment"
)

urlpatterns = [
    path("programs/<slug:program_slug>/", include([*program_urls, *program_router.urls])),
    *router.urls,
]
