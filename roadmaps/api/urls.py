"""The API of roadmaps, under /api/v1/orgs/<org>/ (names in the "api" namespace): a program's
roadmap template under programs/<program_slug>/roadmap-template/ (its milestones under
programs/<program_slug>/roadmap-template-milestones/), pairs' roadmaps under roadmaps/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .roadmaps import EvidenceViewSet, GoalViewSet, MilestoneViewSet, RoadmapViewSet
from .templates import RoadmapTemplateView, TemplateMilestoneViewSet

router = SimpleRouter()
router.register("roadmaps", RoadmapViewSet, basename="roadmap")
template_router = SimpleRouter()
# Its own collection name, apart from the pairs' "milestones".
template_router.register(
    "roadmap-template-milestones", TemplateMilestoneViewSet, basename="roadmap-template-milestone"
)
pair_router = SimpleRouter()
pair_router.register("milestones", MilestoneViewSet, basename="roadmap-milestone")
pair_router.register("goals", GoalViewSet, basename="roadmap-goal")
evidence_router = SimpleRouter()
evidence_router.register("evidence", EvidenceViewSet, basename="roadmap-evidence")

urlpatterns = [
    path(
        "programs/<slug:program_slug>/roadmap-template/",
        RoadmapTemplateView.as_view(),
        name="roadmap-template",
    ),
    path("programs/<slug:program_slug>/", include(template_router.urls)),
    path(
        "roadmaps/<int:roadmap_pk>/milestones/<int:milestone_pk>/",
        include(evidence_router.urls),
    ),
    path("roadmaps/<int:roadmap_pk>/", include(pair_router.urls)),
    *router.urls,
]
