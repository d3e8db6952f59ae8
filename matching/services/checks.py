"""Small checks the services share on values that come from forms, the API and imports."""

import math
import re


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value):
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def clean_space(text):
    return re.sub(r"\s+", " ", text).strip()
