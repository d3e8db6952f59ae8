from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self):
        from mentorship import next_steps
        from programs import hooks as programs

        from . import (
            audit_messages,  # noqa: F401 - registers the app's audit sentences
            defaults,
            notifications,  # noqa: F401 - registers what the app tells people
            queries,
        )
        from . import next_steps as steps
        from .services import criteria

        next_steps.register(steps.steps)  # "What's next" on the organization's home
        programs.program_created.connect(criteria.set_up_program)
        programs.template_sections.connect(defaults.add_to_template)
        programs.enrollments_for_owner.connect(queries.annotate_for_owner)
        programs.open_pairs_of.connect(queries.open_matches_of)
