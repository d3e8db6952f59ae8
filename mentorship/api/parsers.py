"""The JSON parser every API view uses: bounded in size and depth, and refusing text that
PostgreSQL can't store, before a view sees the data."""

import json

from django.conf import settings
from rest_framework import exceptions, parsers

from ..text import TOO_DEEP_MESSAGE, json_problem
from .exceptions import PayloadTooLarge


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise exceptions.ParseError(TOO_DEEP_MESSAGE) from None
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        if problem := json_problem(data):
            raise exceptions.ParseError(problem)
        return data
