"""The OpenAPI schema tells the truth about errors (drf-standardized-errors, extended):

- every write can be refused by a service (a closed program, a rule of the domain): a 400
  validation error whose ``attr`` is one of the request's fields or ``non_field_errors``;
- every query parameter may be refused (a value that can't be stored, a bad filter);
- ``attr`` names a top-level input only (see ``errors.ExceptionFormatter``);
- a write whose body is too large answers 413;
- only a viewset's ``list`` is paginated and filtered.
"""

import inspect

from drf_standardized_errors.openapi import AutoSchema as BaseAutoSchema
from drf_standardized_errors.openapi_utils import (
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
from rest_framework import serializers

from .errors import NON_FIELD, ErrorResponse413Serializer

WRITES = ("PUT", "PATCH", "POST", "DELETE")


class AutoSchema(BaseAutoSchema):
    def _only_lists(self):
        """In a viewset only ``list`` paginates and filters (DRF's ListModelMixin); an action
        answering many objects (publish, swap) answers a plain array."""
        action = getattr(self.view, "action", None)
        return action is not None and action != "list"

    def _get_paginator(self):
        return None if self._only_lists() else super()._get_paginator()

    def get_filter_backends(self):
        return [] if self._only_lists() else super().get_filter_backends()

    def _query_parameter_names(self):
        return [p["name"] for p in self._get_parameters() if p["in"] == "query"]

    def _should_add_validation_error_response(self):
        return (
            self.method in WRITES
            or bool(self._query_parameter_names())
            or super()._should_add_validation_error_response()
        )

    def _should_add_error_response(self, responses, status_code):
        if status_code == "413":
            return self.method in WRITES and status_code not in responses
        return super()._should_add_error_response(responses, status_code)

    def _get_error_response_serializer(self, status_code):
        if status_code == "413":
            return ErrorResponse413Serializer
        return super()._get_error_response_serializer(status_code)

    def _determine_fields_with_error_codes(self):
        if self.method == "DELETE":
            return []
        if self.method not in WRITES:
            return super()._determine_fields_with_error_codes()
        request_serializer = self.get_request_serializer()
        # One serializer per media type (e.g. a multipart upload or JSON text): all their fields.
        candidates = (
            request_serializer.values()
            if isinstance(request_serializer, dict)
            else [request_serializer]
        )
        fields = []
        for serializer in candidates:
            if _is_serializer(serializer):
                fields += get_serializer_fields_with_error_codes(
                    get_flat_serializer_fields(serializer)
                )
        return fields

    def _get_response_bodies(self, direction="response"):
        """A view that documents a 400 body of its own (e.g. the CSV import's preview) may still
        answer the standard validation and parse errors: document both."""
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        declared = super(BaseAutoSchema, self)._get_response_bodies(direction=direction)
        own = responses.get("400")
        if "400" not in declared or not self._should_add_validation_error_response():
            return responses
        standard = self._get_response_for_code(self._get_http400_serializer(), "400")
        for media_type, body in own.get("content", {}).items():
            standard_body = standard.get("content", {}).get(media_type)
            if standard_body:
                body["schema"] = {"oneOf": [body["schema"], standard_body["schema"]]}
        return responses

    def _get_validation_error_codes_by_field(self, data_fields):
        nested = super()._get_validation_error_codes_by_field(data_fields)
        codes = {}
        for name, field_codes in nested.items():
            top = "__all__" if name == "__all__" else name.split(".")[0]
            codes.setdefault(NON_FIELD if top == "__all__" else top, set()).update(field_codes)
        for name in self._query_parameter_names():
            codes.setdefault(name, set())
        # Services check more than serializers do: any input, or the request as a whole.
        codes.setdefault(NON_FIELD, set())
        for field_codes in codes.values():
            field_codes.add("invalid")
        return codes


def _is_serializer(serializer):
    return isinstance(serializer, serializers.BaseSerializer) or (
        inspect.isclass(serializer) and issubclass(serializer, serializers.BaseSerializer)
    )
