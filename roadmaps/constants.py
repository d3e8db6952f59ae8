"""Limits and choices of roadmaps (checked by services, shown by forms)."""

TITLE_MAX = 200
DESCRIPTION_MAX = 4_000
NOTE_MAX = 4_000
GOAL_MAX = 300
REASON_MAX = 1_000
URL_MAX = 500
RESOURCES_MAX = 10
# A pair has between one and five active goals.
GOALS_MIN = 1
GOALS_MAX = 5
# A milestone is due at most this many days after the match starts (or its predecessor).
OFFSET_MAX_DAYS = 3 * 365
TARGET_MAX = 1_000
MILESTONES_MAX = 60

# Evidence files: at most this size, only these types (checked by extension and content).
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "txt": "text/plain",
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

# Things the platform records that complete a milestone by themselves.
AUTO_AGREEMENT_SIGNED = "agreement_signed"
AUTO_FIRST_MEETING_HELD = "first_meeting_held"
AUTO_EVENTS = {
    AUTO_AGREEMENT_SIGNED: "Both of you signed the agreement",
    AUTO_FIRST_MEETING_HELD: "Your first meeting was held",
}
AUTO_EVIDENCE_NOTE = "Recorded by the platform"

# Goals seeded when the mentee's profile names none.
GENERIC_GOAL = "Agree on what you want to get out of this mentoring"
