"""Demo data for the quick start. Idempotent: running it twice leaves the same data."""

import datetime

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scope

from mentorship import services
from mentorship.accounts import mark_email_verified
from mentorship.models import Membership, Organization, Role, User

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo-mentorship-2026"  # noqa: S105 - printed for people to use; demo only
DEMO_PEOPLE = [
    ("admin@example.com", "Ada Admin", Role.ADMIN),
    ("hr@example.com", "Hana Analyst", Role.HR),
    ("mentor1@example.com", "Maya Mentor", Role.MEMBER),
    ("mentor2@example.com", "Omar Mentor", Role.MEMBER),
    ("mentee1@example.com", "Eli Mentee", Role.MEMBER),
    ("mentee2@example.com", "Noor Mentee", Role.MEMBER),
]


class Command(BaseCommand):
    help = "Create (or complete) the demo organization and print its logins."

    @transaction.atomic
    def handle(self, *args, **options):
        organization = Organization.objects.filter(slug=DEMO_SLUG).first()
        if organization is None:
            organization = services.create_organization(
                slug=DEMO_SLUG,
                name="Acme Mentoring (demo)",
                time_zone="Europe/Berlin",
                admin_email=DEMO_PEOPLE[0][0],
                admin_password=DEMO_PASSWORD,
            )
        hashed = make_password(DEMO_PASSWORD)  # hashing is slow on purpose: do it once
        with scope(organization=organization):
            for email, name, role in DEMO_PEOPLE:
                user, created = User.objects.get_or_create(email=email, defaults={"name": name})
                if created or not user.has_usable_password():
                    user.password = hashed
                if user.name != name:
                    user.name = name
                user.save()
                mark_email_verified(user)
                Membership.objects.get_or_create(
                    organization=organization, user=user, defaults={"role": role}
                )
            admin = User.objects.get(email=DEMO_PEOPLE[0][0])
            program = seed_program(organization, admin)
        self.stdout.write(self.style.SUCCESS(f"Demo organization: /o/{DEMO_SLUG}/"))
        self.stdout.write(f"Demo program: /o/{DEMO_SLUG}/programs/{program.slug}/")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, name, role in DEMO_PEOPLE:
            self.stdout.write(f"  {email:<24} {Role(role).label:<14} {name}")


DEMO_PROGRAM = "Career moves 2027"
# (email, role, capacity) of the demo program's participants.
DEMO_PARTICIPANTS = [
    ("mentor1@example.com", "mentor", 2),
    ("mentor2@example.com", "mentor", 2),
    ("mentee1@example.com", "mentee", None),
    ("mentee2@example.com", "mentee", None),
]


def seed_program(organization, admin):
    """An active program from the career-transition template, with a cohort and participants."""
    from programs import enrolment
    from programs import services as program_services
    from programs.models import Program

    program = Program.objects.filter(organization=organization, name=DEMO_PROGRAM).first()
    if program is not None:
        return program
    program = program_services.create_program(
        organization=organization,
        actor=admin,
        name=DEMO_PROGRAM,
        template_key="career-transition",
        start_date=datetime.date(2027, 1, 11),
        end_date=datetime.date(2027, 7, 9),
    )
    cohort = program_services.create_cohort(
        program=program, name="Spring 2027", start_date=datetime.date(2027, 1, 11), actor=admin
    )
    for email, role, capacity in DEMO_PARTICIPANTS:
        enrolment.invite_participant(
            program=program, email=email, role=role, cohort=cohort, capacity=capacity, actor=admin
        )
    program_services.change_status(program=program, status=Program.Status.ACTIVE, actor=admin)
    return program
