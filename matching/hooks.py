"""The hooks matching declares for the apps above it (see `mentorship.hooks`): each runs inside
the caller's transaction; the apps connect their receivers in ``AppConfig.ready()``."""

from mentorship.hooks import Hook

matches_started = Hook(
    "matches_started",
    """Matches became active: published from a run, or a mentor accepted a mentee's request.

    ``send(matches=[…], actor=…)`` inside the write that created them, once per write with every
    new match (publishing a run sends thousands at once: receivers write in bulk, a fixed number
    of queries). Roadmaps: each pair's goals and roadmap. Rooms: each pair's room.
    """,
)

match_changed = Hook(
    "match_changed",
    """A match was paused, resumed, ended or dissolved.

    ``send(match=…, previous=…, actor=…)`` inside the change's transaction, after the match is
    saved (``previous`` is the status it had; ``match.status`` the new one). Roadmaps: a pause
    stops the clock of the pair's open milestones, a resume shifts them by the pause's length.
    Rooms: an ended or dissolved match leaves a read-only room, its meetings still to come
    cancelled.
    """,
)
