"""Security rows of roadmaps, pages and API (the world: ``tests/roadmaps/world.py``). See
``tests/security/route.py``.

A program's roadmap template: admins edit it, HR reads it. A pair's roadmap page and API
detail: the pair reads everything, admins and HR the metadata (so all three roles read it).
Everything that changes a roadmap, and its evidence and goals, is the pair's: ``owner="member"``
(org A's live pair has the cast's member as its mentor), so admins and HR get 404. The pair's
own changes are their state, not the organization's: no audit entry (``unaudited``)."""

from mentorship.models import Role
from tests.security.route import Route

PAIR_MODELS = ("roadmaps.Milestone", "roadmaps.Evidence", "roadmaps.Goal", "roadmaps.GoalRating")
STEP = {
    "title": "Shadow a colleague",
    "owner": "mentee",
    "offset": "3",
    "offset_unit": "weeks",
    "after": "",
    "output": "",
    "target": "",
    "auto_event": "",
    "resources": "",
    "apply_to": "new",
    "required": "on",
}
STEP_JSON = {"title": "Shadow a colleague", "owner": "mentee", "offset": 3, "offset_unit": "weeks"}
MILESTONE = {"title": "Read a book", "owner": "both", "due_date": "2030-01-15"}
M = {"pk": "roadmap", "milestone_pk": "milestone"}
DONE = {"pk": "roadmap", "milestone_pk": "done_milestone"}
COUNTED = {"pk": "roadmap", "milestone_pk": "counted_milestone"}
GOAL = {"pk": "roadmap", "goal_pk": "goal"}
API_M = {"roadmap_pk": "roadmap", "pk": "milestone"}


def _pair(kind, methods, **kw):
    return Route(kind, methods, owner=Role.MEMBER, unaudited=PAIR_MODELS, **kw)


# fmt: off
ROUTES: dict[str, Route] = {
    # --- The program's roadmap template (world: one in each pilot) and the milestone grid ---
    "roadmaps:template":     Route("org", {"GET": "view_programs"}, denied={"GET": 404}),
    # The pilot has its template already: setting up changes nothing (and is not audited).
    "roadmaps:template-setup": Route("org", {"POST": "manage_programs"}, writes=False),
    "roadmaps:template-milestone-add": Route("org", {"POST": "manage_programs"},
                                   data={"POST": STEP}),
    "roadmaps:template-milestone": Route("org", {"GET": "manage_programs",
                                                 "POST": "manage_programs"},
                                   kwargs={"pk": "roadmap_template_milestone"},
                                   data={"POST": STEP}),
    "roadmaps:template-milestone-delete": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "roadmap_template_milestone"}),
    "roadmaps:template-milestone-move": Route("org", {"POST": "manage_programs"},
                                   kwargs={"pk": "roadmap_template_milestone"},
                                   data={"POST": {"direction": "down"}}),
    "roadmaps:grid":         Route("org", {"GET": "view_programs"}, denied={"GET": 404},
                                   data={"GET": {"late": "1"}}),
    # --- A pair's roadmap: the pair, and admins and HR (metadata) read it ---
    "roadmaps:roadmap":      Route("org", {"GET": "view_organization"}, kwargs={"pk": "roadmap"}),
    "roadmaps:milestone-add": _pair("org", {"POST": "view_organization"},
                                   kwargs={"pk": "roadmap"}, data={"POST": MILESTONE}),
    "roadmaps:milestone-edit": _pair("org", {"POST": "view_organization"}, kwargs=M,
                                   data={"POST": MILESTONE}),
    "roadmaps:milestone-start": _pair("org", {"POST": "view_organization"}, kwargs=M),
    "roadmaps:milestone-skip": _pair("org", {"POST": "view_organization"}, kwargs=M),
    "roadmaps:milestone-reopen": _pair("org", {"POST": "view_organization"}, kwargs=DONE),
    "roadmaps:milestone-complete": _pair("org", {"POST": "view_organization"}, kwargs=M,
                                   data={"POST": {"note": "Read it", "url": ""}}),
    "roadmaps:milestone-confirm": _pair("org", {"POST": "view_organization"}, kwargs=DONE),
    "roadmaps:milestone-count": _pair("org", {"POST": "view_organization"}, kwargs=COUNTED,
                                   data={"POST": {"count": "3"}}),
    "roadmaps:milestone-move": _pair("org", {"POST": "view_organization"}, kwargs=M,
                                   data={"POST": {"direction": "down"}}),
    "roadmaps:evidence-add": _pair("org", {"POST": "view_organization"}, kwargs=DONE,
                                   data={"POST": {"note": "More notes"}}),
    # The file, as a download: the pair only.
    "roadmaps:evidence-file": _pair("org", {"GET": "view_organization"},
                                   kwargs={"pk": "roadmap", "evidence_pk": "evidence"}),
    # Its author (the mentor, the cast's member) removes it.
    "roadmaps:evidence-delete": _pair("org", {"POST": "view_organization"},
                                   kwargs={"pk": "roadmap", "evidence_pk": "evidence"}),
    "roadmaps:goal-add":     _pair("org", {"POST": "view_organization"},
                                   kwargs={"pk": "roadmap"}, data={"POST": {"text": "Speak up"}}),
    "roadmaps:goal-edit":    _pair("org", {"POST": "view_organization"}, kwargs=GOAL,
                                   data={"POST": {"text": "Speak up more"}}),
    "roadmaps:goal-rate":    _pair("org", {"POST": "view_organization"}, kwargs=GOAL,
                                   data={"POST": {"progress": "3"}}),
    "roadmaps:goal-retire":  _pair("org", {"POST": "view_organization"}, kwargs=GOAL,
                                   data={"POST": {"reason": "Reached"}}),
    # --- API: the template (admins write, HR reads) ---
    "api:roadmap-template":  Route("org-api", {"GET": "view_programs"}),
    "api:roadmap-template-milestone-list": Route("org-api", {"GET": "view_programs",
                                                             "POST": "manage_programs"},
                                   data={"POST": STEP_JSON}),
    "api:roadmap-template-milestone-detail": Route("org-api", {"GET": "view_programs",
                                                               "PATCH": "manage_programs",
                                                               "DELETE": "manage_programs"},
                                   kwargs={"pk": "roadmap_template_milestone"},
                                   data={"PATCH": {"title": "Renamed", "apply_to": "live"}}),
    "api:roadmap-template-milestone-reorder": Route("org-api", {"POST": "manage_programs"},
                                   ok={"POST": 200},
                                   data={"POST": lambda w: {"order": w.objects[
                                       "roadmap_template_order"][0]}}),
    # --- API: roadmaps (a member's own; admins and HR all, metadata) ---
    "api:roadmap-list":      Route("org-api", {"GET": "view_organization"}),
    "api:roadmap-detail":    Route("org-api", {"GET": "view_organization"},
                                   kwargs={"pk": "roadmap"}),
    # --- API: the pair's milestones, evidence and goals ---
    "api:roadmap-milestone-list": _pair("org-api", {"GET": "view_organization",
                                                    "POST": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap"}, data={"POST": MILESTONE}),
    "api:roadmap-milestone-detail": _pair("org-api", {"GET": "view_organization",
                                                      "PATCH": "view_organization"},
                                   kwargs=API_M, data={"PATCH": {"title": "Renamed"}}),
    "api:roadmap-milestone-start": _pair("org-api", {"POST": "view_organization"},
                                   kwargs=API_M, ok={"POST": 200}),
    "api:roadmap-milestone-skip": _pair("org-api", {"POST": "view_organization"},
                                   kwargs=API_M, ok={"POST": 200}),
    "api:roadmap-milestone-reopen": _pair("org-api", {"POST": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap", "pk": "done_milestone"},
                                   ok={"POST": 200}),
    "api:roadmap-milestone-complete": _pair("org-api", {"POST": "view_organization"},
                                   kwargs=API_M, ok={"POST": 200},
                                   data={"POST": {"note": "Done it"}}),
    "api:roadmap-milestone-confirm": _pair("org-api", {"POST": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap", "pk": "done_milestone"},
                                   ok={"POST": 200}),
    "api:roadmap-milestone-count": _pair("org-api", {"POST": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap", "pk": "counted_milestone"},
                                   ok={"POST": 200}, data={"POST": {"count": 2}}),
    "api:roadmap-milestone-reorder": _pair("org-api", {"POST": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap"}, ok={"POST": 200},
                                   data={"POST": lambda w: {"order": w.objects[
                                       "roadmap_milestone_order"][0]}}),
    "api:roadmap-evidence-list": _pair("org-api", {"GET": "view_organization",
                                                   "POST": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap",
                                           "milestone_pk": "done_milestone"},
                                   data={"POST": {"note": "More notes"}}),
    "api:roadmap-evidence-detail": _pair("org-api", {"GET": "view_organization",
                                                     "DELETE": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap",
                                           "milestone_pk": "done_milestone", "pk": "evidence"}),
    "api:roadmap-goal-list": _pair("org-api", {"GET": "view_organization",
                                               "POST": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap"},
                                   data={"POST": {"text": "Speak up"}}),
    "api:roadmap-goal-detail": _pair("org-api", {"GET": "view_organization",
                                                 "PATCH": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap", "pk": "goal"},
                                   data={"PATCH": {"text": "Speak up more"}}),
    "api:roadmap-goal-rate": _pair("org-api", {"POST": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap", "pk": "goal"},
                                   ok={"POST": 200}, data={"POST": {"progress": 4}}),
    "api:roadmap-goal-retire": _pair("org-api", {"POST": "view_organization"},
                                   kwargs={"roadmap_pk": "roadmap", "pk": "goal"},
                                   ok={"POST": 200}, data={"POST": {"reason": "Reached"}}),
}
# fmt: on
