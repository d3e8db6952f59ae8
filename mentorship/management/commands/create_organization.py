from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mentorship import services


class Command(BaseCommand):
    help = "Create an organization (tenant) with its first admin."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="URL name, e.g. acme (used in /o/acme/)")
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--password", help="Password for a new admin account")
        parser.add_argument("--time-zone", default="UTC")

    def handle(self, *args, slug, name, admin_email, password, time_zone, **options):
        try:
            organization = services.create_organization(
                slug=slug,
                name=name,
                admin_email=admin_email,
                admin_password=password,
                time_zone=time_zone,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {organization.name} at /o/{organization.slug}/ with admin {admin_email}."
            )
        )
