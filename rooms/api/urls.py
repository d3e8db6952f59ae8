"""The API of rooms, under /api/v1/orgs/<org>/: rooms and a member's own action items; a
room's parts under rooms/<room_pk>/, a meeting's under its meetings/<meeting_pk>/; a program's
stage prompts under programs/<program_slug>/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .action_items import ActionItemViewSet, MyActionItemViewSet
from .agenda import AgendaPointViewSet
from .agreements import AgreementView
from .calendar import CalendarFeedView
from .feedback import MeetingFeedbackViewSet
from .meetings import MeetingViewSet
from .messages import MessageViewSet
from .notes import NoteViewSet
from .prompts import StagePromptViewSet
from .rooms import RoomViewSet
from .stages import RoomStageView
from .updates import ProgressUpdateViewSet

org_router = SimpleRouter()
org_router.register("rooms", RoomViewSet, basename="room")
org_router.register("action-items", MyActionItemViewSet, basename="my-action-item")

room_router = SimpleRouter()
room_router.register("meetings", MeetingViewSet, basename="meeting")
room_router.register("action-items", ActionItemViewSet, basename="action-item")
room_router.register("messages", MessageViewSet, basename="message")
room_router.register("updates", ProgressUpdateViewSet, basename="progress-update")

meeting_router = SimpleRouter()
meeting_router.register("agenda-points", AgendaPointViewSet, basename="agenda-point")
meeting_router.register("notes", NoteViewSet, basename="note")
meeting_router.register("feedback", MeetingFeedbackViewSet, basename="meeting-feedback")

program_router = SimpleRouter()
program_router.register("stage-prompts", StagePromptViewSet, basename="stage-prompt")

urlpatterns = [
    *org_router.urls,
    path("calendar-feed/", CalendarFeedView.as_view(), name="my-calendar-feed"),
    path("rooms/<int:room_pk>/", include(room_router.urls)),
    path("rooms/<int:room_pk>/agreement/", AgreementView.as_view(), name="room-agreement"),
    path("rooms/<int:room_pk>/stage/", RoomStageView.as_view(), name="room-stage"),
    path("rooms/<int:room_pk>/meetings/<int:meeting_pk>/", include(meeting_router.urls)),
    path("programs/<slug:program_slug>/", include(program_router.urls)),
]
