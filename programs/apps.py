from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self):
        from . import audit_messages  # noqa: F401 - registers the app's audit sentences
