"""What each of our apps adds to the shared test machinery: ``tests/<app>/<part>.py``.

The security table collects each app's ``routes`` and the world each app's ``world``, in the
order of ``INSTALLED_APPS`` (lower layers first), so a new app only adds its own files.
"""

import importlib
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.conf import settings


def project_apps() -> list[str]:
    """Our apps (mentorship, programs, matching, …), lower layers first."""
    return [c.name for c in apps.get_app_configs() if Path(c.path).parent == settings.BASE_DIR]


def app_parts(part: str) -> dict[str, ModuleType]:
    """App name → its ``tests.<app>.<part>`` module, for the apps that have one."""
    found = {}
    for app in project_apps():
        name = f"tests.{app}.{part}"
        try:
            found[app] = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name not in (name, f"tests.{app}"):  # a broken import inside the part
                raise
    return found
