"""The API keeps its contract: schemathesis generates requests from the schema the app serves
(/api/schema/), for every operation, each case as an admin, a matched mentee and HR with a
read-only token, and checks that none is a server error and that every answer's status code, content
type and body are the ones the schema documents.

Each call runs in a savepoint that is rolled back, so every call meets the same fresh
world: the fuzzer can delete its own token or close the program under test without locking
the next example out. Path parameters are either what the fuzzer made up or a real object of
the right kind (``REAL``), so that both "not found" and the real object's answers are checked.
Seeded (derandomized) and bounded: the same cases on every run.
"""

import re

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, transaction
from django_scopes import scopes_disabled
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mentorship import services
from mentorship.models import User
from mentorship.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 12

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The coverage phase enumerates every value of every enum (600 time zones on a program): minutes
# per operation. The examples and fuzzing phases cover the contract; unexpected methods
# (OPTIONS, TRACE, …) are checked for every path by test_unexpected_methods below.
schema.config.phases.coverage.enabled = False

REAL = "__real__"
# The collection a path parameter is an id in → the world's object kind.
KINDS = {
    "members": "membership",
    "invitations": "invitation",
    "audit-log": "audit_entry",
    "tokens": "own_api_token",
    "cohorts": "cohort",
    "enrollments": "enrollment",
    "indicators": "indicator",
    "logic-items": "logic_item",
    "custom-questions": "custom_question",
    "matches": "match",
    "notifications": "notification",
    "my-requests": "mentor_request",
    "my-suggestions": "choice_suggestion",
    "profiles": "profile",
    "requests": "mentor_request",
    "runs": "run_number",
    "suggestions": "suggestion",
    "stage-prompts": "stage_prompt",
    "action-items": "action_item",
    "agenda-points": "agenda_point",
    "notes": "note",
    "meetings": "meeting",
    "roadmaps": "roadmap",
    "milestones": "milestone",
    "roadmap-template-milestones": "roadmap_template_milestone",
    "evidence": "evidence",
    "goals": "goal",
    "rooms": "room",
}
IDS = ("id", "number", "run_number", "token")  # and every "<parent>_pk" of a nested route


def is_id(name):
    return name in IDS or name.endswith("_pk")


PROGRAMS = ("pilot", "circle")  # the world's active program, and its mentee-chooses one


@schema.hook
def flatmap_path_parameters(ctx, path_parameters):
    if not path_parameters:
        return st.just(path_parameters)
    out = {name: st.just(value) for name, value in path_parameters.items()}
    if "program_slug" in out:
        out["program_slug"] = st.sampled_from(PROGRAMS)
    for name in out:
        if is_id(name):
            out[name] = st.sampled_from([path_parameters[name], REAL])
    return st.fixed_dictionaries(out)


def place_in_world(case, world):
    """Every case works in org A; ``REAL`` ids become the world's object of that kind."""
    params = case.path_parameters
    if "org_slug" in params:
        params["org_slug"] = world.cast.org_a.slug
    if params.get("program_slug") not in (None, *PROGRAMS):
        params["program_slug"] = PROGRAMS[0]
    segments = case.operation.path.strip("/").split("/")
    for name, value in params.items():
        if value == REAL:
            collection = segments[segments.index(f"{{{name}}}") - 1]
            kind = "invitation_token" if name == "token" else KINDS[collection]
            params[name] = world.objects[kind][0]


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def tokens(world):
    cast = world.cast
    with scopes_disabled():
        mentee = User.objects.get(email="matched-mentee@a.example")
    return {
        "admin": services.create_api_token(user=cast.admin, name="fuzz")[1],
        "mentee": services.create_api_token(user=mentee, name="fuzz")[1],
        "hr": services.create_api_token(user=cast.hr, name="fuzz", read_only=True)[1],
    }


@pytest.fixture
def in_process_requests():
    """Requests go straight to the WSGI app inside the test's transaction; Django's request
    signals would close that connection (the test client disconnects them the same way)."""
    pairs = [(signals.request_started, close_old_connections)]
    pairs.append((signals.request_finished, close_old_connections))
    for signal, receiver in pairs:
        signal.disconnect(receiver)
    yield
    for signal, receiver in pairs:
        signal.connect(receiver)


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_operation_keeps_its_contract(world, tokens, in_process_requests, case):
    place_in_world(case, world)
    users = list(User.objects.values_list("pk", flat=True))
    for role, token in tokens.items():
        # The throttle counts requests per user; each call starts afresh like its world.
        cache.delete_many([f"throttle_user_{pk}" for pk in users])
        try:
            with transaction.atomic():
                case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
                transaction.set_rollback(True)
        except Exception as exc:
            exc.add_note(f"as {role}")
            raise


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE"])
def test_unexpected_methods(world, tokens, api_client, method):
    """OPTIONS describes every path (singletons included) and other methods are a JSON 405,
    for every role: what the coverage phase would check, path by path."""
    paths = schema.raw_schema["paths"]
    for role, token in tokens.items():
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        for path in paths:
            url = path
            for name in re.findall(r"\{(\w+)\}", path):
                segment = "{%s}" % name  # noqa: UP031 - a literal brace pair around the name
                collection = url.split(segment)[0].rstrip("/").rsplit("/", 1)[-1]
                value = {
                    "org_slug": world.cast.org_a.slug,
                    "program_slug": PROGRAMS[0],
                    "token": world.objects["invitation_token"][0],
                }.get(name) or world.objects[KINDS[collection]][0]
                url = url.replace(segment, str(value))
            response = api_client.generic(method, url)
            assert response["Content-Type"] == "application/json", (role, method, url)
            if method == "OPTIONS":
                assert response.status_code in (200, 403, 404), (role, url, response.content)
            else:
                assert response.status_code in (403, 404, 405), (role, url, response.content)
