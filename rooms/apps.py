from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "rooms"
    verbose_name = "Rooms"

    def ready(self):
        from matching import hooks as matching

        from . import (
            audit_messages,  # noqa: F401 - how its audit entries read
            notifications,  # noqa: F401 - registers what the app tells people
        )
        from .services import meetings, rooms

        matching.matches_started.connect(rooms.open_rooms)
        matching.match_changed.connect(meetings.match_changed)

        # Agenda, stage prompts, notes, action items, messages, updates, feedback:
        from programs import hooks as programs_hooks

        from .services import prompts

        programs_hooks.program_created.connect(prompts.set_up_program)
        programs_hooks.program_closed.connect(meetings.program_closed)
