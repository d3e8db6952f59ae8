from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self):
        from mentorship import next_steps

        from . import audit_messages  # noqa: F401 - registers the app's audit sentences
        from . import next_steps as steps

        next_steps.register(steps.steps)  # "What's next" on the organization's home
