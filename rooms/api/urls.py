"""The API of rooms, under /api/v1/orgs/<org>/ (a room's parts under rooms/<room_pk>/)."""

from django.urls import path  # noqa: F401
from rest_framework.routers import SimpleRouter

router = SimpleRouter()
# --- Room, agreement, meetings, calendar, break-glass ---
# --- Agenda, stage prompts, notes, action items, messages, updates, feedback ---

urlpatterns = [
    *router.urls,
    # --- Room, agreement, meetings, calendar, break-glass ---
    # --- Agenda, stage prompts, notes, action items, messages, updates, feedback ---
]
