"""Limits of what people write in a room (checked by services, shown by forms)."""

MEETING_MIN_MINUTES = 10
MEETING_MAX_MINUTES = 480
LOCATION_MAX = 200
AGENDA_POINT_MAX = 300
PROMPT_MAX = 300
NOTE_MAX = 10_000
ACTION_ITEM_MAX = 300
MESSAGE_MAX = 4_000
UPDATE_MAX = 2_000
REASON_MAX = 1_000
# A break-glass opening lasts this long; a new reason opens it again.
BREAK_GLASS_HOURS = 24
# New messages: at most one email per room and recipient in this many minutes.
MESSAGE_EMAIL_MINUTES = 10
