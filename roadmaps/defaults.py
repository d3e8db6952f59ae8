"""What roadmaps ships as editable defaults: its section of each program template, and a
generic roadmap for programs made without one.

One JSON file per template in ``templates_data/``, named by the template's key, each checked on
load by the cleaner of an admin's save (`services.templates.clean_section`). The program catalog
shows them as the template's ``roadmap`` section (through `programs.hooks.template_sections`).
"""

from functools import cache
from pathlib import Path

from programs import catalog

from .services.templates import clean_section

DATA_DIR = Path(__file__).parent / "templates_data"

# A program made blank, or from a template without a roadmap section, starts with this.
GENERIC = {
    "milestones": [
        {
            "id": "agreement",
            "title": "Sign your mentoring agreement",
            "description": "Read the program's agreement together and both sign it.",
            "owner": "both",
            "required": True,
            "offset": 1,
            "unit": "weeks",
            "auto_event": "agreement_signed",
        },
        {
            "id": "first",
            "title": "Hold your first meeting",
            "description": "Get to know each other and agree how you will work together.",
            "owner": "both",
            "required": True,
            "offset": 2,
            "unit": "weeks",
            "auto_event": "first_meeting_held",
        },
        {
            "id": "goals",
            "title": "Agree your goals",
            "description": "Write down what the mentee wants to achieve and how you will know.",
            "owner": "mentee",
            "required": True,
            "after": "first",
            "offset": 2,
            "unit": "weeks",
        },
        {
            "id": "review",
            "title": "Look back on your progress",
            "description": "What worked, what to change, what comes next.",
            "owner": "both",
            "required": True,
            "after": "goals",
            "offset": 10,
            "unit": "weeks",
        },
    ]
}


@cache
def template_sections() -> dict[str, dict]:
    """Roadmaps' section of each program template, by template key, as its file holds it."""
    return {
        path.stem: catalog.load_data_file(path, clean_section)
        for path in sorted(DATA_DIR.glob("*.json"))
    }


def template_section(key):
    """The roadmap section of the template ``key``, else the generic roadmap."""
    return template_sections().get(key) or GENERIC


def add_to_template(*, key):
    """`programs.hooks.template_sections`: the template's roadmap section, if it has one."""
    section = template_sections().get(key)
    return {} if section is None else {"roadmap": section}
