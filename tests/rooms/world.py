"""Rooms' part of the world: the room of each organization's live pair (``w.live_matches``,
opened by matching's hook; org A's mentor is the cast's member), with what happens in it.
``w.rooms`` (org A's, org B's) for the parts that follow."""

from django_scopes import scopes_disabled

from rooms.models import Room


def build(w):
    with scopes_disabled():
        w.rooms = tuple(Room.objects.get(match=m) for m in w.live_matches)
    objects = {"room": tuple(r.pk for r in w.rooms)}
    # --- Room, agreement, meetings, calendar, break-glass ---
    # --- Agenda, stage prompts, notes, action items, messages, updates, feedback ---
    return objects
