"""`mentorship.ordering`: the one way a list adds a row at its end, moves a row (up, down, to a
position) and saves it."""

import pytest
from django.core.exceptions import ValidationError

from mentorship.ordering import moved, next_position, renumber
from programs.models import LogicModelItem
from tests.factories import LogicModelItemFactory, ProgramFactory

IDS = [10, 20, 30, 40]


def test_up_and_down_move_one_place():
    assert moved(IDS, 30, direction="up") == [10, 30, 20, 40]
    assert moved(IDS, 20, direction="down") == [10, 30, 20, 40]


def test_up_at_the_top_and_down_at_the_bottom_move_nothing():
    assert moved(IDS, 10, direction="up") is None
    assert moved(IDS, 40, direction="down") is None
    assert moved([10], 10, direction="down") is None


def test_a_position_wins_over_the_direction_and_is_clamped_to_the_list():
    assert moved(IDS, 40, position=1, direction="down") == [10, 40, 20, 30]
    assert moved(IDS, 10, position="2") == [20, 30, 10, 40]
    assert moved(IDS, 10, position=99) == [20, 30, 40, 10]
    assert moved(IDS, 30, position=-5) == [30, 10, 20, 40]
    assert moved(IDS, 30, position=2) is None


def test_the_ids_given_are_left_as_they_were():
    ids = list(IDS)
    moved(ids, 30, direction="up")
    assert ids == IDS


@pytest.mark.parametrize("position", ["first", "1.5", [1], object()])
def test_a_position_that_is_no_whole_number_is_refused(position):
    with pytest.raises(ValidationError) as exc:
        moved(IDS, 20, position=position)
    assert exc.value.message_dict == {"position": ["The position must be a whole number."]}


@pytest.mark.parametrize("direction", [None, "", "sideways", "UP"])
def test_neither_up_nor_down_is_refused_in_the_callers_words(direction):
    with pytest.raises(ValidationError) as exc:
        moved(IDS, 20, direction=direction)
    assert exc.value.message_dict == {"direction": ["Move “up” or “down”, or give a position."]}
    with pytest.raises(ValidationError) as exc:
        moved(IDS, 20, direction=direction, direction_error="Move a point “up” or “down”.")
    assert exc.value.message_dict == {"direction": ["Move a point “up” or “down”."]}


# --- renumber: one bulk_update of the rows whose position changed ---------------------------------


@pytest.fixture
def items(cast, scope_a):
    program = ProgramFactory(organization=cast.org_a)
    return [
        LogicModelItemFactory(program=program, position=n, title=t) for n, t in enumerate("ABCD")
    ]


def _stored(items):
    rows = LogicModelItem.objects.filter(pk__in=[i.pk for i in items]).order_by("position", "pk")
    return [(i.title, i.position) for i in rows]


def test_a_step_writes_only_the_two_rows_that_swapped(items, django_assert_num_queries):
    order = moved([i.pk for i in items], items[2].pk, direction="up")
    with django_assert_num_queries(1):
        written = renumber(LogicModelItem, items, order)
    assert [i.title for i in written] == ["C", "B"]
    assert _stored(items) == [("A", 0), ("C", 1), ("B", 2), ("D", 3)]
    assert [(i.title, i.position) for i in items] == [("A", 0), ("B", 2), ("C", 1), ("D", 3)]


def test_a_position_writes_the_rows_between_and_nothing_else(items, django_assert_num_queries):
    order = moved([i.pk for i in items], items[0].pk, position=2)
    with django_assert_num_queries(1):
        written = renumber(LogicModelItem, items, order)
    assert [i.title for i in written] == ["B", "C", "A"]
    assert _stored(items) == [("B", 0), ("C", 1), ("A", 2), ("D", 3)]


def test_an_order_already_numbered_writes_nothing(items, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert renumber(LogicModelItem, items) == []
        assert renumber(LogicModelItem, items, [i.pk for i in items]) == []
        assert renumber(LogicModelItem, []) == []


def test_gaps_are_closed_in_the_order_the_rows_stand(items, django_assert_num_queries):
    LogicModelItem.objects.filter(pk__in=[items[2].pk, items[3].pk]).update(position=7)
    items[2].position = items[3].position = 7
    with django_assert_num_queries(1):
        written = renumber(LogicModelItem, items)
    assert [i.title for i in written] == ["C", "D"]
    assert _stored(items) == [("A", 0), ("B", 1), ("C", 2), ("D", 3)]


# --- next_position: where a row added at the end goes -------------------------------------------


def test_a_new_row_goes_one_past_the_highest_and_an_empty_list_starts_at_0(items):
    program = items[0].program
    rows = LogicModelItem.objects.filter(program=program)
    assert next_position(rows) == 4
    LogicModelItem.objects.filter(pk=items[3].pk).update(position=9)  # a gap is kept, not filled
    assert next_position(rows) == 10
    assert next_position(rows.filter(title="none such")) == 0
