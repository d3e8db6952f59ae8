"""Security rows of matching: criteria and questions, profiles, match runs and suggestions,
matches and their lifecycle, and the mentee's choice, pages and API (the world:
``tests/matching/world.py``). See ``tests/security/route.py``."""

from mentorship.models import Role
from tests.security.route import Route

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
                                   kwargs={"number": "run_number"}, denied={"GET": 404}),
    # A run that is no longer working: 204 and HX-Refresh (htmx reloads the page).
    "matching:run-progress": Route("org", {"GET": "view_programs"},
                                   kwargs={"number": "run_number"}, ok={"GET": 204},
                                   denied={"GET": 404}),
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
}
# fmt: on

KWARG_DEFAULTS = {
    # Match runs: a run's number in its program (pages say "number", the API "run_number").
    "number": "run_number",
    "run_number": "run_number",
}
