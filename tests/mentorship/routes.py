"""Security rows of the core: the organization's pages and API (members, invitations, audit
log, member cards), the signed-in pages, the public ones, and the third-party routes the root
URLs mount (allauth, the Django admin, the API schema). See ``tests/security/route.py``."""

from mentorship.models import Role
from tests.security.route import LOGIN, Route

INVITE = {"email": "new.person@example.com", "role": Role.MEMBER}
TO_HR = {"role": Role.HR}
NOTIFICATION = "mentorship.Notification"
CARD = {"job_title": "Data engineer", "department": "Platform", "bio": "Likes maps."}

# fmt: off
ROUTES: dict[str, Route] = {
    # --- Tenant pages: /o/<org_slug>/… ---------------------------------------------------------
    "org:home":              Route("org", {"GET": "view_organization"}),
    "org:members":           Route("org", {"GET": "view_members", "POST": "manage_members"},
                                   data={"POST": INVITE}),
    "org:member-role":       Route("org", {"POST": "manage_members"}, kwargs={"pk": "membership"},
                                   data={"POST": TO_HR}),
    "org:member-remove":     Route("org", {"POST": "manage_members"}, kwargs={"pk": "membership"}),
    "org:invitation-resend": Route("org", {"POST": "manage_members"}, kwargs={"pk": "invitation"}),
    "org:invitation-revoke": Route("org", {"POST": "manage_members"}, kwargs={"pk": "invitation"}),
    "org:audit-log":         Route("org", {"GET": "view_audit_log"}),
    # Each member's own card (job title, department, bio, photo) in this organization.
    "org:my-card":           Route("org", {"POST": "view_organization"}, data={"POST": CARD}),
    # A member's photo: for the organization's members only, by its current version.
    "org:member-photo":      Route("org", {"GET": "view_organization"},
                                   kwargs={"pk": "photo_membership",
                                           "version": "photo_version"}),
    # Each person's own notifications (the world's in org A are the admin's); reading them is
    # the person's own state, not audited.
    "org:notifications":     Route("org", {"GET": "view_organization"}),
    "org:notification-open": Route("org", {"POST": "view_organization"},
                                   kwargs={"pk": "notification"}, owner=Role.ADMIN,
                                   unaudited=(NOTIFICATION,)),
    "org:notification-read": Route("org", {"POST": "view_organization"},
                                   kwargs={"pk": "notification"}, owner=Role.ADMIN,
                                   unaudited=(NOTIFICATION,)),
    "org:notifications-read-all": Route("org", {"POST": "view_organization"},
                                        unaudited=(NOTIFICATION,)),
    # --- Tenant API: /api/v1/orgs/<org_slug>/… -------------------------------------------------
    "api:org-detail":        Route("org-api", {"GET": "view_organization"}),
    "api:member-list":       Route("org-api", {"GET": "view_members"}),
    "api:org-me":            Route("org-api", {"GET": "view_organization",
                                               "PATCH": "view_organization"},
                                   data={"PATCH": CARD}),
    "api:member-detail":     Route("org-api", {"GET": "view_members", "PATCH": "manage_members",
                                               "DELETE": "manage_members"},
                                   kwargs={"pk": "membership"}, data={"PATCH": TO_HR}),
    "api:invitation-list":   Route("org-api", {"GET": "manage_members", "POST": "manage_members"},
                                   data={"POST": INVITE}),
    "api:invitation-detail": Route("org-api", {"GET": "manage_members", "DELETE": "manage_members"},
                                   kwargs={"pk": "invitation"}),
    "api:invitation-resend": Route("org-api", {"POST": "manage_members"},
                                   kwargs={"pk": "invitation"}, ok={"POST": 200}),
    "api:audit-log-list":    Route("org-api", {"GET": "view_audit_log"}),
    "api:audit-log-detail":  Route("org-api", {"GET": "view_audit_log"},
                                   kwargs={"pk": "audit_entry"}),
    "api:notification-list": Route("org-api", {"GET": "view_organization"}),
    "api:notification-detail": Route("org-api", {"GET": "view_organization"},
                                     kwargs={"pk": "notification"}, owner=Role.ADMIN),
    "api:notification-read": Route("org-api", {"POST": "view_organization"},
                                   kwargs={"pk": "notification"}, owner=Role.ADMIN,
                                   ok={"POST": 200}, unaudited=(NOTIFICATION,)),
    "api:notification-read-all": Route("org-api", {"POST": "view_organization"},
                                       ok={"POST": 200}, unaudited=(NOTIFICATION,)),
    # --- Signed-in, not tenant-scoped ----------------------------------------------------------
    # A member of exactly one organization is sent straight to it.
    "home":                  Route("user", {"GET": 302}),
    "profile":               Route("user", {"GET": 200, "POST": 302},
                                   data={"POST": {"name": "Renamed", "time_zone": ""}}),
    "email-preferences":     Route("user", {"POST": 302},
                                   data={"POST": {"emailed": ["programs.enrolled"]}}),
    "token-create":          Route("user", {"POST": 302}, data={"POST": {"name": "ci"}}),
    "token-revoke":          Route("user", {"POST": 302}, kwargs={"pk": "own_api_token"}),
    "api:me":                Route("user-api", {"GET": 200, "PATCH": 200},
                                   data={"PATCH": {"name": "Renamed"}}),
    "api:org-list":          Route("user-api", {"GET": 200}),
    "api:token-list":        Route("user-api", {"GET": 200, "POST": 201},
                                   data={"POST": {"name": "ci"}}),
    "api:token-detail":      Route("user-api", {"DELETE": 204}, kwargs={"pk": "own_api_token"}),
    # The invitation was sent to someone else, so accepting it is refused.
    "api:invitation-accept": Route("user-api", {"POST": 400}),
    # --- Public --------------------------------------------------------------------------------
    "healthz":               Route("public", {"GET": 200}),
    # An email's one-click unsubscribe: GET asks, POST unsubscribes; the signed token is the
    # proof, so it works signed in or not (a mail program posts without a session).
    "notification-unsubscribe": Route("public", {"GET": 200, "POST": 200},
                                      kwargs={"token": "unsubscribe_token"},
                                      unaudited=("mentorship.EmailOptOut",)),
    # The link in the email: anyone holding the token sees it. Signed in (here as a member of
    # the invitation's organization) GET goes to the organization, and POST accepts it (here
    # refused, as it was sent to another address: back to the page with a message).
    "invitation":            Route("public", {"GET": 302, "POST": 302},
                                   anon={"GET": 200, "POST": 200}),
    # The schema and its docs are public (SpectacularAPIView's default AllowAny): they describe
    # the API, they hold no tenant's data.
    "api-schema":            Route("public", {"GET": 200}),
    "api-docs":              Route("public", {"GET": 200}),
    # --- allauth (the rest: RULES) -------------------------------------------------------------
    "account_login":         Route("auth", {"GET": 302}, anon={"GET": 200}),
    "account_login_with_lockout": Route("auth", {"GET": 302}, anon={"GET": 200}),
    "account_logout":        Route("auth", {"GET": 200}, anon={"GET": 302}),
    "account_signup":        Route("auth", {"GET": 302}, anon={"GET": 200}),
    "account_email":         Route("auth", {"GET": 200}, anon={"GET": LOGIN}),
    "account_change_password": Route("auth", {"GET": 200}, anon={"GET": LOGIN}),
    "account_set_password":  Route("auth", {"GET": 302}, anon={"GET": LOGIN}),
    "account_reauthenticate": Route("auth", {"GET": 200}, anon={"GET": LOGIN}),
    "account_confirm_login_code": Route("auth", {"GET": 302}),
    # --- Django admin (the rest: RULES) --------------------------------------------------------
    "admin:login":           Route("staff-admin", {"GET": 302}, anon={"GET": 200},
                                   member={"GET": 200}),
    # GET is refused (logging out is a POST); non-staff are sent to the admin's index.
    "admin:logout":          Route("staff-admin", {"GET": 405}, anon={"GET": 302},
                                   member={"GET": 302}),
    "admin:autocomplete":    Route("staff-admin", {"GET": 403}),
    "admin:view_on_site":    Route("staff-admin", {"GET": 404}),
    "admin/(?P<url>.*)$":    Route("staff-admin", {"GET": 404}),
}
# fmt: on

# Families, for routes without a row of their own: (glob over the route's key, Route).
RULES: list[tuple[str, Route]] = [
    ("account_*", Route("auth", {"GET": 200})),
    ("admin:*", Route("staff-admin", {"GET": 200})),
    # The admin's unnamed "<object_id>/" patterns redirect to ".../change/".
    ("admin/*/<path:object_id>/", Route("staff-admin", {"GET": 302})),
]

# Which object each URL kwarg names, unless the row's ``kwargs`` says otherwise.
KWARG_DEFAULTS = {
    "org_slug": "org_slug",
    "token": "invitation_token",
    "key": "bogus_key",
    "uidb36": "bogus_uidb36",
    "object_id": "admin_object",
    "id": "admin_object",
    "content_type_id": "admin_content_type",
    "app_label": "admin_app_label",
    "url": "admin_missing_page",
}
