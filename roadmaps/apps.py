from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Roadmaps"

    def ready(self):
        from matching import hooks as matching
        from programs import hooks as programs

        from . import (
            audit_messages,  # noqa: F401 - registers the app's audit sentences
            defaults,
        )
        from .services import roadmaps, templates

        programs.program_created.connect(templates.set_up_program)
        programs.template_sections.connect(defaults.add_to_template)
        matching.matches_started.connect(roadmaps.start_matches)
        matching.match_changed.connect(roadmaps.match_changed)
