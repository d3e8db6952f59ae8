"""Who a room's pair is, read off the room at hand (its match with both enrolments and their
users loaded, as the lookups in `queries` leave it): no queries."""


def user_ids(room) -> tuple:
    """The user ids of the room's mentor and mentee."""
    match = room.match
    return (match.mentor.user_id, match.mentee.user_id)


def names(room) -> dict:
    """User id → the name the program knows each of the pair by."""
    match = room.match
    return {
        match.mentor.user_id: match.mentor.display_name,
        match.mentee.user_id: match.mentee.display_name,
    }


def partner(room, user):
    """The other one's enrolment, for one of the pair."""
    match = room.match
    return match.mentee if match.mentor.user_id == user.pk else match.mentor


def role(room, user) -> str:
    """``"mentor"`` or ``"mentee"``: which of the pair ``user`` is."""
    return "mentor" if room.match.mentor.user_id == user.pk else "mentee"
