"""Moving one row of an ordered list ("up", "down" or to a position) and saving the new order.

Logic model items and indicators, roadmap milestones, goals, agenda points and stage prompts
each keep their order in a ``position`` column. They all add at the end the same way, move the
same way (a no-op at either end, a position clamped to the list) and save only the rows whose
position changed, so the mechanics live here once; the callers keep their own locking, wording
and audit entries.
"""

from django.core.exceptions import ValidationError
from django.db.models import Max

DIRECTION_ERROR = "Move “up” or “down”, or give a position."


def next_position(rows, *, field="position") -> int:
    """Where a row added at the end of ``rows`` (a queryset: the list it joins) goes: one past
    the highest position, 0 for an empty list. Callers that must not race lock first."""
    highest = rows.aggregate(highest=Max(field))["highest"]
    return 0 if highest is None else highest + 1


def moved(ids, pk, *, direction=None, position=None, direction_error=DIRECTION_ERROR):
    """``ids`` (in their current order) after moving ``pk`` one place ``direction`` ("up" or
    "down") or to ``position`` (which wins, clamped to the list); None when nothing moves.

    A position that is not a whole number, or neither a position nor a direction, raises
    ValidationError on that field (``direction_error`` is the caller's wording)."""
    ids = list(ids)
    index = ids.index(pk)
    if position is not None:
        try:
            new_index = int(position)
        except (TypeError, ValueError):
            raise ValidationError({"position": "The position must be a whole number."}) from None
        new_index = max(0, min(new_index, len(ids) - 1))
    elif direction == "up":
        new_index = max(0, index - 1)
    elif direction == "down":
        new_index = min(len(ids) - 1, index + 1)
    else:
        raise ValidationError({"direction": direction_error})
    if new_index == index:
        return None
    ids.insert(new_index, ids.pop(index))
    return ids


def renumber(model, rows, order=None, *, field="position"):
    """Number ``rows`` 0, 1, 2… in ``order`` (their pks; by default as they stand), writing only
    the rows whose position changed, in one bulk_update (none when nothing changed; a step
    up or down rewrites two rows, not the whole list). The rows written, their positions set."""
    if order is not None:
        by_pk = {row.pk: row for row in rows}
        rows = [by_pk[pk] for pk in order]
    changed = []
    for index, row in enumerate(rows):
        if getattr(row, field) != index:
            setattr(row, field, index)
            changed.append(row)
    if changed:
        model.objects.bulk_update(changed, [field])
    return changed
