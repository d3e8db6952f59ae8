"""What the navigation bar shows of rooms: whether the member takes part in any (the links to
"My mentoring" and "My action items" show only then) and their unread messages."""

from django import template

from .. import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def rooms_nav(context) -> dict:
    """``{"rooms": how many rooms the member is in, "unread": unread messages in them}`` for
    the current member (one query; nothing outside an organization)."""
    membership = context.get("membership")
    if membership is None or getattr(membership, "pk", None) is None:
        return {"rooms": 0, "unread": 0}
    return queries.nav_counts(membership)
