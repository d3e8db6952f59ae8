"""factory_boy factories for the tenancy core. Tenant-owned factories need an active scope,
or use them through the ``cast`` fixtures, which create everything under scopes_disabled."""

import factory
from django_scopes import scopes_disabled

from mentorship.models import Invitation, Membership, Organization, Role, User

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test fixture


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    time_zone = "Europe/Berlin"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.MEMBER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


# --- Programs ------------------------------------------------------------------------------------


class _Unscoped(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class ProgramFactory(_Unscoped):
    class Meta:
        model = "programs.Program"
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")

    @factory.post_generation
    def foundation(self, create, extracted, **kwargs):
        if create:
            from programs.models import Foundation

            with scopes_disabled():
                Foundation.objects.get_or_create(organization=self.organization, program=self)


class LogicModelItemFactory(_Unscoped):
    class Meta:
        model = "programs.LogicModelItem"

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SelfAttribute("program.organization")
    kind = "outcome"
    title = factory.Sequence(lambda n: f"Item {n}")


class IndicatorFactory(_Unscoped):
    class Meta:
        model = "programs.Indicator"

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SelfAttribute("program.organization")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    measure = "satisfaction"
    target = 4


class CohortFactory(_Unscoped):
    class Meta:
        model = "programs.Cohort"

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SelfAttribute("program.organization")
    name = factory.Sequence(lambda n: f"Cohort {n}")
    start_date = factory.Faker("date_this_year")


class EnrollmentFactory(_Unscoped):
    class Meta:
        model = "programs.Enrollment"

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SelfAttribute("program.organization")
    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    role = "mentee"
    status = "active"


# --- Matching ------------------------------------------------------------------------------------


class CustomQuestionFactory(_Unscoped):
    class Meta:
        model = "matching.CustomQuestion"

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SelfAttribute("program.organization")
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = "single"
    options = factory.LazyFunction(lambda: ["Yes", "No"])


class ProfileFactory(_Unscoped):
    class Meta:
        model = "matching.Profile"

    enrollment = factory.SubFactory(EnrollmentFactory)
    organization = factory.SelfAttribute("enrollment.organization")
    skills = factory.LazyFunction(lambda: {"python": 3, "public speaking": 2})
    time_zone = "Europe/Berlin"
    languages = factory.LazyFunction(lambda: ["en"])
    availability = factory.LazyFunction(lambda: [9, 10, 11])


# --- Match runs ----------------------------------------------------------------------------------


class MatchRunFactory(_Unscoped):
    """A finished run (``status="done"``); numbers count up per factory use, so give ``number``
    where it matters (it is unique per program)."""

    class Meta:
        model = "matching.MatchRun"

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SelfAttribute("program.organization")
    number = factory.Sequence(lambda n: n + 1)
    status = "done"
    progress = 100
    stage = "Done"
    settings = factory.LazyFunction(
        lambda: {"questions": ["skills"], "weights": {"skills": 1.0}, "hard_rules": {}}
    )
    stats = factory.LazyFunction(
        lambda: {"mentees": 1, "mentors": 1, "matched": 1, "unmatched": 0, "coverage": 1.0,
                 "mean_score": 0.8, "min_score": 0.8}
    )  # fmt: skip


class SuggestionFactory(_Unscoped):
    class Meta:
        model = "matching.Suggestion"

    run = factory.SubFactory(MatchRunFactory)
    organization = factory.SelfAttribute("run.organization")
    mentee = factory.SubFactory(EnrollmentFactory, program=factory.SelfAttribute("..run.program"))
    mentor = factory.SubFactory(
        EnrollmentFactory, program=factory.SelfAttribute("..run.program"), role="mentor"
    )
    score = 0.8
    breakdown = factory.LazyFunction(lambda: {"skills": 0.6, "language": 0.2})
    assigned = True


class MatchFactory(_Unscoped):
    class Meta:
        model = "matching.Match"

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SelfAttribute("program.organization")
    mentee = factory.SubFactory(EnrollmentFactory, program=factory.SelfAttribute("..program"))
    mentor = factory.SubFactory(
        EnrollmentFactory, program=factory.SelfAttribute("..program"), role="mentor"
    )
    score = 0.8
    breakdown = factory.LazyFunction(lambda: {"skills": 0.6, "language": 0.2})


# --- Files ---------------------------------------------------------------------------------------


def image_upload(fmt="PNG", size=(40, 30), colour=(200, 30, 60), name=None, **save):
    """An uploaded image made on the spot (``SimpleUploadedFile``), e.g. a member's photo."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt, **save)
    ext = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return SimpleUploadedFile(name or f"photo.{ext}", out.getvalue(), f"image/{ext}")
