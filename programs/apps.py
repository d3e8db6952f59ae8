from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self):
        from mentorship import hooks, next_steps

        from . import (
            audit_messages,  # noqa: F401 - registers the app's audit sentences
            notifications,  # noqa: F401 - registers what the app tells people
            queries,
        )
        from . import next_steps as steps
        from .enrolment import link_invited_enrollments

        next_steps.register(steps.steps)  # "What's next" on the organization's home
        hooks.member_joined.connect(link_invited_enrollments)
        hooks.org_home.connect(queries.org_home_section)
