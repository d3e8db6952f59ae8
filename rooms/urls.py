"""Pages of rooms, under /o/<org>/ (the admins' room list under programs/<program>/)."""

from django.urls import path  # noqa: F401

app_name = "rooms"
urlpatterns = [
    # --- Room, agreement, meetings, calendar, break-glass ---
    # --- Agenda, stage prompts, notes, action items, messages, updates, feedback ---
]
