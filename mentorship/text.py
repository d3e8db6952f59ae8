"""Text we can store: PostgreSQL refuses NUL characters and UTF-8 has no lone surrogates, so
such text is refused at the edge (forms, query strings, JSON bodies) with a clear 400 instead of
failing deep inside a query."""

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

UNSTORABLE_MESSAGE = (
    "The text contains a character that can't be stored (a NUL character or invalid Unicode)."
)


def is_storable(value: str) -> bool:
    return _UNSTORABLE.search(value) is None


def first_unstorable(querydict):
    """The name of the first parameter of a QueryDict (query string or form post) whose name
    or value can't be stored, or None."""
    for name, values in querydict.lists():
        if not is_storable(name):
            return name
        for value in values:
            if isinstance(value, str) and not is_storable(value):
                return name
    return None


# Deeper than any document of ours needs, far below Python's recursion limit.
MAX_JSON_DEPTH = 32
TOO_DEEP_MESSAGE = f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels."


def json_problem(data):
    """What is wrong with parsed JSON that we would not store (too deep, unstorable text), or
    None. Iterative, so that it never recurses itself."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return TOO_DEEP_MESSAGE
        if isinstance(value, str):
            if not is_storable(value):
                return UNSTORABLE_MESSAGE
        elif isinstance(value, dict):
            if not all(is_storable(key) for key in value):
                return UNSTORABLE_MESSAGE
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return None
