"""Matching API routes, under /api/v1/orgs/<org_slug>/programs/<program_slug>/matching/
(names in the "api" namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .choice import MentorRequestViewSet, MyRequestViewSet, MySuggestionViewSet
from .criteria import CustomQuestionViewSet, MatchingSettingsViewSet
from .matches import MatchViewSet, MyMatchView
from .pool import PoolView
from .profiles import MyProfileView, ProfileViewSet
from .runs import MatchRunViewSet, SuggestionViewSet

router = SimpleRouter()
router.register("custom-questions", CustomQuestionViewSet, basename="custom-question")
router.register("profiles", ProfileViewSet, basename="profile")
router.register("runs", MatchRunViewSet, basename="match-run")
router.register("matches", MatchViewSet, basename="match")
# Mentees choose their mentor (choice.py)
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
