"""How the API answers what goes wrong: one envelope (drf-standardized-errors) for every error,
from DRF views and from Django alike (unknown URLs, oversized bodies, server errors)."""

from django.core.exceptions import RequestDataTooBig
from drf_standardized_errors.formatter import ExceptionFormatter as BaseFormatter
from drf_standardized_errors.handler import ExceptionHandler as BaseHandler
from drf_standardized_errors.types import VALIDATION_ERROR
from rest_framework import serializers
from rest_framework.settings import api_settings

from .exceptions import PayloadTooLarge

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


class ExceptionHandler(BaseHandler):
    def convert_known_exceptions(self, exc):
        if isinstance(exc, RequestDataTooBig):
            return PayloadTooLarge()
        return super().convert_known_exceptions(exc)


class ExceptionFormatter(BaseFormatter):
    """Every validation error names a top-level input (a field, a query parameter or
    ``non_field_errors``), exactly as the schema lists them; where the problem is inside a list
    or an object, the detail says where ("Item 2: …")."""

    def get_errors(self):
        errors = super().get_errors()
        if self.get_error_type() != VALIDATION_ERROR:
            return errors
        for error in errors:
            attr = error.attr
            if attr in (None, "__all__"):
                error.attr = NON_FIELD
                continue
            top, dot, rest = attr.partition(".")
            if dot:  # a dict key may be empty: "weights." is the key "" of weights
                error.attr = top
                error.detail = f"{_describe(rest)}: {error.detail}"
        return errors


def _describe(path):
    parts = []
    for part in path.split("."):
        parts.append(f"item {int(part) + 1}" if part.isdigit() else f"“{part}”")
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


def envelope(code, detail, *, type="client_error", attr=None):
    return {"type": type, "errors": [{"code": code, "detail": str(detail), "attr": attr}]}


class Error413Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[("payload_too_large", "payload_too_large")])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse413Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[("client_error", "client_error")])
    errors = Error413Serializer(many=True)
