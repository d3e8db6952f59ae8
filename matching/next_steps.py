"""What matching suggests doing next (see ``mentorship.next_steps``): participants fill in their
profile, choose or answer, and meet their match; admins review runs and match who is left."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from mentorship.next_steps import Step
from mentorship.permissions import has_perm
from programs.models import Enrollment, Program
from programs.queries import my_enrollments

from .models import Match, MatchRun, MentorRequest

SHOWN = 3  # programs an admin is told about one by one


def steps(membership) -> list[Step]:
    found = _participant_steps(membership)
    if has_perm(membership, "manage_programs"):
        found += _admin_steps(membership.organization)
    return found


def _participant_steps(membership):
    slug = membership.organization.slug
    mine = [
        e
        for e in my_enrollments(membership.user, membership.organization)
        if e.status == Enrollment.Status.ACTIVE and not e.program.is_closed
    ]
    if not mine:
        return []
    ids = [e.pk for e in mine]
    partners = {}
    for m in Match.objects.filter(
        Q(mentee_id__in=ids) | Q(mentor_id__in=ids), status__in=Match.OPEN
    ).select_related("mentee__user", "mentor__user"):
        mine_side = m.mentee_id if m.mentee_id in ids else m.mentor_id
        other = m.mentor if mine_side == m.mentee_id else m.mentee
        partners.setdefault(mine_side, []).append(other.display_name)
    requests = {
        r.mentee_id: r
        for r in MentorRequest.objects.filter(
            mentee_id__in=ids, status__in=MentorRequest.OPEN
        ).select_related("mentor__user")
    }
    waiting = dict(
        MentorRequest.objects.filter(mentor_id__in=ids, status=MentorRequest.Status.PENDING)
        .order_by()
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    choosing = set(
        MatchRun.objects.filter(
            program_id__in=[e.program_id for e in mine],
            status=MatchRun.Status.PUBLISHED,
            for_choosing=True,
        ).values_list("program_id", flat=True)
    )
    found = []
    for e in mine:
        program = e.program
        args = [slug, program.slug]
        mentor = e.role == Enrollment.Role.MENTOR
        if not e.has_profile:
            found.append(
                Step(
                    f"Tell us about yourself for {program.name}, so that we can find you a good "
                    f"{'mentee' if mentor else 'mentor'}: skills, goals, availability.",
                    reverse("matching:profile", args=args),
                    "Fill in your profile",
                    urgent=True,
                )
            )
        elif e.pk in partners:
            names = _names(partners[e.pk])
            found.append(
                Step(
                    f"You mentor {names} in {program.name}."
                    if mentor
                    else f"You are matched with {names} in {program.name}.",
                    reverse("matching:my-match", args=args),
                    "My mentees" if mentor else "See my match",
                )
            )
        elif program.matching_mode == Program.MatchingMode.MENTEE_CHOOSES and not mentor:
            found.append(_choosing_step(e, requests.get(e.pk), program.pk in choosing, args))
        else:
            found.append(
                Step(
                    f"Your profile for {program.name} is ready. The program team matches "
                    f"mentors and mentees; we'll email you when you have a "
                    f"{'mentee' if mentor else 'mentor'}.",
                    reverse("matching:profile", args=args),
                    "Review your profile",
                )
            )
        if mentor and waiting.get(e.pk):
            n = waiting[e.pk]
            found.append(
                Step(
                    f"{n} mentee{'s' if n != 1 else ''} in {program.name} asked you to mentor "
                    "them: accept, decline, or ask something first.",
                    reverse("matching:requests", args=args),
                    "Answer requests",
                    urgent=True,
                )
            )
    return found


def _choosing_step(enrollment, request, published, args):
    name = enrollment.program.name
    url = reverse("matching:suggestions", args=args)
    if request is not None and request.status == MentorRequest.Status.MORE_INFO:
        return Step(
            f"{request.mentor.display_name} asked you something about your request in {name}.",
            url,
            "Answer",
            urgent=True,
        )
    if request is not None:
        return Step(
            f"Your request to {request.mentor.display_name} in {name} is waiting for their "
            "answer; we'll email you.",
            url,
            "See my request",
        )
    if published:
        return Step(
            f"Choose your mentor for {name} from the ones who fit you best.",
            url,
            "See my suggested mentors",
            urgent=True,
        )
    return Step(
        f"Your profile for {name} is ready. Your suggested mentors appear here once the program "
        "team publishes them; we'll email you."
    )


def _admin_steps(organization):
    slug = organization.slug
    unmatched = Enrollment.objects.filter(
        program=OuterRef("pk"), role=Enrollment.Role.MENTEE, status=Enrollment.Status.ACTIVE
    ).exclude(Exists(Match.objects.filter(mentee=OuterRef("pk"), status__in=Match.OPEN)))
    programs = list(
        Program.objects.filter(
            organization=organization, status__in=[Program.Status.PILOT, Program.Status.ACTIVE]
        )
        .annotate(
            ready_runs=Count("match_runs", filter=Q(match_runs__status=MatchRun.Status.DONE)),
            has_unmatched=Exists(unmatched),
        )
        .order_by("name")[:SHOWN]
    )
    found = []
    for p in programs:
        runs = reverse("matching:runs", args=[slug, p.slug])
        if p.ready_runs:
            found.append(
                Step(
                    f"A matching run of {p.name} is ready: review its pairs and publish them.",
                    runs,
                    "Review runs",
                    urgent=True,
                )
            )
        elif p.has_unmatched and p.matching_mode != Program.MatchingMode.MENTEE_CHOOSES:
            found.append(
                Step(f"Some mentees in {p.name} have no mentor yet.", runs, "Run matching")
            )
    return found


def _names(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
