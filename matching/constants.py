"""What matching promises and where each answer goes: limits on input, the profile fields each
question fills in. One place, read by services, forms, the API and the pages."""

from programs.models import Enrollment

from .models import ProfileQuestion

MIN_SCORE_MAX = 0.9  # a higher minimum fit would leave almost everyone out
MAX_SKILLS = 30
SKILL_NAME_MAX = 60
SKILL_LEVELS = (1, 5)
MAX_TZ_HOURS = (0, 12)
OPTIONS_PER_QUESTION = (2, 20)
OPTION_MAX = 100
MAX_GOAL_OPTIONS = 50
MAX_LANGUAGES = 10
SLOTS = 7 * 24
EDITABLE_STATUSES = (Enrollment.Status.ACTIVE, Enrollment.Status.APPLIED)

# The profile fields each standard question fills in.
QUESTION_FIELDS = {
    ProfileQuestion.SKILLS: ["skills"],
    ProfileQuestion.GOALS: ["industry", "career_goals", "career_goals_text"],
    ProfileQuestion.EXPERIENCE: ["years_experience"],
    ProfileQuestion.STYLE: [
        "style_direct_supportive",
        "style_structured_exploratory",
        "style_written_spoken",
    ],
    ProfileQuestion.MEETINGS: ["meeting_frequency", "meeting_format"],
    ProfileQuestion.LOCATION: ["city", "country"],
    ProfileQuestion.TIME_ZONE: ["time_zone"],
    ProfileQuestion.LANGUAGES: ["languages"],
    ProfileQuestion.AVAILABILITY: ["availability"],
    ProfileQuestion.DEPARTMENT: ["department", "manager_email"],
    ProfileQuestion.HOPES: ["hopes"],
}
FIELD_QUESTION = {f: q for q, fields in QUESTION_FIELDS.items() for f in fields}
PROFILE_FIELDS = [*FIELD_QUESTION, "custom_answers", "capacity"]
STYLE_FIELDS = QUESTION_FIELDS[ProfileQuestion.STYLE]
TEXT_LIMITS = {
    "industry": 100,
    "career_goals_text": 1000,
    "city": 100,
    "country": 100,
    "department": 100,
    "hopes": 2000,
}

ALTERNATIVES = 5  # mentors suggested per mentee (the mentee-chooses mode shows these)
