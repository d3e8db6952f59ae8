from django.core.management.base import BaseCommand, CommandError

from mentorship import services
from mentorship.models import User


class Command(BaseCommand):
    help = "Create a personal API token for a user and print its key (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="issued by operator")
        parser.add_argument("--read-only", action="store_true")

    def handle(self, *args, email, name, read_only, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with email {email}.")
        _, key = services.create_api_token(user=user, name=name, read_only=read_only)
        self.stdout.write(key)
