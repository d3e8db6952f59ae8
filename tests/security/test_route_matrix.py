"""Tenant isolation and permissions, route by route.

Every URL pattern of the root resolver is discovered and must be classified in ``ROUTES`` (one
row per route) or by a family rule in ``RULES``; a new route left out of the table fails
``test_every_route_is_classified``. Then, for each route and each HTTP method it supports:

* tenant routes (pages under ``/o/<org_slug>/``, API under ``/api/v1/orgs/<org_slug>/``):
  anonymous → login redirect (pages) or 401 (API); a member of another organization → 404,
  exactly like an organization that does not exist, with nothing changed and no email sent;
  each role of the organization → allowed or 403 as the permission in the row says
  (``mentorship.permissions``); an object id of another organization → 404;
  a read-only API token → 403 on writes;
* every other route: what anonymous and signed-in people get (and staff, for the admin).

A row reads ``Route(kind, methods, kwargs=..., data=...)``. For tenant kinds, ``methods`` maps
each HTTP method to the permission it requires; for the others, to the status a signed-in
person gets (``anon`` overrides what an anonymous one gets when the kind's default does not
fit). URL kwargs are filled automatically (``KWARG_DEFAULTS``) or by the row's ``kwargs``,
which name an object made by the ``world`` fixture (e.g. ``{"pk": "membership"}``).
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail, signing
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from matching.models import (
    CustomQuestion,
    Match,
    MatchingSettings,
    MatchRun,
    MentorRequest,
    Profile,
    Suggestion,
)
from mentorship import services
from mentorship.models import (
    ApiToken,
    AuditLogEntry,
    Dispatch,
    Invitation,
    Membership,
    Role,
    User,
)
from mentorship.permissions import PERMISSIONS, has_perm
from programs.models import (
    AgreementTemplate,
    Cohort,
    Enrollment,
    Foundation,
    Indicator,
    LogicModelItem,
    LogicModelLink,
    Program,
)

pytestmark = pytest.mark.django_db

# What an anonymous request gets instead of a status: a redirect to the sign-in page (pages) or
# to the admin's sign-in page (admin).
LOGIN = "login"
ADMIN_LOGIN = "admin-login"

TENANT_KINDS = {"org", "org-api"}
ROLES = [Role.MEMBER, Role.HR, Role.ADMIN]


@dataclass(frozen=True)
class Route:
    """Expected access to one route.

    kind:     "org" tenant page · "org-api" tenant API · "user" signed-in page · "user-api"
              signed-in API · "public" anyone · "auth" allauth (anyone) · "staff-admin" Django
              admin (staff only).
    methods:  tenant kinds: method → permission name from mentorship/permissions.py;
              others: method → status for a signed-in person (staff, for "staff-admin").
    anon:     other kinds only: method → status for an anonymous person, where the kind's
              default (LOGIN, 401, ADMIN_LOGIN, or the same as signed-in) does not fit.
    member:   "staff-admin" only: status for a signed-in non-staff person (default ADMIN_LOGIN).
    kwargs:   URL kwarg → object kind made by ``world`` (see ``KWARG_DEFAULTS``).
    data:     method → request body (valid, so that an allowed write really writes); for GET,
              the query string.
    ok:       tenant kinds: method → status of an allowed request, where ``OK_*`` does not fit.
    """

    kind: str
    methods: Mapping[str, Any]
    kwargs: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, dict] = field(default_factory=dict)
    ok: Mapping[str, int] = field(default_factory=dict)
    anon: Mapping[str, Any] = field(default_factory=dict)
    member: Mapping[str, Any] = field(default_factory=dict)
    # Tenant kinds: the status a role without the permission gets (404 where even the
    # object's existence is private, e.g. a program the member is not enrolled in), or a
    # method → status mapping (403 for the methods it leaves out).
    denied: int | Mapping[str, int] = 403
    # Tenant kinds: False for a POST that computes without writing (e.g. a preview).
    writes: bool = True
    # Tenant kinds: the one role whose cast user the named object belongs to (e.g. the mentor
    # a request is addressed to); the other roles, though they hold the permission, get 404.
    owner: str | None = None


OK_PAGE = {"GET": 200, "POST": 302}
OK_API = {"GET": 200, "POST": 201, "PATCH": 200, "PUT": 200, "DELETE": 204}

INVITE = {"email": "new.person@example.com", "role": Role.MEMBER}
PROGRAM_SETTINGS = {
    "name": "Pilot A",
    "description": "Renamed",
    "format": "one_to_one",
    "start_date": "2027-01-04",
    "checkin_every_weeks": 2,
    "review_every_weeks": 6,
    "meeting_minutes": 45,
    "matching_mode": "admin",
    "default_mentor_capacity": 2,
}
TO_HR = {"role": Role.HR}
CARD = {"job_title": "Data engineer", "department": "Platform", "bio": "Likes maps."}
NEW_ITEM = {"kind": "outcome", "title": "Mentees stay"}
RENAMED = {"title": "Renamed", "description": "Clearer"}
DOWN = {"direction": "down"}
NEW_INDICATOR = {
    "title": "Satisfaction",
    "measure": "satisfaction",
    "target": "4.5",
    "direction": "at_least",
}
LOGIC_MODEL_DOCUMENT = {
    "format": "mentorship.logic-model",
    "version": 1,
    "items": [
        {"id": "o", "kind": "outcome", "title": "Confidence"},
        {"id": "p", "kind": "output", "title": "Plans written"},
    ],
    "links": [{"source": "p", "target": "o"}],
    "indicators": [
        {
            "title": "Confidence change",
            "measure": "confidence_change",
            "target": "1.5",
            "direction": "at_least",
            "outcome": "o",
        }
    ],
}
LOGIC_MODEL_JSON = json.dumps(LOGIC_MODEL_DOCUMENT)
# Enrolment: one participant by email; the CSV page's confirm step carries the previewed rows
# signed for org A's "pilot" (programs.enrolment.sign_rows), the API takes the CSV as text.
PARTICIPANT = {"email": "new.participant@example.com", "name": "", "role": "mentee"}
PARTICIPANT_CSV = "email,name,role,cohort\nnew.participant@example.com,New,mentee,Spring\n"
IMPORT_CONFIRM = {
    "payload": signing.dumps(
        [{"line": 2, "email": "new.participant@example.com", "name": "New", "role": "mentee",
          "cohort": "Spring"}],
        salt="programs.enrolment.import:org-a:pilot", compress=True,
    )
}  # fmt: skip

# fmt: off
# Matching: valid profile, criteria and custom-question payloads.
PROFILE_FORM = {
    "skill_name": ["Python", ""], "skill_level": ["4", "3"], "industry": "Software",
    "meeting_frequency": "weekly", "meeting_format": "remote", "time_zone": "Europe/Paris",
    "languages": "English, fr", "availability": ["9", "10"], "style_direct_supportive": "20",
    "style_structured_exploratory": "0", "style_written_spoken": "-40",
}
PROFILE_JSON = {"skills": {"sql": 2}, "languages": ["de"], "time_zone": "Europe/Vienna"}
CRITERIA_FORM = {
    "questions": ["skills", "languages", "time_zone"], "career_goal_options": "Lead\nSwitch",
    "weight_skills": "80", "weight_language": "40", "weight_time_zone": "20",
    "rule_shared_language": "on", "rule_max_tz_hours": "on", "max_tz_hours": "4",
}
MATCHING_SETTINGS = {
    "questions": ["skills", "languages"], "career_goal_options": ["Lead"],
    "weights": {"skills": 0.7, "language": 0.2}, "hard_rules": {"shared_language": True},
}
QUESTION = {"text": "Remote or office?", "kind": "single", "options": "Remote\nOffice"}
QUESTION_JSON = {"text": "Remote or office?", "kind": "multi", "options": ["Remote", "Office"]}

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
    # --- Programs: /o/<org_slug>/programs/… (world: an active "pilot", a "draft") --------------
    "programs:list":         Route("org", {"GET": "view_organization"}),
    "programs:mine":         Route("org", {"GET": "view_organization"}),
    "programs:create":       Route("org", {"GET": "manage_programs", "POST": "manage_programs"},
                                   data={"POST": {"name": "Career moves", "template": ""}}),
    # A member who is not enrolled doesn't learn that the program exists.
    "programs:detail":       Route("org", {"GET": "view_programs"}, denied=404),
    "programs:edit":         Route("org", {"GET": "manage_programs", "POST": "manage_programs"},
                                   data={"POST": PROGRAM_SETTINGS}),
    "programs:status":       Route("org", {"POST": "manage_programs"},
                                   data={"POST": {"status": "closed"}}),
    "programs:delete":       Route("org", {"POST": "manage_programs"},
                                   kwargs={"program_slug": "draft_program_slug"}),
    # A page that reads the program (`programs.web.program_permission_required`): a member who
    # may not see it gets 404 on GET, so the program's existence stays private (403 on writes).
    "programs:foundation":   Route("org", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": {"values": "Curiosity", "goals": "Grow",
                                                  "rules_of_engagement": "Be on time"}},
                                   denied={"GET": 404}),
    "programs:agreement":    Route("org", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": {"body": "We, {{ mentor_name }}, agree."}},
                                   denied={"GET": 404}),
    "programs:agreement-preview": Route("org", {"POST": "manage_programs"}, writes=False,
                                   data={"POST": {"body": "Hello {{ mentee_name }}"}},
                                   ok={"POST": 200}),
    "programs:cohorts":      Route("org", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": {"name": "Autumn", "start_date": "2027-09-01"}},
                                   denied={"GET": 404}),
    "programs:cohort-edit":  Route("org", {"POST": "manage_programs"}, kwargs={"pk": "cohort"},
                                   data={"POST": {"name": "Summer", "start_date": "2027-06-01"}}),
    "programs:cohort-delete": Route("org", {"POST": "manage_programs"}, kwargs={"pk": "cohort"}),
    # --- Logic model (world: two outcomes and two indicators in each "pilot") ------------------
    # Reads: a member who is not enrolled doesn't learn the program exists. Writes: admins only.
    "programs:logic-model":  Route("org", {"GET": "view_programs"}, denied=404),
    "programs:diagram":      Route("org", {"GET": "view_programs"}, denied=404),
    "programs:logic-model-export": Route("org", {"GET": "view_programs"}, denied=404),
    "programs:logic-model-import": Route("org", {"GET": "manage_programs",
                                                 "POST": "manage_programs"},
                                   data={"POST": {"json": LOGIC_MODEL_JSON}}),
    "programs:logic-item-add": Route("org", {"POST": "manage_programs"}, data={"POST": NEW_ITEM}),
    "programs:logic-item-edit": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "logic_item"}, data={"POST": RENAMED}),
    "programs:logic-item-delete": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "logic_item"}),
    "programs:logic-item-move": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "logic_item"}, data={"POST": DOWN}),
    "programs:indicator-add": Route("org", {"POST": "manage_programs"},
                                   data={"POST": NEW_INDICATOR}),
    "programs:indicator-edit": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "indicator"}, data={"POST": NEW_INDICATOR}),
    "programs:indicator-delete": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "indicator"}),
    "programs:indicator-move": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "indicator"}, data={"POST": DOWN}),
    "api:logic-item-list":   Route("org-api", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": NEW_ITEM}),
    "api:logic-item-detail": Route("org-api", {"GET": "view_programs", "PATCH": "manage_programs",
                                               "DELETE": "manage_programs"},
                                   kwargs={"pk": "logic_item"}, data={"PATCH": RENAMED}),
    "api:logic-item-move":   Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"pk": "logic_item"}, data={"POST": DOWN},
                                   ok={"POST": 200}),
    "api:indicator-list":    Route("org-api", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": NEW_INDICATOR}),
    "api:indicator-detail":  Route("org-api", {"GET": "view_programs", "PATCH": "manage_programs",
                                               "DELETE": "manage_programs"},
                                   kwargs={"pk": "indicator"}, data={"PATCH": RENAMED}),
    "api:indicator-move":    Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"pk": "indicator"}, data={"POST": DOWN},
                                   ok={"POST": 200}),
    "api:logic-model-export": Route("org-api", {"GET": "view_programs"}),
    "api:logic-model-import": Route("org-api", {"POST": "manage_programs"},
                                   data={"POST": LOGIC_MODEL_DOCUMENT}, ok={"POST": 200}),
    # --- Enrolment (world: an "applied" enrolment in each "pilot"; join links on) ---------------
    "programs:enrollments":  Route("org", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": PARTICIPANT}),
    "programs:enrollment-import": Route("org", {"GET": "manage_programs",
                                                "POST": "manage_programs"},
                                   data={"POST": IMPORT_CONFIRM}),
    "programs:join-link":    Route("org", {"POST": "manage_programs"},
                                   data={"POST": {"enabled": "0"}}),
    "programs:enrollment-accept": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "enrollment"}),
    "programs:enrollment-decline": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "enrollment"}),
    "programs:enrollment-withdraw": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "enrollment"}),
    # Any member may apply through an enabled join link of their organization.
    "programs:join":         Route("org", {"GET": "view_organization",
                                           "POST": "view_organization"},
                                   kwargs={"join_token": "join_token"},
                                   data={"POST": {"role": "mentee"}}),
    "api:enrollment-list":   Route("org-api", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": PARTICIPANT}),
    "api:enrollment-detail": Route("org-api", {"GET": "view_programs"},
                                   kwargs={"pk": "enrollment"}),
    "api:enrollment-accept": Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"pk": "enrollment"}, ok={"POST": 200}),
    "api:enrollment-decline": Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"pk": "enrollment"}, ok={"POST": 200}),
    "api:enrollment-withdraw": Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"pk": "enrollment"}, ok={"POST": 200}),
    "api:enrollment-import": Route("org-api", {"POST": "manage_programs"},
                                   data={"POST": {"csv": PARTICIPANT_CSV}}),
    # --- Programs API: members list the programs they are in; a program they are not in is
    # "not found" for them; its parts are for admins (write) and HR (read).
    "api:program-list":      Route("org-api", {"GET": "view_organization",
                                               "POST": "manage_programs"},
                                   data={"POST": {"name": "From the API"}}),
    "api:program-detail":    Route("org-api", {"GET": "view_programs", "PATCH": "manage_programs",
                                               "DELETE": "manage_programs"},
                                   kwargs={"program_slug": "draft_program_slug"},
                                   data={"PATCH": {"meeting_minutes": 60}}, denied={"GET": 404}),
    "api:program-status":    Route("org-api", {"POST": "manage_programs"},
                                   data={"POST": {"status": "closed"}}, ok={"POST": 200}),
    "api:program-readiness": Route("org-api", {"GET": "view_programs"}, denied=404),
    "api:program-foundation": Route("org-api", {"GET": "view_programs", "PUT": "manage_programs"},
                                   data={"PUT": {"values": "V", "goals": "G",
                                                 "rules_of_engagement": ["Be kind"]}}),
    "api:agreement-template-list": Route("org-api", {"GET": "view_programs",
                                                     "POST": "manage_programs"},
                                   data={"POST": {"body": "We agree, {{ mentee_name }}."}}),
    "api:agreement-template-current": Route("org-api", {"GET": "view_programs"}),
    "api:cohort-list":       Route("org-api", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": {"name": "Autumn", "start_date": "2027-09-01"}}),
    "api:cohort-detail":     Route("org-api", {"GET": "view_programs", "PATCH": "manage_programs",
                                               "DELETE": "manage_programs"},
                                   kwargs={"pk": "cohort"}, data={"PATCH": {"name": "Summer"}}),
    # --- Matching: /o/<org>/programs/<program>/matching/… (world: a profile and a custom
    # question in each "pilot"; the cast's admin, HR and member take part in each "circle") ---
    "matching:pool":         Route("org", {"GET": "view_programs"},
                                   denied={"GET": 404}),
    # Each person's own profile, in a program they take part in.
    "matching:profile":      Route("org", {"GET": "view_organization",
                                           "POST": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug"},
                                   data={"POST": PROFILE_FORM}),
    "matching:profile-edit": Route("org", {"GET": "view_programs", "POST": "manage_programs"},
                                   kwargs={"pk": "profile"}, data={"POST": PROFILE_FORM},
                                   denied={"GET": 404}),
    "matching:criteria":     Route("org", {"GET": "view_programs", "POST": "manage_programs"},
                                   data={"POST": CRITERIA_FORM},
                                   denied={"GET": 404}),
    # htmx: the effect of the criteria being edited on the pool; saves nothing.
    "matching:criteria-preview": Route("org", {"POST": "manage_programs"}, writes=False,
                                   data={"POST": CRITERIA_FORM}, ok={"POST": 200}),
    "matching:question-add": Route("org", {"POST": "manage_programs"}, data={"POST": QUESTION}),
    "matching:question-edit": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "custom_question"}, data={"POST": QUESTION}),
    "matching:question-delete": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "custom_question"}),
    "api:matching-pool":     Route("org-api", {"GET": "view_programs"}),
    "api:matching-settings": Route("org-api", {"GET": "view_programs", "PUT": "manage_programs"},
                                   data={"PUT": MATCHING_SETTINGS}),
    "api:custom-question-list": Route("org-api", {"GET": "view_programs",
                                                  "POST": "manage_programs"},
                                   data={"POST": QUESTION_JSON}),
    "api:custom-question-detail": Route("org-api", {"GET": "view_programs",
                                                    "PATCH": "manage_programs",
                                                    "DELETE": "manage_programs"},
                                   kwargs={"pk": "custom_question"},
                                   data={"PATCH": {"text": "Renamed?"}}),
    "api:profile-list":      Route("org-api", {"GET": "view_programs"}),
    "api:profile-detail":    Route("org-api", {"GET": "view_programs", "PUT": "manage_programs"},
                                   kwargs={"pk": "profile"}, data={"PUT": PROFILE_JSON}),
    "api:profile-me":        Route("org-api", {"GET": "view_organization",
                                               "PUT": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug"},
                                   data={"PUT": PROFILE_JSON}),
    # --- Match runs (world: in each "pilot", run 1 published with a match, run 2 done with an
    # assigned pair, its pool fingerprint current so that it can be published). Org B's runs
    # have their own numbers (7 and 8), so org A's URL with org B's number must be "not found";
    # the suggestion routes take org A's run number and org B's suggestion id.
    # POST starts a run (eager Celery: it runs at once on the pilot's pool).
    "matching:runs":         Route("org", {"GET": "view_programs", "POST": "manage_programs"},
                                   denied={"GET": 404}),
    # GET without ?a=&b= only redirects back to the list; this compares run 1 with run 2.
    "matching:run-compare":  Route("org", {"GET": "view_programs"},
                                   data={"GET": {"a": "1", "b": "2"}},
                                   denied={"GET": 404}),
    "matching:run":          Route("org", {"GET": "view_programs"},
                                   kwargs={"number": "run_number"}),
    # A run that is no longer working: 204 and HX-Refresh (htmx reloads the page).
    "matching:run-progress": Route("org", {"GET": "view_programs"},
                                   kwargs={"number": "run_number"}, ok={"GET": 204}),
    "matching:run-rerun":    Route("org", {"POST": "manage_programs"},
                                   kwargs={"number": "run_number"}),
    "matching:run-publish":  Route("org", {"POST": "manage_programs"},
                                   kwargs={"number": "run_number"}),
    # The two proposed pairs of org A's run 2 (a body with ids, hence a function of the world).
    "matching:run-swap":     Route("org", {"POST": "manage_programs"},
                                   kwargs={"number": "run_number"},
                                   data={"POST": lambda w: {"pair": w.objects["swap_pairs"][0]}}),
    "matching:suggestion-review": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "suggestion"}, data={"POST": {"action": "lock"}}),
    "api:match-run-list":    Route("org-api", {"GET": "view_programs", "POST": "manage_programs"}),
    "api:match-run-detail":  Route("org-api", {"GET": "view_programs"},
                                   kwargs={"number": "run_number"}),
    "api:match-run-rerun":   Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"number": "run_number"}),
    "api:match-run-publish": Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"number": "run_number"}, ok={"POST": 200}),
    "api:match-run-swap":    Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"number": "run_number"}, ok={"POST": 200},
                                   data={"POST": lambda w: {
                                       "first": w.objects["swap_pairs"][0][0],
                                       "second": w.objects["swap_pairs"][0][1]}}),
    "api:suggestion-list":   Route("org-api", {"GET": "view_programs"},
                                   kwargs={"run_number": "run_number"}),
    "api:suggestion-detail": Route("org-api", {"GET": "view_programs"},
                                   kwargs={"pk": "suggestion"}),
    "api:suggestion-review": Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"pk": "suggestion"}, data={"POST": {"locked": True}},
                                   ok={"POST": 200}),
    "api:match-list":        Route("org-api", {"GET": "view_programs"}),
    "api:match-detail":      Route("org-api", {"GET": "view_programs"}, kwargs={"pk": "match"}),
    # --- Published matches (world: in each pilot an active match, a paused one and a dissolved
    # one whose mentee has no other match; the circle's admin and HR are mentees, the member
    # a mentor, none matched). A rematch starts a run (eager Celery: it runs at once).
    "matching:matches":      Route("org", {"GET": "view_programs"},
                                   data={"GET": {"status": "active"}},
                                   denied={"GET": 404}),
    "matching:match-status": Route("org", {"GET": "manage_programs", "POST": "manage_programs"},
                                   kwargs={"pk": "match"},
                                   data={"GET": {"action": "end"},
                                         "POST": {"action": "dissolve", "reason": "No spark"}}),
    "matching:match-rematch": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "dissolved_match"}),
    "matching:my-match":     Route("org", {"GET": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug"}),
    "api:match-pause":       Route("org-api", {"POST": "manage_programs"}, kwargs={"pk": "match"},
                                   data={"POST": {"reason": "Parental leave"}}, ok={"POST": 200}),
    "api:match-resume":      Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"pk": "paused_match"}, ok={"POST": 200}),
    "api:match-end":         Route("org-api", {"POST": "manage_programs"}, kwargs={"pk": "match"},
                                   data={"POST": {"reason": "Goals reached"}}, ok={"POST": 200}),
    "api:match-dissolve":    Route("org-api", {"POST": "manage_programs"}, kwargs={"pk": "match"},
                                   data={"POST": {"reason": "No spark"}}, ok={"POST": 200}),
    "api:match-rematch":     Route("org-api", {"POST": "manage_programs"},
                                   kwargs={"pk": "dissolved_match"}),
    "api:my-match":          Route("org-api", {"GET": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug"}),
    # --- Mentee chooses (world: in each "circle", a run published for choosing; org A's admin
    # and HR are mentees, the member their mentor; the admin has a suggestion to request, HR an
    # open request to the member waiting for HR's answer). Each participant sees only their own:
    # the roles that are not the object's owner get 404.
    "matching:suggestions":  Route("org", {"GET": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug"}),
    "matching:suggestion-request": Route("org", {"POST": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "choice_suggestion"},
                                   data={"POST": {"message": "Hello"}}, owner=Role.ADMIN),
    "matching:my-request":   Route("org", {"POST": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "mentor_request"},
                                   data={"POST": {"action": "answer", "message": "Because"}},
                                   owner=Role.HR),
    "matching:requests":     Route("org", {"GET": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug"}),
    "matching:request-respond": Route("org", {"POST": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "mentor_request"},
                                   data={"POST": {"action": "accept"}}, owner=Role.MEMBER),
    "api:my-suggestion-list": Route("org-api", {"GET": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug"}),
    "api:my-suggestion-detail": Route("org-api", {"GET": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "choice_suggestion"}, owner=Role.ADMIN),
    "api:my-suggestion-request": Route("org-api", {"POST": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "choice_suggestion"},
                                   data={"POST": {"message": "Hello"}}, owner=Role.ADMIN),
    "api:my-request-list":   Route("org-api", {"GET": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug"}),
    "api:my-request-detail": Route("org-api", {"GET": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "mentor_request"}, owner=Role.HR),
    "api:my-request-withdraw": Route("org-api", {"POST": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "mentor_request"}, ok={"POST": 200},
                                   owner=Role.HR),
    "api:my-request-answer": Route("org-api", {"POST": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "mentor_request"}, ok={"POST": 200},
                                   data={"POST": {"message": "Because"}}, owner=Role.HR),
    "api:mentor-request-list": Route("org-api", {"GET": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug"}),
    "api:mentor-request-detail": Route("org-api", {"GET": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "mentor_request"}, owner=Role.MEMBER),
    "api:mentor-request-accept": Route("org-api", {"POST": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "mentor_request"}, ok={"POST": 200},
                                   owner=Role.MEMBER),
    "api:mentor-request-decline": Route("org-api", {"POST": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "mentor_request"}, ok={"POST": 200},
                                   owner=Role.MEMBER),
    "api:mentor-request-ask": Route("org-api", {"POST": "view_organization"},
                                   kwargs={"program_slug": "enrolled_program_slug",
                                           "pk": "mentor_request"}, ok={"POST": 200},
                                   data={"POST": {"message": "What do you hope for?"}},
                                   owner=Role.MEMBER),
    # --- Signed-in, not tenant-scoped ----------------------------------------------------------
    # A member of exactly one organization is sent straight to it.
    "home":                  Route("user", {"GET": 302}),
    "profile":               Route("user", {"GET": 200, "POST": 302},
                                   data={"POST": {"name": "Renamed", "time_zone": ""}}),
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
    # The link in the email: anyone holding the token sees it. Signed in (here as a member of
    # the invitation's organization) GET goes to the organization, and POST accepts it (here
    # refused, as it was sent to another address: back to the page with a message).
    "invitation":            Route("public", {"GET": 302, "POST": 302},
                                   anon={"GET": 200, "POST": 200}),
    # The shared join link: anyone holding the token learns what the program is; a member of
    # its organization (the signed-in person here) goes on to the page that applies.
    "program-join":          Route("public", {"GET": 302}, anon={"GET": 200},
                                   kwargs={"join_token": "join_token"}),
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
    "program_slug": "program_slug",
    "token": "invitation_token",
    "key": "bogus_key",
    "uidb36": "bogus_uidb36",
    "object_id": "admin_object",
    "id": "admin_object",
    "content_type_id": "admin_content_type",
    "app_label": "admin_app_label",
    "url": "admin_missing_page",
    # Match runs: a run's number in its program (pages say "number", the API "run_number").
    "number": "run_number",
    "run_number": "run_number",
}


# --- Discovery -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Discovered:
    key: str  # fully qualified name ("org:members"), or the route string of an unnamed pattern
    route: str  # e.g. "o/<slug:org_slug>/members/<int:pk>/role/"
    name: str | None
    kwargs: tuple[str, ...]
    callback: Callable

    def __str__(self):
        return self.key


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, route, ns)
        else:
            name = (f"{namespace}:{p.name}" if namespace else p.name) if p.name else None
            yield Discovered(
                key=name or route,
                route=route,
                name=name,
                kwargs=_kwargs(route),
                callback=p.callback,
            )


def _kwargs(route):
    return tuple(a or b for a, b in re.findall(r"\(\?P<(\w+)>|<(?:\w+:)?(\w+)>", route))


def discover_routes() -> list[Discovered]:
    return list(_walk(get_resolver().url_patterns))


DISCOVERED = discover_routes()


def classify(d: Discovered) -> Route | None:
    if d.key in ROUTES:
        return ROUTES[d.key]
    for pattern, route in RULES:
        if fnmatchcase(d.key, pattern):
            return route
    return None


def methods_of(route: Route) -> list[str]:
    """The row's methods (for DRF views, test_row_is_well_formed checks them against the view)."""
    return [m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m in route.methods]


def drf_methods(d: Discovered) -> set[str] | None:
    view_class = getattr(d.callback, "cls", None)
    if view_class is None:
        return None
    allowed = {m.upper() for m in view_class.http_method_names} - {"HEAD", "OPTIONS", "TRACE"}
    actions = getattr(d.callback, "actions", None)
    if actions is not None:  # a viewset: the router's actions, minus what the view refuses
        return {m.upper() for m in actions} & allowed
    return {m.upper() for m in allowed if hasattr(view_class, m.lower())}


CLASSIFIED = [(d, r) for d in DISCOVERED if (r := classify(d)) is not None]


def cases(kinds, *, with_objects=False, unsafe_only=False):
    """(route, method) cases of the given kinds; with_objects: only routes naming objects."""
    out = []
    for d, route in CLASSIFIED:
        if route.kind not in kinds or (with_objects and not route.kwargs):
            continue
        for method in methods_of(route):
            if unsafe_only and method == "GET":
                continue
            out.append(pytest.param(d, route, method, id=f"{d.key}-{method}"))
    return out


# --- The world: the cast plus an object of each kind in both organizations ------------------------

# The object kinds a row's kwargs may name (world.objects has a pair of each).
OBJECT_KINDS = {
    "photo_membership",
    "photo_version",
    "choice_suggestion",
    "mentor_request",
    "membership",
    "invitation",
    "audit_entry",
    "own_api_token",
    "cohort",
    "draft_program_slug",
    "logic_item",
    "indicator",
    "enrollment",
    "join_token",
    "enrolled_program_slug",
    "profile",
    "custom_question",
    "run_number",
    "suggestion",
    "match",
    "paused_match",
    "dissolved_match",
}


def url_for(d: Discovered, route: Route, world, *, foreign=()):
    """The route's URL with kwargs filled from ``world``; kwargs in ``foreign`` take org B's."""
    kwargs = {}
    for name in d.kwargs:
        kind = route.kwargs.get(name) or KWARG_DEFAULTS.get(name)
        if kind is None:
            pytest.fail(
                f"{d.key}: no value for URL kwarg {name!r}; add it to the row's kwargs= "
                f"or to KWARG_DEFAULTS in {__name__}."
            )
        if kind.startswith("admin_"):
            kwargs[name] = admin_kwarg(kind, d, world)
        else:
            kwargs[name] = world.objects[kind][1 if name in foreign else 0]
    if d.name:
        url = reverse(d.name, kwargs=kwargs)
    else:
        url = "/" + re.sub(
            r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>",
            lambda m: str(kwargs[m[1] or m[2]]),
            d.route,
        ).replace("^", "").replace("$", "")
    # (ResolverMatch.route drops the "^" of regex patterns.)
    route_of_url = resolve(url).route
    assert route_of_url == re.sub(r"(^|/)\^", r"\1", d.route), f"{url} is {route_of_url}"
    return url


def admin_kwarg(kind, d: Discovered, world):
    if kind == "admin_app_label":
        return "mentorship"
    if kind == "admin_missing_page":
        return "no-such-page/"
    if kind == "admin_content_type":
        return ContentType.objects.get_for_model(Membership).pk
    match = re.match(r"admin/(\w+)/(\w+)/", d.route)
    label = "mentorship.membership" if match is None else ".".join(match.groups())
    objects = getattr(world, "admin_objects", {})
    if label not in objects:
        pytest.fail(f"{d.key}: add a {label} object to the admin_world fixture")
    return objects[label].pk


# --- Helpers -------------------------------------------------------------------------------------


def snapshot(world):
    """Everything a request could change, to assert that a refused one changed nothing.

    Limited to the world's organizations and people: other test runs may share the database
    and commit rows of their own meanwhile (e.g. the Celery worker tests)."""
    orgs = [world.cast.org_a.pk, world.cast.org_b.pk]
    with scopes_disabled():
        return {
            "memberships": set(
                Membership.objects.filter(organization__in=orgs).values_list(
                    "pk",
                    "organization_id",
                    "user_id",
                    "role",
                    "job_title",
                    "department",
                    "bio",
                    "photo",
                )
            ),
            "invitations": set(
                Invitation.objects.filter(organization__in=orgs).values_list(
                    "pk", "organization_id", "status", "expires_at", "send_count"
                )
            ),
            "audit_log": set(
                AuditLogEntry.objects.filter(organization__in=orgs).values_list("pk", flat=True)
            ),
            "dispatches": set(
                Dispatch.objects.filter(organization__in=orgs).values_list("pk", flat=True)
            ),
            "api_tokens": set(
                ApiToken.objects.filter(user__in=world.user_ids).values_list("pk", "revoked_at")
            ),
            "programs": set(
                Program.objects.filter(organization__in=orgs).values_list(
                    "pk", "name", "status", "updated_at"
                )
            ),
            "foundations": set(
                Foundation.objects.filter(organization__in=orgs).values_list("pk", "updated_at")
            ),
            "agreement_templates": set(
                AgreementTemplate.objects.filter(organization__in=orgs).values_list("pk", flat=True)
            ),
            "logic_items": set(
                LogicModelItem.objects.filter(organization__in=orgs).values_list(
                    "pk", "kind", "title", "description", "position"
                )
            ),
            "logic_links": set(
                LogicModelLink.objects.filter(organization__in=orgs).values_list(
                    "source_id", "target_id"
                )
            ),
            "indicators": set(
                Indicator.objects.filter(organization__in=orgs).values_list(
                    "pk", "title", "measure", "target", "direction", "position", "outcome_id"
                )
            ),
            "cohorts": set(
                Cohort.objects.filter(organization__in=orgs).values_list("pk", "name", "start_date")
            ),
            "enrollments": set(
                Enrollment.objects.filter(organization__in=orgs).values_list(
                    "pk", "status", "user_id", "role", "capacity", "cohort_id"
                )
            ),
            "profiles": set(
                Profile.objects.filter(organization__in=orgs).values_list("pk", "updated_at")
            ),
            "custom_questions": {
                (q.pk, q.text, q.kind, tuple(q.options), q.position)
                for q in CustomQuestion.objects.filter(organization__in=orgs)
            },
            "matching_settings": set(
                MatchingSettings.objects.filter(organization__in=orgs).values_list(
                    "pk", "updated_at"
                )
            ),
            "match_runs": set(
                MatchRun.objects.filter(organization__in=orgs).values_list(
                    "pk", "status", "published_at"
                )
            ),
            "suggestions": set(
                Suggestion.objects.filter(organization__in=orgs).values_list(
                    "pk", "locked", "rejected"
                )
            ),
            "matches": set(
                Match.objects.filter(organization__in=orgs).values_list(
                    "pk", "status", "end_reason"
                )
            ),
            "mentor_requests": set(
                MentorRequest.objects.filter(organization__in=orgs).values_list(
                    "pk", "status", "message", "mentor_reply", "expires_at"
                )
            ),
            "users": set(
                User.objects.filter(pk__in=world.user_ids).values_list(
                    "pk", "email", "name", "time_zone", "is_active"
                )
            ),
        }


def changed(before, after):
    return sorted(k for k in before if before[k] != after[k])


def send(d, route, method, url, user=None, *, token=None, world=None):
    api = route.kind in {"org-api", "user-api"} or d.route.startswith("api/")
    client = APIClient() if api else Client()
    if user is not None:
        client.force_login(user)
    extra = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    data = route.data.get(method)
    if callable(data):  # a body naming objects of the world
        data = data(world)
    call = getattr(client, method.lower())
    if api:
        return call(url, data, format="json", **extra) if method != "GET" else call(url, **extra)
    return call(url, data or {}, **extra)


def with_query(url, route, method):
    """The URL a GET with ``data`` requests (its query string included)."""
    query = route.data.get(method) if method == "GET" else None
    return f"{url}?{urlencode(query)}" if query else url


def login_redirect(url, login_url="/accounts/login/"):
    return f"{login_url}?next={quote(url, safe='/')}"


def assert_status(response, expected, url, who):
    if expected == LOGIN:
        assert response.status_code == 302, f"{who}: {url} → {response.status_code}, not 302"
        assert response["Location"] == login_redirect(url), who
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, f"{who}: {url} → {response.status_code}, not 302"
        assert response["Location"] == login_redirect(url, reverse("admin:login")), who
    else:
        assert response.status_code == expected, (
            f"{who}: {response.request['REQUEST_METHOD']} {url} → {response.status_code}, "
            f"expected {expected}"
        )


def role_may(role, perm):
    return has_perm(Membership(role=role), perm)


@pytest.fixture
def request_and_diff(world, django_capture_on_commit_callbacks):
    """Send a request; return (response, names of what changed, emails sent). Callbacks that a
    request schedules on commit (emails) run, so a leak would show in ``mail.outbox``."""

    def run(*args, **kwargs):
        mail.outbox = []
        before = snapshot(world)
        with django_capture_on_commit_callbacks(execute=True):
            response = send(*args, world=world, **kwargs)
        return response, changed(before, snapshot(world)), list(mail.outbox)

    return run


# --- The table itself ----------------------------------------------------------------------------


def test_every_route_is_classified():
    unclassified = [d for d in DISCOVERED if classify(d) is None]
    assert not unclassified, (
        "These URL patterns are not in the security table; add a row to ROUTES (or a rule to "
        f"RULES) in {__file__} saying who may use them:\n"
        + "\n".join(f"  {d.key!r}  (/{d.route})" for d in unclassified)
    )


def test_table_has_no_stale_rows():
    keys = {d.key for d in DISCOVERED}
    stale = sorted(set(ROUTES) - keys)
    assert not stale, f"Rows for routes that no longer exist; remove them: {stale}"
    unused = [p for p, _ in RULES if not any(fnmatchcase(k, p) for k in keys)]
    assert not unused, f"Rules that match no route; remove them: {unused}"


def test_route_keys_are_unique():
    keys = [d.key for d in DISCOVERED]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


def test_the_families_are_complete():
    """The families the harness must cover are all there (so a broken discovery can't pass)."""
    keys = {d.key for d in DISCOVERED}
    for expected in [
        "home", "healthz", "org:members", "api:member-list", "api:member-detail",
        "api:invitation-resend", "api:me", "account_login", "admin:index", "api-schema",
        "api-docs",
    ]:  # fmt: skip
        assert expected in keys
    tenant = [d for d, r in CLASSIFIED if r.kind in TENANT_KINDS]
    assert all("org_slug" in d.kwargs for d in tenant)
    # …and every route with an org_slug is classified as a tenant route.
    assert {d.key for d in DISCOVERED if "org_slug" in d.kwargs} == {d.key for d in tenant}


@pytest.mark.parametrize(("d", "route"), [pytest.param(d, r, id=d.key) for d, r in CLASSIFIED])
def test_row_is_well_formed(d, route):
    assert route.kind in TENANT_KINDS | {"user", "user-api", "public", "auth", "staff-admin"}
    assert route.methods, f"{d.key}: no methods"
    for method, expected in route.methods.items():
        if route.kind in TENANT_KINDS:
            assert expected in PERMISSIONS, f"{d.key} {method}: unknown permission {expected!r}"
    for name, kind in route.kwargs.items():
        assert name in d.kwargs, f"{d.key}: kwargs names {name!r}, not in the URL"
        assert kind in OBJECT_KINDS, f"{d.key}: unknown object kind {kind!r}; see world()"
    for name in d.kwargs:
        assert name in route.kwargs or name in KWARG_DEFAULTS, (
            f"{d.key}: say which object the URL kwarg {name!r} names: Route(kwargs={{...}})"
        )
    # DRF views say which methods they answer: the row must list exactly those.
    methods = drf_methods(d)
    if methods is not None:
        assert set(route.methods) == methods, f"{d.key}: the view answers {sorted(methods)}"


# The roles each permission grants, pinned: changing permissions.py must change this too.
PERMISSION_ROLES = {
    "view_organization": {Role.ADMIN, Role.HR, Role.MEMBER},
    "view_members": {Role.ADMIN, Role.HR},
    "manage_members": {Role.ADMIN},
    "view_audit_log": {Role.ADMIN},
    "view_programs": {Role.ADMIN, Role.HR},
    "manage_programs": {Role.ADMIN},
}


def test_permission_roles_are_pinned():
    actual = {perm: {r for r in ROLES if role_may(r, perm)} for perm in PERMISSIONS}
    assert actual == PERMISSION_ROLES
    assert not has_perm(None, "view_organization")


# --- Tenant routes -------------------------------------------------------------------------------


@pytest.mark.parametrize(("d", "route", "method"), cases(TENANT_KINDS))
def test_tenant_route_anonymous(world, request_and_diff, d, route, method):
    url = url_for(d, route, world)
    response, diff, sent = request_and_diff(d, route, method, url)
    if route.kind == "org":
        assert_status(response, LOGIN, with_query(url, route, method), "anonymous")
    else:
        assert_status(response, 401, url, "anonymous")
        assert response["WWW-Authenticate"] == "Token"
    assert diff == [] and sent == []


@pytest.mark.parametrize(("d", "route", "method"), cases(TENANT_KINDS))
def test_tenant_route_outsider_gets_404(world, request_and_diff, d, route, method):
    """The admin of org B gets exactly what anyone gets for an organization that doesn't exist."""
    url = url_for(d, route, world)
    response, diff, sent = request_and_diff(d, route, method, url, world.cast.outsider)
    assert_status(response, 404, url, "outsider (admin of org B)")
    assert diff == [], f"outsider changed {diff}"
    assert sent == []
    missing = url_for_missing_org(d, route, world)
    nowhere = send(d, route, method, missing, world.cast.outsider, world=world)
    assert nowhere.status_code == 404
    assert without_csrf(response.content) == without_csrf(nowhere.content), (
        "org A's 404 differs from a missing org's: it gives the organization away"
    )


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*', rb"\1", content)


def url_for_missing_org(d, route, world):
    url = url_for(d, route, world)
    return url.replace(f"/{world.cast.org_a.slug}/", "/no-such-org/", 1)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("d", "route", "method"), cases(TENANT_KINDS))
def test_tenant_route_role(world, request_and_diff, d, route, method, role):
    cast = world.cast
    user = {Role.ADMIN: cast.admin, Role.HR: cast.hr, Role.MEMBER: cast.member}[role]
    perm = route.methods[method]
    url = url_for(d, route, world)
    response, diff, sent = request_and_diff(d, route, method, url, user)
    who = f"{role} ({perm} {'allowed' if role_may(role, perm) else 'denied'})"
    if role_may(role, perm) and route.owner not in (None, role):
        assert_status(response, 404, url, f"{who}, not the owner ({route.owner})")
        assert diff == [] and sent == []
    elif role_may(role, perm):
        ok = route.ok.get(method) or (OK_PAGE if route.kind == "org" else OK_API)[method]
        assert_status(response, ok, url, who)
        if method != "GET" and route.writes:  # a valid write really writes, and is audited
            assert "audit_log" in diff, (
                f"{who}: {method} {url} changed {diff}, wrote no audit entry"
            )
        else:
            assert diff == [] and sent == []
    else:
        denied = (
            route.denied.get(method, 403) if isinstance(route.denied, Mapping) else route.denied
        )
        assert_status(response, denied, url, who)
        assert diff == [], f"{who}: a refused request changed {diff}"
        assert sent == []


@pytest.mark.parametrize(("d", "route", "method"), cases(TENANT_KINDS, with_objects=True))
def test_tenant_route_object_of_other_org_is_404(world, request_and_diff, d, route, method):
    """Org A's admin, in org A's URL, with the id of an org B object: simply not found."""
    url = url_for(d, route, world, foreign=set(route.kwargs))
    response, diff, sent = request_and_diff(d, route, method, url, world.cast.admin)
    assert_status(response, 404, url, "org A's admin with an org B id")
    assert diff == [] and sent == []


@pytest.mark.parametrize(("d", "route", "method"), cases({"org-api"}, unsafe_only=True))
def test_read_only_token_cannot_write(world, request_and_diff, d, route, method):
    _, key = services.create_api_token(user=world.cast.admin, name="bi", read_only=True)
    url = url_for(d, route, world)
    response, diff, sent = request_and_diff(d, route, method, url, token=key)
    assert_status(response, 403, url, "admin's read-only token")
    assert diff == [] and sent == []


# --- Everything else -----------------------------------------------------------------------------

OTHER_KINDS = {"user", "user-api", "public", "auth"}


def anon_expectation(route, method):
    if method in route.anon:
        return route.anon[method]
    return {"user": LOGIN, "user-api": 401, "staff-admin": ADMIN_LOGIN}.get(
        route.kind, route.methods[method]
    )


@pytest.mark.parametrize(("d", "route", "method"), cases(OTHER_KINDS))
def test_other_route_anonymous(world, request_and_diff, d, route, method):
    url = url_for(d, route, world)
    response, diff, sent = request_and_diff(d, route, method, url)
    assert_status(response, anon_expectation(route, method), url, "anonymous")
    assert diff == [] and sent == [], f"anonymous changed {diff}"


@pytest.mark.parametrize(("d", "route", "method"), cases(OTHER_KINDS))
def test_other_route_signed_in(world, request_and_diff, d, route, method):
    url = url_for(d, route, world)
    response, _, _ = request_and_diff(d, route, method, url, world.cast.member)
    assert_status(response, route.methods[method], url, "a signed-in member")


@pytest.mark.parametrize(("d", "route", "method"), cases({"user", "user-api"}, with_objects=True))
def test_someone_elses_object_is_404(world, request_and_diff, d, route, method):
    url = url_for(d, route, world, foreign=set(route.kwargs))
    response, diff, sent = request_and_diff(d, route, method, url, world.cast.member)
    assert_status(response, 404, url, "a member with someone else's id")
    assert diff == [] and sent == []


def test_healthz_is_public_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"


# --- The Django admin: staff only ----------------------------------------------------------------


# Known application bugs (reported). Strict and tied to the exception, so the fix turns them into
# failures that say to remove the entry, and any other failure still fails.
KNOWN_BUGS = {}  # route key -> (exception, reason): strict xfails for bugs not yet fixed


def admin_cases():
    out = []
    for d, route in CLASSIFIED:
        if route.kind != "staff-admin":
            continue
        marks = []
        if d.key in KNOWN_BUGS:
            exc, reason = KNOWN_BUGS[d.key]
            marks = [pytest.mark.xfail(raises=exc, strict=True, reason=reason)]
        out.append(pytest.param(d, route, id=d.key, marks=marks))
    return out


@pytest.fixture
def admin_world(world):
    cast = world.cast
    with scopes_disabled():
        world.admin_objects = {
            "auth.group": Group.objects.create(name="Support"),
            "account.emailaddress": EmailAddress.objects.create(
                user=cast.admin, email=cast.admin.email, verified=True
            ),
            "mentorship.user": cast.admin,
            "mentorship.organization": cast.org_a,
            "mentorship.membership": cast.membership[cast.mentee2.pk],
            "mentorship.invitation": Invitation.objects.get(pk=world.objects["invitation"][0]),
            "mentorship.auditlogentry": AuditLogEntry.objects.get(
                pk=world.objects["audit_entry"][0]
            ),
            "mentorship.apitoken": ApiToken.objects.get(pk=world.objects["own_api_token"][0]),
        }
    world.staff = User.objects.create_superuser(email="staff@example.com", password=cast.password)
    return world


@pytest.mark.parametrize(("d", "route"), admin_cases())
def test_admin_route(admin_world, d, route):
    """Anonymous and org admins (not staff) are sent to the admin's sign-in; staff get in."""
    url = url_for(d, route, admin_world)
    for method, staff_status in route.methods.items():
        anon = send(d, route, method, url)
        assert_status(anon, anon_expectation(route, method), url, "anonymous")
        org_admin = send(d, route, method, url, admin_world.cast.admin)
        assert_status(org_admin, route.member.get(method, ADMIN_LOGIN), url, "org admin, not staff")
        staff = send(d, route, method, url, admin_world.staff)
        assert_status(staff, staff_status, url, "staff")
