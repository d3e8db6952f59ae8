"""Pages of roadmaps, under /o/<org>/ (program-scoped ones under programs/<program>/)."""

from django.urls import path  # noqa: F401

app_name = "roadmaps"
urlpatterns = []
