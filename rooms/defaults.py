"""What rooms ship as editable defaults: the library of stage prompts.

One prompt list per stage of the relationship model (Foundation, then stages 1–6, see
`models.Stage`), in ``templates_data/stage_prompts.json``. A new program gets its own copy
(`services.prompts.copy_defaults`), which its admins then edit; the file itself never changes
at run time."""

import json
from functools import cache
from pathlib import Path

from .constants import PROMPT_MAX
from .models import Stage

DATA_FILE = Path(__file__).parent / "templates_data" / "stage_prompts.json"


@cache
def stage_prompts() -> dict[int, tuple[str, ...]]:
    """Stage → its shipped prompts, in order (checked on load: known stages, short texts)."""
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    prompts = {}
    for key, texts in raw.items():
        stage = int(key)
        if stage not in Stage.values:
            raise ValueError(f"{DATA_FILE.name}: unknown stage {key!r}")
        for text in texts:
            if not text.strip() or len(text) > PROMPT_MAX:
                raise ValueError(f"{DATA_FILE.name}: prompt too long or empty: {text[:40]!r}")
        prompts[stage] = tuple(texts)
    missing = set(Stage.values) - set(prompts)
    if missing:
        raise ValueError(f"{DATA_FILE.name}: no prompts for stages {sorted(missing)}")
    return prompts
