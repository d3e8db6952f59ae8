"""Matching API routes, under /api/v1/orgs/<org_slug>/programs/<program_slug>/matching/
(names in the "api" namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import (
    CustomQuestionViewSet,
    MatchingSettingsViewSet,
    MyProfileView,
    PoolView,
    ProfileViewSet,
)
from .choice_api import MentorRequestViewSet, MyRequestViewSet, MySuggestionViewSet
from .match_api import MatchViewSet, MyMatchView
from .run_api import MatchRunViewSet, SuggestionViewSet

router = SimpleRouter()
router.register("custom-questions", CustomQuestionViewSet, basename="custom-question")
router.register("profiles", ProfileViewSet, basename="profile")
router.register("runs", MatchRunViewSet, basename="match-run")
router.register("matches", MatchViewSet, basename="match")
# Mentee-chooses mode (choice_api.py)
router.register("my-suggestions", MySuggestionViewSet, basename="my-suggestion")
router.register("my-requests", MyRequestViewSet, basename="my-request")
router.register("requests", MentorRequestViewSet, basename="mentor-request")
run_router = SimpleRouter()
run_router.register("suggestions", SuggestionViewSet, basename="suggestion")

urlpatterns = [
    path(
        "settings/",
        MatchingSettingsViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="matching-settings",
    ),
    path("pool/", PoolView.as_view(), name="matching-pool"),
    # Before the router's "profiles/<pk>/", so that "me" is never read as an id.
    path("profiles/me/", MyProfileView.as_view(), name="profile-me"),
    path("my-match/", MyMatchView.as_view(), name="my-match"),
    path("runs/<int:run_number>/", include(run_router.urls)),
    *router.urls,
]
