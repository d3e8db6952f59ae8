"""Logic-model pages: the designer (htmx, five linked columns), the diagram (server-rendered
SVG), JSON export and import. Thin: ``programs.logic_model`` validates and writes.

Every write answers an htmx request with the board fragment (400 with the error shown next to
the form when the input is refused) and a plain form post with a redirect (or the page again,
400, on an error), so the designer also works without JavaScript.
"""

import json
import textwrap

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from mentorship.text import TOO_DEEP_MESSAGE, json_problem
from mentorship.web import first_error

from .. import logic_model as lm
from .. import queries, services
from ..models import Indicator, LogicModelItem
from ..permissions import can_manage_program
from ..web import program_permission_required

Kind = LogicModelItem.Kind
MAX_IMPORT_BYTES = 1_000_000

COLUMN_HELP = {
    Kind.OUTCOME: "The changes the program should make for people and the organization. "
    "Start here.",
    Kind.OUTPUT: "What the program produces that serves an outcome: plans, meetings held, "
    "reviews done.",
    Kind.ACTIVITY: "What pairs and the program team do to produce the outputs.",
    Kind.INPUT: "People, time, money and material the activities need.",
}
COLUMN_TITLES = {
    Kind.OUTCOME: "Outcomes",
    Kind.OUTPUT: "Outputs",
    Kind.ACTIVITY: "Activities",
    Kind.INPUT: "Inputs / resources",
}
LINK_VERBS = {Kind.OUTPUT: "Serves", Kind.ACTIVITY: "Produces", Kind.INPUT: "Resources"}


def _number(value):
    """80.00 → "80", 4.20 → "4.2"; None → ""."""
    return "" if value is None else f"{value.normalize():f}"


# --- The designer --------------------------------------------------------------------------------


def board_context(request, program, *, error=None):
    """Everything the board fragment shows, from three queries (whatever the model's size)."""
    model = lm.load(program)
    can_edit = can_manage_program(request.membership, program)
    columns = []
    for kind in lm.DESIGN_ORDER:
        items = model.of_kind(kind)
        target_kind = LogicModelItem.LINKS_TO.get(kind)
        choices = model.of_kind(target_kind) if target_kind else []
        for index, item in enumerate(items):
            item.form_key = f"item-{item.pk}"
            item.is_first, item.is_last = index == 0, index == len(items) - 1
            linked = set(model.targets[item.pk])
            if error and error["form"] == item.form_key:
                linked = {int(t) for t in error["links"] if str(t).isdigit()}
            item.link_choices = [(c, c.pk in linked) for c in choices]
            item.linked_titles = [model.by_id[t].title for t in model.targets[item.pk]]
            item.indicator_list = model.indicators_of.get(item.pk, [])
            item.unlinked = bool(target_kind) and not model.targets[item.pk]
        columns.append(
            {
                "kind": kind,
                "title": COLUMN_TITLES[kind],
                "singular": {Kind.INPUT: "input"}.get(kind, Kind(kind).label.lower()),
                "help": COLUMN_HELP[kind],
                "items": items,
                "add_key": f"add-{kind}",
                "link_verb": LINK_VERBS.get(kind, ""),
                "link_kind": Kind(target_kind).label.lower() if target_kind else "",
                "needs_links": kind in (Kind.OUTPUT, Kind.ACTIVITY),
            }
        )
    outcomes = model.of_kind(Kind.OUTCOME)
    for n, indicator in enumerate(model.indicators):
        indicator.form_key = f"indicator-{indicator.pk}"
        indicator.is_first, indicator.is_last = n == 0, n == len(model.indicators) - 1
        indicator.target_display = _number(indicator.target)
        indicator.outcome_title = (
            model.by_id[indicator.outcome_id].title if indicator.outcome_id in model.by_id else ""
        )
    return {
        "program": program,
        "columns": columns,
        "indicators": model.indicators,
        "outcomes": outcomes,
        "measures": Indicator.Measure.choices,
        "directions": Indicator.Direction.choices,
        "missing": services.readiness(program),
        "can_edit": can_edit,
        "error": error,
        "item_count": len(model.items),
    }


@require_GET
@program_permission_required("view_programs")
def designer(request, org_slug, program_slug):
    program = request.program
    context = board_context(request, program)
    context["active"] = "logic-model"
    return render(request, "programs/logic_model.html", context)


def _respond(request, program, call, *, form, success):
    """Run a write; answer htmx with the board, a plain post with a redirect (or the page)."""
    try:
        with transaction.atomic():
            call()
    except ValidationError as exc:
        error = {
            "form": form,
            "message": first_error(exc),
            "data": request.POST,
            "links": request.POST.getlist("links"),
        }
        context = board_context(request, program, error=error)
        if request.htmx:
            return render(request, "programs/partials/_logic_board.html", context, status=400)
        context["active"] = "logic-model"
        return render(request, "programs/logic_model.html", context, status=400)
    if request.htmx:
        return render(
            request, "programs/partials/_logic_board.html", board_context(request, program)
        )
    messages.success(request, success)
    return redirect(
        "programs:logic-model", org_slug=program.organization.slug, program_slug=program.slug
    )


@require_POST
@program_permission_required("manage_programs")
def item_add(request, org_slug, program_slug):
    program = request.program
    kind = request.POST.get("kind", "")

    def call():
        item = lm.add_item(
            program=program,
            kind=kind,
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            actor=request.user,
        )
        if request.POST.getlist("links"):
            lm.set_links(item=item, target_ids=request.POST.getlist("links"), actor=request.user)

    form = f"add-{kind}" if kind in Kind.values else "add-outcome"
    return _respond(request, program, call, form=form, success="Added.")


@require_POST
@program_permission_required("manage_programs")
def item_edit(request, org_slug, program_slug, pk):
    program = request.program
    item = queries.get_logic_item_for_member(request, program_slug, pk)

    def call():
        lm.update_item(
            item=item,
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            actor=request.user,
        )
        if item.kind in LogicModelItem.LINKS_TO:
            lm.set_links(item=item, target_ids=request.POST.getlist("links"), actor=request.user)

    return _respond(request, program, call, form=f"item-{pk}", success="Saved.")


@require_POST
@program_permission_required("manage_programs")
def item_delete(request, org_slug, program_slug, pk):
    program = request.program
    item = queries.get_logic_item_for_member(request, program_slug, pk)
    return _respond(
        request,
        program,
        lambda: lm.delete_item(item=item, actor=request.user),
        form=f"item-{pk}",
        success=f"Deleted “{item.title}”.",
    )


@require_POST
@program_permission_required("manage_programs")
def item_move(request, org_slug, program_slug, pk):
    program = request.program
    item = queries.get_logic_item_for_member(request, program_slug, pk)
    return _respond(
        request,
        program,
        lambda: lm.move_item(
            item=item, direction=request.POST.get("direction"), actor=request.user
        ),
        form=f"item-{pk}",
        success="Moved.",
    )


def _indicator_fields(request, program):
    data = request.POST
    outcome = None
    if data.get("outcome"):
        outcome = LogicModelItem.objects.filter(
            program=program,
            kind=Kind.OUTCOME,
            pk=data["outcome"] if data["outcome"].isdigit() else 0,
        ).first()
        if outcome is None:
            raise ValidationError({"outcome": "Choose an outcome of this program."})
    return {
        "title": data.get("title", ""),
        "description": data.get("description", ""),
        "measure": data.get("measure", ""),
        "target": data.get("target", "").strip() or None,
        "direction": data.get("direction", Indicator.Direction.AT_LEAST),
        "survey_question": data.get("survey_question", ""),
        "outcome": outcome,
    }


@require_POST
@program_permission_required("manage_programs")
def indicator_add(request, org_slug, program_slug):
    program = request.program
    return _respond(
        request,
        program,
        lambda: lm.add_indicator(
            program=program, actor=request.user, **_indicator_fields(request, program)
        ),
        form="add-indicator",
        success="Indicator added.",
    )


@require_POST
@program_permission_required("manage_programs")
def indicator_edit(request, org_slug, program_slug, pk):
    program = request.program
    indicator = queries.get_indicator_for_member(request, program_slug, pk)
    return _respond(
        request,
        program,
        lambda: lm.update_indicator(
            indicator=indicator, actor=request.user, **_indicator_fields(request, program)
        ),
        form=f"indicator-{pk}",
        success="Indicator saved.",
    )


@require_POST
@program_permission_required("manage_programs")
def indicator_delete(request, org_slug, program_slug, pk):
    program = request.program
    indicator = queries.get_indicator_for_member(request, program_slug, pk)
    return _respond(
        request,
        program,
        lambda: lm.delete_indicator(indicator=indicator, actor=request.user),
        form=f"indicator-{pk}",
        success=f"Deleted “{indicator.title}”.",
    )


@require_POST
@program_permission_required("manage_programs")
def indicator_move(request, org_slug, program_slug, pk):
    program = request.program
    indicator = queries.get_indicator_for_member(request, program_slug, pk)
    return _respond(
        request,
        program,
        lambda: lm.move_indicator(
            indicator=indicator, direction=request.POST.get("direction"), actor=request.user
        ),
        form=f"indicator-{pk}",
        success="Moved.",
    )


# --- The diagram ---------------------------------------------------------------------------------

BOX_W, COL_GAP, BOX_GAP, TOP, LINE_H, PAD = 210, 70, 14, 56, 16, 10
WRAP = 24
DIAGRAM_COLUMNS = [
    (Kind.INPUT, "Inputs"),
    (Kind.ACTIVITY, "Activities"),
    (Kind.OUTPUT, "Outputs"),
    (Kind.OUTCOME, "Outcomes"),
    ("indicator", "Indicators"),
]
DIRECTION_SIGNS = {Indicator.Direction.AT_LEAST: "≥", Indicator.Direction.AT_MOST: "≤"}


def _lines(text, limit=4):
    lines = textwrap.wrap(text, WRAP) or [""]
    if len(lines) > limit:
        lines = lines[:limit]
        lines[-1] = lines[-1][: WRAP - 1].rstrip() + "…"
    return lines


def diagram_layout(model):
    """Boxes and arrows for the SVG: columns read left to right (inputs → outcomes), with the
    indicators that measure each outcome on the right."""
    boxes, where = [], {}
    heights = []
    for col, (kind, _label) in enumerate(DIAGRAM_COLUMNS):
        x = col * (BOX_W + COL_GAP) + 1
        y = TOP
        entries = model.indicators if kind == "indicator" else model.of_kind(kind)
        for entry in entries:
            lines = _lines(entry.title)
            note = ""
            if kind == "indicator":
                if entry.target is None:
                    note = "Target missing"
                else:
                    sign = DIRECTION_SIGNS[entry.direction]
                    note = f"Target {sign} {_number(entry.target)}"
            height = PAD * 2 + LINE_H * (len(lines) + (1 if note else 0))
            box = {
                "kind": kind,
                "x": x,
                "y": y,
                "w": BOX_W,
                "h": height,
                "lines": [
                    {"text": line, "x": x + PAD, "y": y + PAD + LINE_H * (n + 1) - 4}
                    for n, line in enumerate(lines)
                ],
                "note": note,
                "note_y": y + PAD + LINE_H * (len(lines) + 1) - 4,
                "incomplete": kind == "indicator" and not entry.is_complete,
                "title": entry.title,
            }
            boxes.append(box)
            where[(kind == "indicator", entry.pk)] = box
            y += height + BOX_GAP
        heights.append(y)
    arrows = []

    def arrow(a, b, dashed=False):
        x1, y1 = a["x"] + a["w"], a["y"] + a["h"] / 2
        x2, y2 = b["x"] - 4, b["y"] + b["h"] / 2
        bend = COL_GAP / 2
        arrows.append(
            {
                "d": f"M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 - bend:.0f},{y2:.0f} "
                f"{x2:.0f},{y2:.0f}",
                "dashed": dashed,
            }
        )

    for item in model.items:
        for target in model.targets[item.pk]:
            arrow(where[(False, item.pk)], where[(False, target)])
    for indicator in model.indicators:
        if (False, indicator.outcome_id) in where:
            arrow(where[(False, indicator.outcome_id)], where[(True, indicator.pk)], dashed=True)
    headers = [
        {"x": col * (BOX_W + COL_GAP) + 1, "label": label}
        for col, (_kind, label) in enumerate(DIAGRAM_COLUMNS)
    ]
    width = len(DIAGRAM_COLUMNS) * (BOX_W + COL_GAP) - COL_GAP + 2
    height = max([TOP + 40, *heights]) + 4
    return {"boxes": boxes, "arrows": arrows, "headers": headers, "width": width, "height": height}


@require_GET
@program_permission_required("view_programs")
def diagram(request, org_slug, program_slug):
    program = request.program
    model = lm.load(program)
    context = {
        "program": program,
        "active": "logic-model",
        "svg": diagram_layout(model),
        "empty": not model.items,
        "missing": lm.missing_for_activation(program, model),
    }
    return render(request, "programs/logic_model_diagram.html", context)


# --- Export and import ---------------------------------------------------------------------------


@require_GET
@program_permission_required("view_programs")
def export(request, org_slug, program_slug):
    program = request.program
    data = lm.export_logic_model(program)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{program.slug}-logic-model.json"'
    return response


def _read_upload(request):
    """The JSON document from the uploaded file or the pasted text."""
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("The file is too large (at most 1 MB).")
        raw = upload.read()
    else:
        raw = request.POST.get("json", "").encode()
        if len(raw) > MAX_IMPORT_BYTES:
            raise ValidationError("The text is too large (at most 1 MB).")
    if not raw.strip():
        raise ValidationError("Choose a JSON file exported from a logic model (or paste one).")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError("The file isn't UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"This isn't valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise ValidationError(TOO_DEEP_MESSAGE) from None
    if problem := json_problem(data):
        raise ValidationError(problem)
    return data


@program_permission_required("manage_programs")
def import_view(request, org_slug, program_slug):
    program = request.program
    errors = []
    if request.method == "POST":
        try:
            data = _read_upload(request)
            counts = lm.import_logic_model(program=program, data=data, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                f"Imported {counts['items']} items, {counts['links']} links and "
                f"{counts['indicators']} indicators.",
            )
            return redirect(
                "programs:logic-model",
                org_slug=program.organization.slug,
                program_slug=program.slug,
            )
    context = {
        "program": program,
        "active": "logic-model",
        "errors": errors,
        "pasted": request.POST.get("json", ""),
    }
    return render(
        request, "programs/logic_model_import.html", context, status=400 if errors else 200
    )
