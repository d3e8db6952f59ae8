from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Mentorship"

    def ready(self):
        from . import audit_messages  # noqa: F401 - registers the core's audit sentences
