from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self):
        from . import audit_messages  # noqa: F401 - registers the app's audit sentences
