"""What matching ships as editable defaults: its section of each program template.

A program made from a template starts with the template's profile questions, career goal
options, weights, hard rules and custom questions (`services.criteria.ensure_settings`). They
are matching's, so they live here: one JSON file per template in ``templates_data/``, named by
the template's key, each checked on load by the cleaner of an admin's save. The program catalog
shows them as the template's ``matching`` section (through `programs.hooks.template_sections`).
"""

from functools import cache
from pathlib import Path

from programs import catalog

from .services.criteria import clean_template_matching

DATA_DIR = Path(__file__).parent / "templates_data"


@cache
def template_sections() -> dict[str, dict]:
    """Matching's section of each program template, by template key, as its file holds it."""
    return {
        path.stem: catalog.load_data_file(path, clean_template_matching)
        for path in sorted(DATA_DIR.glob("*.json"))
    }


def template_section(key):
    """The matching section of the template ``key``, or None (no such template, or one without
    a section: the generic defaults apply)."""
    return template_sections().get(key)


def add_to_template(*, key):
    """`programs.hooks.template_sections`: the template's matching section, if it has one."""
    section = template_section(key)
    return {} if section is None else {"matching": section}
