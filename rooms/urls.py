"""Pages of rooms, under /o/<org>/ (the admins' room list under programs/<program>/)."""

from django.urls import path

from .views import (
    action_items,
    agenda,
    agreements,
    break_glass,
    calendar,
    feedback,
    meetings,
    notes,
    prompts,
    rooms,
    stages,
    updates,
)
from .views import messages as message_views

app_name = "rooms"
urlpatterns = [
    path("rooms/", rooms.my_rooms, name="mine"),
    path("rooms/<int:pk>/", rooms.room_home, name="home"),
    path("rooms/<int:pk>/agreement/", agreements.agreement, name="agreement"),
    path("rooms/<int:pk>/agreement/print/", agreements.agreement_print, name="agreement-print"),
    path("rooms/<int:pk>/open/", break_glass.open_room, name="break-glass"),
    path("rooms/<int:room_pk>/meetings/", meetings.meeting_list, name="meetings"),
    path("rooms/<int:room_pk>/meetings/new/", meetings.meeting_new, name="meeting-new"),
    path("rooms/<int:room_pk>/meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("rooms/<int:room_pk>/meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path(
        "rooms/<int:room_pk>/meetings/<int:pk>/cancel/",
        meetings.meeting_cancel,
        name="meeting-cancel",
    ),
    path("rooms/<int:room_pk>/meetings/<int:pk>/held/", meetings.meeting_held, name="meeting-held"),
    path(
        "rooms/<int:room_pk>/meetings/<int:pk>/no-show/",
        meetings.meeting_no_show,
        name="meeting-no-show",
    ),
    path("rooms/<int:room_pk>/meetings/<int:pk>.ics", meetings.meeting_ics, name="meeting-ics"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("programs/<slug:program_slug>/rooms/", rooms.program_rooms, name="program-rooms"),
    path(
        "programs/<slug:program_slug>/rooms/settings/",
        rooms.program_room_settings,
        name="program-room-settings",
    ),
    path("programs/<slug:program_slug>/prompts/", prompts.prompt_list, name="prompts"),
    path("programs/<slug:program_slug>/prompts/<int:pk>/", prompts.prompt_edit, name="prompt-edit"),
    path(
        "programs/<slug:program_slug>/prompts/<int:pk>/delete/",
        prompts.prompt_delete,
        name="prompt-delete",
    ),
    path(
        "programs/<slug:program_slug>/prompts/<int:pk>/move/",
        prompts.prompt_move,
        name="prompt-move",
    ),
    path("rooms/<int:pk>/stage/", stages.move, name="stage-move"),
    path(
        "rooms/<int:room_pk>/meetings/<int:meeting_pk>/agenda/", agenda.point_add, name="agenda-add"
    ),
    path(
        "rooms/<int:room_pk>/meetings/<int:meeting_pk>/agenda/suggest/",
        agenda.suggest,
        name="agenda-suggest",
    ),
    path(
        "rooms/<int:room_pk>/meetings/<int:meeting_pk>/agenda/<int:pk>/",
        agenda.point_change,
        name="agenda-point",
    ),
    path("rooms/<int:room_pk>/meetings/<int:meeting_pk>/notes/", notes.note_add, name="note-add"),
    path(
        "rooms/<int:room_pk>/meetings/<int:meeting_pk>/notes/<int:pk>/",
        notes.note_edit,
        name="note-edit",
    ),
    path(
        "rooms/<int:room_pk>/meetings/<int:meeting_pk>/notes/<int:pk>/delete/",
        notes.note_delete,
        name="note-delete",
    ),
    path("rooms/<int:room_pk>/meetings/<int:meeting_pk>/feedback/", feedback.give, name="feedback"),
    path("rooms/<int:room_pk>/action-items/", action_items.item_add, name="action-item-add"),
    path(
        "rooms/<int:room_pk>/action-items/<int:pk>/",
        action_items.item_change,
        name="action-item",
    ),
    path("action-items/", action_items.my_items, name="my-action-items"),
    path("rooms/<int:pk>/messages/", message_views.thread, name="messages"),
    path("rooms/<int:pk>/messages/new/", message_views.new_messages, name="messages-new"),
    path("rooms/<int:pk>/messages/read/", message_views.mark_read, name="messages-read"),
    path("rooms/<int:pk>/updates/", updates.update_list, name="updates"),
]
