from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from programs.views.enrolment import join_landing as program_join_landing
from rooms.views.calendar import calendar_feed

from . import views
from .accounts import LoginView
from .notifications import views as notification_views

org_patterns = (
    [
        path("", views.org_home, name="home"),
        path("members/", views.members, name="members"),
        path("members/<int:pk>/role/", views.member_role, name="member-role"),
        path("members/<int:pk>/remove/", views.member_remove, name="member-remove"),
        path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
        path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
        path("audit/", views.audit_log, name="audit-log"),
        path("me/", views.my_card, name="my-card"),
        path("members/<int:pk>/photo/<str:version>/", views.member_photo, name="member-photo"),
        path("notifications/", notification_views.notification_list, name="notifications"),
        path(
            "notifications/read-all/",
            notification_views.notification_read_all,
            name="notifications-read-all",
        ),
        path(
            "notifications/<int:pk>/",
            notification_views.notification_open,
            name="notification-open",
        ),
        path(
            "notifications/<int:pk>/read/",
            notification_views.notification_read,
            name="notification-read",
        ),
    ],
    "org",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("o/<slug:org_slug>/", include(org_patterns)),
    path("o/<slug:org_slug>/programs/", include("programs.urls")),
    path("o/<slug:org_slug>/programs/<slug:program_slug>/matching/", include("matching.urls")),
    # Roadmaps and rooms: their program pages (programs/<program>/…) and their own.
    path("o/<slug:org_slug>/", include("roadmaps.urls")),
    path("o/<slug:org_slug>/", include("rooms.urls")),
    path("invitations/<str:token>/", views.invitation_landing, name="invitation"),
    # The program join link people share: public, so it can say what it is before sign-in.
    path("join/<str:join_token>/", program_join_landing, name="program-join"),
    # A member's private calendar feed: calendar apps fetch it by its secret token, never signed in.
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("account/profile/", views.profile, name="profile"),
    path("account/notifications/", views.email_preferences, name="email-preferences"),
    path(
        "notifications/unsubscribe/<str:token>/",
        notification_views.unsubscribe,
        name="notification-unsubscribe",
    ),
    path("account/tokens/", views.token_create, name="token-create"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("accounts/login/", LoginView.as_view(), name="account_login_with_lockout"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("mentorship.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler400 = "mentorship.errors.bad_request"
handler403 = "mentorship.errors.permission_denied"
handler404 = "mentorship.errors.page_not_found"
handler500 = "mentorship.errors.server_error"
