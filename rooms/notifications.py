"""What rooms tell people (kinds, recipients, keys). Delivery is the core's: never a message's
or a note's text in an email."""

from mentorship.notifications.kinds import Kind, register  # noqa: F401
from mentorship.notifications.service import notify  # noqa: F401

# --- Meetings (invitations with .ics, changes, cancellations), agreement ---
# --- Messages (batched), action items, feedback ("not a good fit" to the admins) ---
