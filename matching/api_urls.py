"""Matching API routes, under /api/v1/orgs/<org_slug>/programs/<program_slug>/matching/
(names in the "api" namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import CustomQuestionViewSet, MatchingSettingsViewSet, MyProfileView, ProfileViewSet

router = SimpleRouter()
router.register("custom-questions", CustomQuestionViewSet, basename="custom-question")
router.register("profiles", ProfileViewSet, basename="profile")

urlpatterns = [
    path(
        "settings/",
        MatchingSettingsViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="matching-settings",
    ),
    # Before the router's "profiles/<pk>/", so that "me" is never read as an id.
    path("profiles/me/", MyProfileView.as_view(), name="profile-me"),
    *router.urls,
]
