"""The API of roadmaps, under /api/v1/orgs/<org>/."""

from django.urls import path  # noqa: F401
from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = [*router.urls]
