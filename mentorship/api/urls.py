from django.urls import include, path
from rest_framework.routers import SimpleRouter

from ..notifications.api import NotificationViewSet
from . import views

router = SimpleRouter()
router.register("orgs", views.OrganizationViewSet, basename="org")
router.register("me/tokens", views.ApiTokenViewSet, basename="token")

org_router = SimpleRouter()
org_router.register("members", views.MemberViewSet, basename="member")
org_router.register("invitations", views.InvitationViewSet, basename="invitation")
org_router.register("audit-log", views.AuditLogViewSet, basename="audit-log")
org_router.register("notifications", NotificationViewSet, basename="notification")

app_name = "api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path(
        "invitations/<str:token>/accept/",
        views.AcceptInvitationView.as_view(),
        name="invitation-accept",
    ),
    path("orgs/<slug:org_slug>/me/", views.MyMembershipView.as_view(), name="org-me"),
    path("orgs/<slug:org_slug>/", include(org_router.urls)),
    path("orgs/<slug:org_slug>/", include("programs.api.urls")),
    path(
        "orgs/<slug:org_slug>/programs/<slug:program_slug>/matching/",
        include("matching.api.urls"),
    ),
    path("orgs/<slug:org_slug>/", include("roadmaps.api.urls")),
    path("orgs/<slug:org_slug>/", include("rooms.api.urls")),
    *router.urls,
]
