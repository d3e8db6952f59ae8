"""The logic model: services, export/import, designer and diagram pages, API."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from mentorship.models import AuditLogEntry
from programs import logic_model as lm
from programs.models import Indicator, LogicModelItem, LogicModelLink
from tests.factories import IndicatorFactory, LogicModelItemFactory, ProgramFactory
from tests.urls import program_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cast):
    return ProgramFactory(organization=cast.org_a, slug="pilot", name="Pilot")


def titles(program, kind):
    return list(
        LogicModelItem.objects.filter(program=program, kind=kind)
        .order_by("position", "pk")
        .values_list("title", flat=True)
    )


def state(program):
    """Everything the logic model holds, to assert that a refused write changed nothing."""
    with scopes_disabled():
        return (
            sorted(
                LogicModelItem.objects.filter(program=program).values_list(
                    "pk", "kind", "title", "description", "position"
                )
            ),
            sorted(LogicModelLink.objects.filter(program=program).values_list("source", "target")),
            sorted(
                Indicator.objects.filter(program=program).values_list(
                    "pk", "title", "target", "position", "outcome"
                )
            ),
        )


def build(program, actor):
    """outcome ← output ← activity ← input, with one complete indicator."""
    outcome = lm.add_item(program=program, kind="outcome", title="Confidence", actor=actor)
    output = lm.add_item(program=program, kind="output", title="Plans", actor=actor)
    activity = lm.add_item(program=program, kind="activity", title="Meetings", actor=actor)
    resource = lm.add_item(program=program, kind="input", title="Mentors", actor=actor)
    lm.set_links(item=output, target_ids=[outcome.pk], actor=actor)
    lm.set_links(item=activity, target_ids=[output.pk], actor=actor)
    lm.set_links(item=resource, target_ids=[activity.pk], actor=actor)
    indicator = lm.add_indicator(
        program=program, title="Confidence change", measure="confidence_change",
        target="1.5", outcome=outcome, actor=actor,
    )  # fmt: skip
    return outcome, output, activity, resource, indicator


# --- Services ------------------------------------------------------------------------------------


def test_add_item_appends_and_audits(cast, scope_a, program):
    first = lm.add_item(program=program, kind="outcome", title=" Retention ", actor=cast.admin)
    second = lm.add_item(program=program, kind="outcome", title="Confidence", actor=cast.admin)
    assert (first.title, first.position, second.position) == ("Retention", 0, 1)
    entry = AuditLogEntry.objects.filter(action="logic_item.created").latest("pk")
    assert (entry.actor, entry.target_id, entry.data) == (
        cast.admin,
        str(second.pk),
        {"kind": "outcome"},
    )


@pytest.mark.parametrize(
    ("kind", "title", "field"),
    [("outcome", "  ", "title"), ("bogus", "Fine", "kind"), ("output", "x" * 201, "title")],
)
def test_add_item_refuses_bad_input(cast, scope_a, program, kind, title, field):
    with pytest.raises(ValidationError) as exc:
        lm.add_item(program=program, kind=kind, title=title, actor=cast.admin)
    assert field in exc.value.message_dict
    assert not LogicModelItem.objects.filter(program=program).exists()


def test_move_item_up_down_and_to_a_position(cast, scope_a, program):
    a, b, c = (
        lm.add_item(program=program, kind="activity", title=t, actor=cast.admin) for t in "ABC"
    )
    lm.move_item(item=c, direction="up", actor=cast.admin)
    assert titles(program, "activity") == ["A", "C", "B"]
    lm.move_item(item=a, direction="down", actor=cast.admin)
    assert titles(program, "activity") == ["C", "A", "B"]
    lm.move_item(item=b, position=0, actor=cast.admin)
    assert titles(program, "activity") == ["B", "C", "A"]
    moves = AuditLogEntry.objects.filter(action="logic_item.moved").count()
    lm.move_item(item=b, direction="up", actor=cast.admin)  # already at the top: a no-op
    assert titles(program, "activity") == ["B", "C", "A"]
    assert AuditLogEntry.objects.filter(action="logic_item.moved").count() == moves
    with pytest.raises(ValidationError):
        lm.move_item(item=b, direction="sideways", actor=cast.admin)


def test_set_links_replaces_and_checks_kind_and_program(cast, scope_a, program):
    outcome1 = lm.add_item(program=program, kind="outcome", title="O1", actor=cast.admin)
    outcome2 = lm.add_item(program=program, kind="outcome", title="O2", actor=cast.admin)
    output = lm.add_item(program=program, kind="output", title="Out", actor=cast.admin)
    activity = lm.add_item(program=program, kind="activity", title="Act", actor=cast.admin)
    assert lm.set_links(item=output, target_ids=[outcome1.pk, outcome2.pk], actor=cast.admin) == [
        outcome1.pk,
        outcome2.pk,
    ]
    lm.set_links(item=output, target_ids=[str(outcome2.pk)], actor=cast.admin)
    assert list(output.out_links.values_list("target", flat=True)) == [outcome2.pk]
    before = state(program)
    other = LogicModelItemFactory(program=ProgramFactory(organization=cast.org_a), kind="outcome")
    for targets in ([other.pk], [activity.pk], [outcome1.pk, activity.pk], ["x"]):
        with pytest.raises(ValidationError) as exc:
            lm.set_links(item=output, target_ids=targets, actor=cast.admin)
        assert "links" in exc.value.message_dict
    with pytest.raises(ValidationError):
        lm.set_links(item=outcome1, target_ids=[outcome2.pk], actor=cast.admin)
    assert state(program) == before


def test_link_to_another_organizations_item_is_refused(cast, program):
    foreign = LogicModelItemFactory(program=ProgramFactory(organization=cast.org_b), kind="outcome")
    with scope(organization=cast.org_a):
        output = lm.add_item(program=program, kind="output", title="Out", actor=cast.admin)
        with pytest.raises(ValidationError):
            lm.set_links(item=output, target_ids=[foreign.pk], actor=cast.admin)
    with scopes_disabled():
        assert not LogicModelLink.objects.exists()


def test_indicator_rules(cast, scope_a, program):
    outcome = lm.add_item(program=program, kind="outcome", title="O", actor=cast.admin)
    output = lm.add_item(program=program, kind="output", title="P", actor=cast.admin)
    indicator = lm.add_indicator(
        program=program, title="Sat", measure="satisfaction", target="4.25", outcome=outcome,
        actor=cast.admin,
    )  # fmt: skip
    assert (indicator.target, indicator.direction, indicator.is_complete) == (
        Decimal("4.25"),
        "at_least",
        True,
    )
    bad = [
        ({"measure": "vibes"}, "measure"),
        ({"measure": "survey_question"}, "survey_question"),
        ({"target": "lots"}, "target"),
        ({"target": "9"}, "target"),  # satisfaction is 1–5
        ({"direction": "sideways"}, "direction"),
        ({"outcome": output}, "outcome"),
        ({"title": ""}, "title"),
    ]
    for change, field in bad:
        fields = {"title": "T", "measure": "satisfaction", "target": "4", **change}
        with pytest.raises(ValidationError) as exc:
            lm.add_indicator(program=program, actor=cast.admin, **fields)
        assert field in exc.value.message_dict, change
    assert Indicator.objects.filter(program=program).count() == 1
    survey = lm.add_indicator(
        program=program, title="Q", measure="survey_question", survey_question="Ready?",
        actor=cast.admin,
    )  # fmt: skip
    assert survey.target is None and not survey.is_complete
    lm.move_indicator(indicator=survey, direction="up", actor=cast.admin)
    assert list(
        Indicator.objects.filter(program=program)
        .order_by("position")
        .values_list("title", flat=True)
    ) == ["Q", "Sat"]


def test_readiness_sentences(cast, scope_a, program):
    assert lm.missing_for_activation(program) == [
        "Add at least one outcome: the change the program should make."
    ]
    outcome, output, activity, resource, indicator = build(program, cast.admin)
    assert lm.missing_for_activation(program) == []
    lm.set_links(item=output, target_ids=[], actor=cast.admin)
    lm.set_links(item=activity, target_ids=[], actor=cast.admin)
    lm.update_indicator(
        indicator=indicator, title="Confidence change", measure="confidence_change",
        target=None, outcome=None, actor=cast.admin,
    )  # fmt: skip
    assert lm.missing_for_activation(program) == [
        "Give the outcome “Confidence” at least one indicator.",
        "Say which outcome the indicator “Confidence change” measures.",
        "Set a target for the indicator “Confidence change”.",
        "Link the output “Plans” to the outcome it serves.",
        "Link the activity “Meetings” to the output it produces.",
    ]


def test_closed_program_refuses_every_write(cast, scope_a, program):
    outcome, output, activity, resource, indicator = build(program, cast.admin)
    program.status = "closed"
    program.save()
    before = state(program)
    calls = [
        lambda: lm.add_item(program=program, kind="outcome", title="X", actor=cast.admin),
        lambda: lm.update_item(item=outcome, title="X", actor=cast.admin),
        lambda: lm.delete_item(item=outcome, actor=cast.admin),
        lambda: lm.move_item(item=outcome, direction="down", actor=cast.admin),
        lambda: lm.set_links(item=output, target_ids=[], actor=cast.admin),
        lambda: lm.add_indicator(program=program, title="X", measure="retention",
                                 actor=cast.admin),
        lambda: lm.delete_indicator(indicator=indicator, actor=cast.admin),
        lambda: lm.import_logic_model(program=program, data=lm.export_logic_model(program),
                                      actor=cast.admin),
    ]  # fmt: skip
    for call in calls:
        with pytest.raises(ValidationError, match="closed"):
            call()
    assert state(program) == before


# --- Export and import ---------------------------------------------------------------------------


def test_export_import_round_trip(cast, scope_a, program):
    build(program, cast.admin)
    lm.add_item(program=program, kind="outcome", title="Retention", actor=cast.admin)
    exported = lm.export_logic_model(program)
    assert exported["version"] == 1
    assert [i["id"] for i in exported["items"]] == [
        "outcome-1", "outcome-2", "output-1", "activity-1", "input-1",
    ]  # fmt: skip
    assert exported["links"] == [
        {"source": "output-1", "target": "outcome-1"},
        {"source": "activity-1", "target": "output-1"},
        {"source": "input-1", "target": "activity-1"},
    ]
    other = ProgramFactory(organization=cast.org_a, name="Copy")
    LogicModelItemFactory(program=other, title="Replaced")
    counts = lm.import_logic_model(program=other, data=json.loads(json.dumps(exported)),
                                   actor=cast.admin)  # fmt: skip
    assert counts == {"items": 5, "links": 3, "indicators": 1}
    again = lm.export_logic_model(other)
    assert {**again, "program": "Pilot"} == exported
    assert AuditLogEntry.objects.filter(action="logic_model.imported").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "JSON object"),
        ({"version": 2, "items": []}, "“version” must be 1"),
        ({"version": 1, "items": "nope"}, "“items” must be a list"),
        ({"version": 1, "items": [{"id": "a", "kind": "goal", "title": "x"}]}, "items[1]"),
        (
            {"version": 1, "items": [{"id": "a", "kind": "outcome", "title": "x"},
                                     {"id": "a", "kind": "outcome", "title": "y"}]},
            "used twice",
        ),
        (
            {"version": 1, "items": [{"id": "a", "kind": "outcome", "title": "x"},
                                     {"id": "b", "kind": "activity", "title": "y"}],
             "links": [{"source": "b", "target": "a"}]},
            "a activity can't link to a outcome",
        ),
        (
            {"version": 1, "items": [], "links": [{"source": "b", "target": "a"}]},
            "isn't in “items”",
        ),
        (
            {"version": 1, "items": [],
             "indicators": [{"title": "x", "measure": "retention", "outcome": "zz"}]},
            "indicators[1]",
        ),
        (
            {"version": 1, "items": [],
             "indicators": [{"title": "x", "measure": "retention", "target": "500"}]},
            "between 0 and 100",
        ),
    ],
)  # fmt: skip
def test_bad_import_writes_nothing(cast, scope_a, program, data, message):
    build(program, cast.admin)
    before = state(program)
    with pytest.raises(ValidationError) as exc:
        lm.import_logic_model(program=program, data=data, actor=cast.admin)
    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert state(program) == before


# --- Pages ---------------------------------------------------------------------------------------


url = program_urls("programs")


def test_designer_shows_columns_and_missing(client, cast, program):
    with scope(organization=cast.org_a):
        outcome = lm.add_item(program=program, kind="outcome", title="Confidence", actor=cast.admin)
        IndicatorFactory(program=program, outcome=outcome, title="No target yet", target=None)
    client.force_login(cast.admin)
    response = client.get(url("logic-model", program))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ["1. Outcomes", "2. Outputs", "3. Activities", "4. Inputs / resources",
                  "5. Indicators"]:  # fmt: skip
        assert title in html
    assert "Set a target for the indicator “No target yet”." in html
    assert "Incomplete: no target" in html
    assert "Add outcome" in html and "Move “Confidence” up" in html


def test_htmx_add_returns_the_board(client, cast, program):
    client.force_login(cast.admin)
    response = client.post(
        url("logic-item-add", program), {"kind": "outcome", "title": "Retention"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "programs/partials/_logic_board.html"
    assert 'id="logic-board"' in response.content.decode()
    assert "Retention" in response.content.decode()
    with scope(organization=cast.org_a):
        assert titles(program, "outcome") == ["Retention"]


def test_htmx_bad_input_is_400_with_the_error_and_writes_nothing(client, cast, program):
    client.force_login(cast.admin)
    response = client.post(
        url("indicator-add", program),
        {
            "title": "Satisfaction",
            "measure": "satisfaction",
            "target": "9",
            "direction": "at_least",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "the target is between 1 and 5" in response.content.decode()
    with scopes_disabled():
        assert not Indicator.objects.filter(program=program).exists()


def test_plain_post_redirects_and_edit_sets_links(client, cast, program):
    with scope(organization=cast.org_a):
        outcome = lm.add_item(program=program, kind="outcome", title="O", actor=cast.admin)
        output = lm.add_item(program=program, kind="output", title="P", actor=cast.admin)
    client.force_login(cast.admin)
    response = client.post(
        url("logic-item-edit", program, pk=output.pk),
        {"title": "Plans", "description": "", "links": [outcome.pk]},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert list(output.out_links.values_list("target", flat=True)) == [outcome.pk]
        # A link to an item of another program: 400 and nothing written (not even the title).
        foreign = LogicModelItemFactory(program=ProgramFactory(organization=cast.org_a))
    before = state(program)
    response = client.post(
        url("logic-item-edit", program, pk=output.pk),
        {"title": "Renamed", "links": [foreign.pk]},
    )
    assert response.status_code == 400
    assert "links only to a outcome of this program" in response.content.decode()
    assert state(program) == before


def test_hr_reads_but_cannot_write(client, cast, program):
    client.force_login(cast.hr)
    assert client.get(url("logic-model", program)).status_code == 200
    assert client.get(url("diagram", program)).status_code == 200
    html = client.get(url("logic-model", program)).content.decode()
    assert "Add outcome" not in html
    before = state(program)
    response = client.post(url("logic-item-add", program), {"kind": "outcome", "title": "X"})
    assert response.status_code == 403
    assert state(program) == before


def test_member_not_enrolled_and_outsider_get_404(client, cast, program):
    client.force_login(cast.member)
    assert client.get(url("logic-model", program)).status_code == 404
    assert client.get(url("diagram", program)).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url("logic-model", program)).status_code == 404


def test_closed_program_is_read_only(client, cast, program):
    with scope(organization=cast.org_a):
        build(program, cast.admin)
    program.status = "closed"
    program.save()
    client.force_login(cast.admin)
    html = client.get(url("logic-model", program)).content.decode()
    assert "read-only" in html and "Add outcome" not in html and "Edit</summary>" not in html
    before = state(program)
    response = client.post(url("logic-item-add", program), {"kind": "outcome", "title": "X"})
    assert response.status_code == 400
    assert "This program is closed" in response.content.decode()
    assert state(program) == before


def test_export_download_and_import_page(client, cast, program):
    with scope(organization=cast.org_a):
        build(program, cast.admin)
    client.force_login(cast.admin)
    response = client.get(url("logic-model-export", program))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="pilot-logic-model.json"'
    exported = json.loads(response.content)
    other = ProgramFactory(organization=cast.org_a, slug="copy", name="Copy")
    upload = SimpleUploadedFile("m.json", response.content, content_type="application/json")
    response = client.post(url("logic-model-import", other), {"file": upload})
    assert response.status_code == 302
    with scope(organization=cast.org_a):
        assert {**lm.export_logic_model(other), "program": "Pilot"} == exported
    before = state(other)
    response = client.post(url("logic-model-import", other), {"json": "{not json"})
    assert response.status_code == 400
    assert "This isn&#x27;t valid JSON: Expecting property name" in response.content.decode()
    response = client.post(url("logic-model-import", other), {"json": '{"version": 1}'})
    assert response.status_code == 400
    assert "“items” must be a list." in response.content.decode()
    assert state(other) == before


def test_diagram_draws_boxes_and_arrows(client, cast, program):
    with scope(organization=cast.org_a):
        build(program, cast.admin)
    client.force_login(cast.admin)
    html = client.get(url("diagram", program)).content.decode()
    assert html.count('class="lm-arrow"') == 3  # input→activity→output→outcome
    assert html.count("lm-arrow lm-arrow-dashed") == 1  # outcome → its indicator
    assert "Target ≥ 1.5" in html
    assert "<script" not in html.split("<main", 1)[1]


def test_designer_query_count_does_not_grow(client, cast, program):
    client.force_login(cast.admin)

    def grow(n):
        with scopes_disabled():
            outcome = LogicModelItemFactory(program=program, kind="outcome")
            for _ in range(n):
                output = LogicModelItemFactory(program=program, kind="output")
                LogicModelLink.objects.create(organization=cast.org_a, program=program,
                                              source=output, target=outcome)  # fmt: skip
                IndicatorFactory(program=program, outcome=outcome)

    def count(path):
        client.get(path)  # a second visit: the first fills what pages keep in the cache
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    api = f"/api/v1/orgs/org-a/programs/{program.slug}/logic-items/"
    grow(2)
    small = (count(url("logic-model", program)), count(api), count(url("diagram", program)))
    grow(27)
    assert (count(url("logic-model", program)), count(api), count(url("diagram", program))) == (
        small
    )


# --- API -----------------------------------------------------------------------------------------


def api_url(program, what, pk=None, suffix=""):
    base = f"/api/v1/orgs/{program.organization.slug}/programs/{program.slug}/{what}/"
    return base + (f"{pk}/" if pk else "") + suffix


def test_api_items_crud(api_client, cast, program):
    api_client.force_authenticate(cast.admin)
    response = api_client.post(
        api_url(program, "logic-items"), {"kind": "outcome", "title": "Confidence"}, format="json"
    )
    assert response.status_code == 201, response.json()
    outcome_id = response.json()["id"]
    response = api_client.post(
        api_url(program, "logic-items"),
        {"kind": "output", "title": "Plans", "links": [outcome_id]},
        format="json",
    )
    assert response.status_code == 201
    output = response.json()
    assert (output["links"], output["position"]) == ([outcome_id], 0)
    listed = api_client.get(api_url(program, "logic-items")).json()["results"]
    assert [(i["title"], i["links"]) for i in listed] == [
        ("Plans", [outcome_id]),
        ("Confidence", []),
    ] or [(i["title"], i["links"]) for i in listed] == [
        ("Confidence", []),
        ("Plans", [outcome_id]),
    ]
    response = api_client.patch(
        api_url(program, "logic-items", output["id"]), {"title": "Written plans", "links": []},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["links"]) == ("Written plans", [])
    assert api_client.delete(api_url(program, "logic-items", output["id"])).status_code == 204
    with scope(organization=cast.org_a):
        assert titles(program, "outcome") + titles(program, "output") == ["Confidence"]


def test_api_bad_input_is_400_with_field_errors(api_client, cast, program):
    api_client.force_authenticate(cast.admin)
    foreign = LogicModelItemFactory(program=ProgramFactory(organization=cast.org_a))
    before = state(program)
    for payload, field in [
        ({"kind": "goal", "title": "x"}, "kind"),
        ({"kind": "outcome"}, "title"),
        ({"kind": "output", "title": "x", "links": [foreign.pk]}, "links"),
    ]:
        response = api_client.post(api_url(program, "logic-items"), payload, format="json")
        assert response.status_code == 400, payload
        assert [e["attr"] for e in response.json()["errors"]] == [field], response.json()
    response = api_client.post(
        api_url(program, "indicators"),
        {"title": "x", "measure": "satisfaction", "target": "7", "outcome": foreign.pk},
        format="json",
    )
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["outcome"]
    assert state(program) == before


def test_api_indicators_move_export_import(api_client, cast, program):
    with scope(organization=cast.org_a):
        outcome, *_ = build(program, cast.admin)
    api_client.force_authenticate(cast.admin)
    response = api_client.post(
        api_url(program, "indicators"),
        {"title": "Satisfaction", "measure": "satisfaction", "target": "4.2",
         "outcome": outcome.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert (body["target"], body["is_complete"], body["position"]) == ("4.20", True, 1)
    response = api_client.post(
        api_url(program, "indicators", body["id"], "move/"), {"direction": "up"}, format="json"
    )
    assert (response.status_code, response.json()["position"]) == (200, 0)
    exported = api_client.get(api_url(program, "logic-model/export")).json()
    other = ProgramFactory(organization=cast.org_a, slug="copy")
    response = api_client.post(api_url(other, "logic-model/import"), exported, format="json")
    assert response.json() == {"items": 4, "links": 3, "indicators": 2}
    before = state(other)
    response = api_client.post(api_url(other, "logic-model/import"), {"items": 3}, format="json")
    assert response.status_code == 400
    assert state(other) == before


def test_api_hr_reads_member_refused(api_client, cast, program):
    api_client.force_authenticate(cast.hr)
    assert api_client.get(api_url(program, "logic-items")).status_code == 200
    response = api_client.post(
        api_url(program, "logic-items"), {"kind": "outcome", "title": "x"}, format="json"
    )
    assert response.status_code == 403
    api_client.force_authenticate(cast.member)
    assert api_client.get(api_url(program, "indicators")).status_code == 403
    api_client.force_authenticate(cast.outsider)
    assert api_client.get(api_url(program, "indicators")).status_code == 404
