"""API exceptions of our own (importable from settings-loaded classes: no DRF views here)."""

from django.conf import settings
from rest_framework import exceptions


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "payload_too_large"

    @property
    def default_detail(self):
        return too_large_detail()


def too_large_detail():
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return f"The request body is larger than the limit of {limit:g} MB."
