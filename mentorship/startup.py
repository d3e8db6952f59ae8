"""Checks the long-running processes (web, Celery worker and beat) make before they serve."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key():
    """Stop at startup, not at the first request, when SECRET_KEY is missing."""
    try:
        key = settings.SECRET_KEY  # Django refuses to hand out an empty key
    except ImproperlyConfigured:
        key = ""
    if not key:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
