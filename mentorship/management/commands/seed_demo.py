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

# How the demo organization's people see each other: email → (job title, department, bio).
DEMO_CARDS = {
    "admin@example.com": ("People programs lead", "People team", "I run our mentoring programs."),
    "hr@example.com": ("HR analyst", "People analytics", ""),
    "mentor1@example.com": (
        "Head of Product", "Product",
        "Fifteen years in software, the last eight leading product teams. I like helping new "
        "managers find their own way of leading.",
    ),
    "mentor2@example.com": (
        "Lead data scientist", "Risk",
        "Moved from banking into data science; happy to talk career changes, Python and "
        "negotiating a new role.",
    ),
    "mentee1@example.com": (
        "Senior engineer", "Engineering", "Hoping to lead my first team within a year.",
    ),
    "mentee2@example.com": (
        "Store operations manager", "Operations", "Learning Python on the side, aiming for data.",
    ),
}  # fmt: skip


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
                membership, _ = Membership.objects.get_or_create(
                    organization=organization, user=user, defaults={"role": role}
                )
                seed_card(membership, user)
            admin = User.objects.get(email=DEMO_PEOPLE[0][0])
            program = seed_program(organization, admin)
        self.stdout.write(self.style.SUCCESS(f"Demo organization: /o/{DEMO_SLUG}/"))
        self.stdout.write(f"Demo program: /o/{DEMO_SLUG}/programs/{program.slug}/")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, name, role in DEMO_PEOPLE:
            self.stdout.write(f"  {email:<24} {Role(role).label:<14} {name}")


def seed_card(membership, user):
    """The person's job title, department and bio, unless they already wrote some."""
    card = DEMO_CARDS.get(user.email)
    if card is None or membership.job_title or membership.department or membership.bio:
        return
    job_title, department, bio = card
    services.update_member_card(
        membership=membership, actor=user, job_title=job_title, department=department, bio=bio
    )


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
        seed_matching(program, admin)
        seed_matches(program, admin)
        seed_rooms(program)
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
    program = program_services.change_status(
        program=program, status=Program.Status.ACTIVE, actor=admin
    )
    seed_matching(program, admin)
    seed_matches(program, admin)
    seed_rooms(program)
    return program


DEMO_GOALS = ["Move into management", "Change careers", "Grow as a specialist", "Start a business"]
DEMO_FOCUS = (
    "What should the mentoring focus on?",
    ["Leadership", "Craft", "Networking", "Balance"],
)
# email → the profile its participant fills in (through matching.services.profiles.save_profile).
DEMO_PROFILES = {
    "mentor1@example.com": {
        "skills": {"people management": 5, "product strategy": 4, "public speaking": 4},
        "industry": "Software", "years_experience": 15,
        "career_goals": ["Move into management"], "career_goals_text": "Help others lead well.",
        "style_direct_supportive": -0.4, "style_structured_exploratory": -0.6,
        "style_written_spoken": 0.4, "meeting_frequency": "fortnightly", "meeting_format": "either",
        "city": "Berlin", "country": "Germany", "time_zone": "Europe/Berlin",
        "languages": ["English", "German"], "availability": [9, 10, 57, 58, 105, 106],
        "department": "Product", "manager_email": "cpo@example.com",
        "hopes": "Pass on what I learned the hard way about leading a team.",
        "focus": ["Leadership"], "move": ["Leadership and management"],
    },
    "mentor2@example.com": {
        "skills": {"data analysis": 5, "python": 5, "negotiation": 3, "career change": 4},
        "industry": "Finance", "years_experience": 11,
        "career_goals": ["Change careers", "Grow as a specialist"], "career_goals_text": "",
        "style_direct_supportive": 0.5, "style_structured_exploratory": 0.3,
        "style_written_spoken": -0.2, "meeting_frequency": "weekly", "meeting_format": "remote",
        "city": "Lisbon", "country": "Portugal", "time_zone": "Europe/Lisbon",
        "languages": ["English", "Portuguese", "Spanish"],
        "availability": [17, 18, 41, 42, 89, 90, 113, 114],
        "department": "Risk", "manager_email": "cro@example.com",
        "hopes": "I moved from banking into data science and like to help others do the same.",
        "focus": ["Craft", "Networking"], "move": ["Data and analytics"],
    },
    "mentee1@example.com": {
        "skills": {"people management": 4, "public speaking": 3, "product strategy": 2},
        "industry": "Software", "years_experience": 4,
        "career_goals": ["Move into management"],
        "career_goals_text": "Lead my first team within a year.",
        "style_direct_supportive": -0.2, "style_structured_exploratory": -0.4,
        "style_written_spoken": 0.6, "meeting_frequency": "fortnightly", "meeting_format": "either",
        "city": "Hamburg", "country": "Germany", "time_zone": "Europe/Berlin",
        "languages": ["German", "English"], "availability": [9, 10, 11, 57, 58],
        "department": "Engineering", "manager_email": "cto@example.com",
        "hopes": "Learn how to give feedback and run one-to-ones.", "focus": ["Leadership"],
        "move": ["Leadership and management"],
    },
    "mentee2@example.com": {
        "skills": {"python": 4, "data analysis": 4, "negotiation": 2},
        "industry": "Retail", "years_experience": 6,
        "career_goals": ["Change careers"], "career_goals_text": "From store operations to data.",
        "style_direct_supportive": 0.6, "style_structured_exploratory": 0.2,
        "style_written_spoken": -0.4, "meeting_frequency": "weekly", "meeting_format": "remote",
        "city": "Madrid", "country": "Spain", "time_zone": "Europe/Madrid",
        "languages": ["Spanish", "English"], "availability": [17, 18, 42, 90, 91],
        "department": "Operations", "manager_email": "coo@example.com",
        "hopes": "A realistic plan for moving into a data role.", "focus": ["Craft"],
        "move": ["Data and analytics"],
    },
}  # fmt: skip


def seed_matching(program, admin):
    """The demo program's matching settings, a custom question and complete profiles for its
    four participants. Idempotent: what exists is left as it is."""
    from matching.models import CustomQuestion, Profile, ProfileQuestion
    from matching.services import criteria as criteria_services
    from matching.services import profiles as profile_services
    from programs.catalog import CAREER_TRANSITION
    from programs.models import Enrollment

    text, options = DEMO_FOCUS
    focus = CustomQuestion.objects.filter(program=program, text=text).first()
    if focus is None:
        # The program starts with its template's matching settings (and custom question); the
        # demo asks every standard question instead, since its profiles answer them all, and
        # keeps the template's custom question with its weight.
        template_weights = {
            key: weight
            for key, weight in criteria_services.ensure_settings(program).weights.items()
            if key.startswith("custom:")
        }
        criteria_services.save_settings(
            program=program,
            actor=admin,
            questions=ProfileQuestion.values,
            weights={"skills": 0.9, "goals": 0.7, "experience": 0.4, "style": 0.3,
                     "time_zone": 0.4, "availability": 0.5, "language": 0.6, "location": 0.1,
                     **template_weights},
            hard_rules={"shared_language": True, "max_tz_hours": 3,
                        "not_same_reporting_line": True, "no_repair": True},
            career_goal_options=DEMO_GOALS,
        )  # fmt: skip
        focus = criteria_services.create_custom_question(
            program=program, actor=admin, text=text, kind="multi", options=options
        )
    # The template's own custom question ("move" in DEMO_PROFILES), which the demo answers too.
    move_text = CAREER_TRANSITION["matching"]["custom_questions"][0]["text"]
    move = CustomQuestion.objects.filter(program=program, text=move_text).first()
    enrollments = Enrollment.objects.filter(program=program, email__in=DEMO_PROFILES)
    for enrollment in enrollments.select_related("user", "program"):
        if Profile.objects.filter(enrollment=enrollment).exists():
            continue
        fields = dict(DEMO_PROFILES[enrollment.email])
        fields["custom_answers"] = {str(focus.pk): fields.pop("focus")}
        moves = fields.pop("move")
        if move is not None:
            fields["custom_answers"][str(move.pk)] = moves
        profile_services.save_profile(enrollment=enrollment, actor=enrollment.user, **fields)


def seed_matches(program, admin):
    """Match the demo program through a real run, reviewed and published (once)."""
    from matching.models import Match, MatchRun
    from matching.services import runs
    from programs import services as program_services

    if Match.objects.filter(program=program).exists():
        return
    if program.matching_mode != program.MatchingMode.ADMIN:
        # The template lets mentees choose; the demo shows the admin's review flow instead.
        program_services.update_program(
            program=program, actor=admin, matching_mode=program.MatchingMode.ADMIN
        )
    run = MatchRun.objects.filter(program=program, status=MatchRun.Status.DONE).first()
    if run is None:
        run = runs.start_run(program=program, actor=admin)
        # Computed here rather than by a worker, so the demo is matched when the page opens;
        # the queued task then finds the run done and leaves it alone.
        run = runs.execute_run(MatchRun.objects.get(pk=run.pk))
    runs.publish_run(run=run, actor=admin)


# What the demo pairs did together over the last three months, in their rooms.
DEMO_NOTES = [
    "We agreed on **three goals** for the next months:\n\n- a clearer CV\n- two informational "
    "interviews\n- one stretch project at work",
    "Talked through the last interview: the *story* was good, the numbers were missing.",
    "Practised the first 90 days plan; next time we look at stakeholders.",
    "Reviewed the stretch project's results and what to say about them.",
]
DEMO_MESSAGES = [
    "Thanks for today, that helped a lot.",
    "I found the article you mentioned, reading it tonight.",
    "Could we move Thursday's meeting by half an hour?",
    "Sure, 16:30 works for me.",
    "Small win: my manager asked me to lead the next sprint review!",
    "That's great news. Let's talk about how it went next time.",
]


def seed_rooms(program):
    """Three months of history in each demo pair's room (once): a signed agreement, held
    meetings with agendas, notes (one private), action items and feedback, messages, a
    progress update, milestones done and confirmed, and the next meeting planned."""
    from datetime import timedelta

    from django.utils import timezone

    from matching.models import Match
    from roadmaps.models import Milestone
    from roadmaps.services import events, milestones
    from rooms.models import (
        ActionItem,
        AgendaPoint,
        Meeting,
        MeetingFeedback,
        Message,
        Note,
        ProgressUpdate,
        Room,
    )
    from rooms.services import agreements, messages
    from rooms.services import meetings as meeting_services

    rooms = Room.objects.filter(program=program).select_related(
        "organization", "program", "match__mentor__user", "match__mentee__user"
    )
    now = timezone.now()
    began = now - timedelta(weeks=13)
    for room in rooms:
        if Meeting.objects.filter(room=room).exists():
            continue
        mentor, mentee = room.match.mentor.user, room.match.mentee.user
        Match.objects.filter(pk=room.match_id).update(created_at=began)
        Room.objects.filter(pk=room.pk).update(created_at=began, stage=2, stage_changed_at=now)
        for user in (mentee, mentor):
            name = agreements.participant(room, user).display_name
            agreements.sign(room=room, user=user, typed_name=name)
        held = []
        for k in range(6):
            starts = (began + timedelta(weeks=2 * k + 1)).replace(
                hour=16, minute=0, second=0, microsecond=0
            )
            meeting = Meeting.objects.create(
                organization=room.organization, room=room, starts_at=starts, minutes=45,
                video_url="https://meet.example.com/demo", status=Meeting.Status.HELD,
                held_at=starts + timedelta(minutes=45), created_by=mentee,
            )  # fmt: skip
            held.append(meeting)
            AgendaPoint.objects.bulk_create(
                [
                    AgendaPoint(
                        organization=room.organization, room=room, meeting=meeting,
                        author=mentee, text=text, position=i, done=True,
                        source=AgendaPoint.Source.OWN,
                    )
                    for i, text in enumerate(["How the last two weeks went", "Next steps"])
                ]
            )  # fmt: skip
            Note.objects.create(
                organization=room.organization, room=room, meeting=meeting, author=mentee,
                body=DEMO_NOTES[k % len(DEMO_NOTES)],
            )  # fmt: skip
            Note.objects.create(
                organization=room.organization, room=room, meeting=meeting, author=mentor,
                private=True, body="Confidence is growing; push a little on negotiation.",
            )  # fmt: skip
            ActionItem.objects.create(
                organization=room.organization, room=room, meeting=meeting,
                owner=mentee if k % 2 == 0 else mentor,
                description=["Rewrite the CV summary", "Send two introductions",
                             "Draft the 90 days plan", "Share the reading list",
                             "Ask for the sprint review", "Book the next interview"][k],
                due_date=(starts + timedelta(days=10)).date(),
                done_at=starts + timedelta(days=8) if k < 4 else None, created_by=mentee,
            )  # fmt: skip
            MeetingFeedback.objects.bulk_create(
                [
                    MeetingFeedback(
                        organization=room.organization, room=room, meeting=meeting,
                        author=user, usefulness=4 + (k + i) % 2,
                        comment="Concrete next steps helped." if i == 0 else "",
                        good_fit=MeetingFeedback.Fit.YES if k == 0 else "",
                    )
                    for i, user in enumerate((mentee, mentor))
                ]
            )  # fmt: skip
        events.record(match=room.match, event="first_meeting_held", actor=mentee)
        # Past messages, written as they were then (no "new message" notices for old news).
        for k, body in enumerate(DEMO_MESSAGES):
            message = Message.objects.create(
                organization=room.organization, room=room,
                author=mentee if k % 2 == 0 else mentor, body=body,
            )  # fmt: skip
            Message.objects.filter(pk=message.pk).update(
                created_at=began + timedelta(weeks=2 * k + 2, hours=k)
            )
        messages.mark_read(room=room, user=mentor)
        update = ProgressUpdate.objects.create(
            organization=room.organization, room=room, author=mentee,
            progress="The CV is done and two interviews are booked.",
            roadblocks="Little time in the weeks before the release.",
            achievements="Asked to lead the next sprint review.",
        )  # fmt: skip
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=now - timedelta(days=5))
        open_ones = Milestone.objects.filter(
            roadmap__match=room.match, status=Milestone.Status.NOT_STARTED
        ).order_by("position")
        for k, milestone in enumerate(open_ones[:3]):
            if k < 2:
                milestones.complete_milestone(
                    milestone=milestone, actor=mentee, note="Done: we went through it together."
                )
                milestones.confirm_milestone(milestone=milestone, actor=mentor)
            else:
                milestones.start_milestone(milestone=milestone, actor=mentee)
        next_at = (now + timedelta(days=4)).replace(hour=16, minute=0, second=0, microsecond=0)
        meeting_services.schedule(
            room=room, starts_at=next_at, minutes=45, video_url="https://meet.example.com/demo",
            actor=mentee,
        )  # fmt: skip
