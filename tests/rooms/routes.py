"""Security rows of rooms, pages and API (the world: ``tests/rooms/world.py``). See
``tests/security/route.py``. Room content is the pair's: ``owner="member"`` (org A's room has
the cast's member as its mentor), so admins and HR, who hold the permission, get 404 there."""

from tests.security.route import Route  # noqa: F401

# fmt: off
ROUTES: dict[str, Route] = {
    # --- Room, agreement, meetings, calendar, break-glass ---
    # --- Agenda, stage prompts, notes, action items, messages, updates, feedback ---
}
# fmt: on
