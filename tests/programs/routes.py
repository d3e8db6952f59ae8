"""Security rows of programs: programs, their foundation and agreement, cohorts, the logic model
and enrolment, pages and API (the world: ``tests/programs/world.py``). See
``tests/security/route.py``."""

import json

from django.core import signing

from tests.security.route import Route

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
ROUTES: dict[str, Route] = {
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
                                   data={"POST": PARTICIPANT}, denied={"GET": 404}),
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
    # --- Public --------------------------------------------------------------------------------
    # The shared join link: anyone holding the token learns what the program is; a member of
    # its organization (the signed-in person here) goes on to the page that applies.
    "program-join":          Route("public", {"GET": 302}, anon={"GET": 200},
                                   kwargs={"join_token": "join_token"}),
}
# fmt: on

KWARG_DEFAULTS = {"program_slug": "program_slug"}
