"""``{% avatar card name %}``: a person's photo, or a circle with their initials."""

from django import template

from .. import people

register = template.Library()

SIZES = {"sm": 32, "md": 48, "lg": 96}


@register.inclusion_tag("partials/_avatar.html")
def avatar(card, name="", size="md"):
    """``card``: the person's membership in the organization shown (or None, e.g. for someone
    invited who has no account yet); ``name``: how the page names them."""
    card = card or None  # a missing attribute in a template is ""
    name = name or (card.user.display_name if card is not None else "")
    return {
        "photo_url": card.photo_url if card is not None else "",
        "initials": people.initials(name),
        "colour": people.avatar_colour(card.user_id if card is not None else name),
        "size": size if size in SIZES else "md",
        "pixels": SIZES.get(size, SIZES["md"]),
    }


@register.inclusion_tag("partials/_person_card.html")
def about(card, folded=False):
    """Job title · department, and the bio (``folded``: under an "About" summary, for tables):
    what a person wants to know about the other."""
    return {"card": card or None, "folded": folded}
