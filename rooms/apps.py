from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "rooms"
    verbose_name = "Rooms"

    def ready(self):
        from matching import hooks as matching

        from . import notifications  # noqa: F401 - registers what the app tells people
        from .services import rooms

        matching.matches_started.connect(rooms.open_rooms)
