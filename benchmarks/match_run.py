"""A whole match run against PostgreSQL: read the profiles, score and assign, write suggestions.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench \\
        .venv/bin/python benchmarks/match_run.py [--mentees 10000 --mentors 3000 --capacity 3]

It builds (once per size) an organization whose program has that many active participants
with complete profiles, then times ``matching.services.runs.execute_run`` — the body of the
Celery task — and its parts. It prints figures; it asserts nothing. The database it uses must
exist (it is migrated here); don't point it at one you care about: it adds a "bench-…"
organization.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django_scopes import scope  # noqa: E402

from matching import engine  # noqa: E402
from matching.models import MatchingSettings, MatchRun, Profile  # noqa: E402
from matching.services import runs  # noqa: E402
from matching.services.pool import load_pool  # noqa: E402
from mentorship.models import Organization, User  # noqa: E402
from programs.models import Enrollment, Foundation, Program  # noqa: E402

SKILLS = [f"skill-{k}" for k in range(60)]
GOALS = ["management", "specialist", "career change", "start a business", "leadership"]
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata", "UTC"]
LANGS = ["en", "de", "fr", "es", "hi"]


def build(org_slug, n_mentees, n_mentors, capacity, rng):
    organization = Organization.objects.filter(slug=org_slug).first()
    if organization is not None:
        with scope(organization=organization):
            return organization, Program.objects.get(organization=organization)
    t0 = time.perf_counter()
    organization = Organization.objects.create(slug=org_slug, name=org_slug)
    with scope(organization=organization), transaction.atomic():
        program = Program.objects.create(
            organization=organization,
            name="Bench",
            slug="bench",
            status="active",
            default_mentor_capacity=capacity,
        )
        Foundation.objects.create(organization=organization, program=program)
        MatchingSettings.objects.create(
            organization=organization,
            program=program,
            hard_rules={"shared_language": True, "not_same_reporting_line": True},
        )
        users = User.objects.bulk_create(
            [
                User(email=f"p{k}@{org_slug}.example", name=f"Person {k}")
                for k in range(n_mentees + n_mentors)
            ],
            batch_size=5000,
        )
        enrollments = Enrollment.objects.bulk_create(
            [
                Enrollment(
                    organization=organization,
                    program=program,
                    user=u,
                    email=u.email,
                    role="mentee" if k < n_mentees else "mentor",
                    status="active",
                    capacity=None if k < n_mentees else capacity,
                )
                for k, u in enumerate(users)
            ],
            batch_size=5000,
        )
        profiles = []
        for e in enrollments:
            start = rng.choice([8, 9, 10, 13, 17])
            day = rng.randrange(5)
            profiles.append(
                Profile(
                    organization=organization,
                    enrollment=e,
                    skills={s: rng.randint(1, 5) for s in rng.sample(SKILLS, 3)},
                    industry=rng.choice(["tech", "finance", "health", "retail"]),
                    years_experience=rng.randint(0, 8)
                    if e.role == "mentee"
                    else rng.randint(5, 30),
                    career_goals=rng.sample(GOALS, 2),
                    style_direct_supportive=rng.uniform(-1, 1),
                    style_structured_exploratory=rng.uniform(-1, 1),
                    style_written_spoken=rng.uniform(-1, 1),
                    time_zone=rng.choice(ZONES),
                    languages=["en", *rng.sample(LANGS[1:], 1)]
                    if rng.random() < 0.9
                    else rng.sample(LANGS[1:], 1),
                    availability=[day * 24 + h for h in range(start, start + 3)],
                    department=rng.choice(["eng", "sales", "ops", "hr", "finance"]),
                )
            )
        Profile.objects.bulk_create(profiles, batch_size=5000)
    print(
        f"built {n_mentees:,} mentees × {n_mentors:,} mentors in {time.perf_counter() - t0:.1f} s"
    )
    return organization, program


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentees", type=int, default=10_000)
    parser.add_argument("--mentors", type=int, default=3_000)
    parser.add_argument("--capacity", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    slug = f"bench-{args.mentees}-{args.mentors}-{args.capacity}"
    organization, program = build(slug, args.mentees, args.mentors, args.capacity, rng)
    admin = User.objects.filter(email=f"p0@{slug}.example").first()
    with scope(organization=organization):
        MatchRun.objects.filter(program=program).delete()
        t0 = time.perf_counter()
        program_pool = load_pool(program, previous_pairs=runs.previous_pairs(program))
        t_read = time.perf_counter() - t0
        settings = runs._engine_settings(
            MatchRun(settings=runs._settings_snapshot(program.matching_settings)), program_pool.pool
        )
        t0 = time.perf_counter()
        engine.match(program_pool.pool, settings)
        t_engine = time.perf_counter() - t0
        with transaction.atomic():
            run = MatchRun.objects.create(
                organization=organization,
                program=program,
                number=1,
                settings=runs._settings_snapshot(program.matching_settings),
                created_by=admin,
            )
        t0 = time.perf_counter()
        run = runs.execute_run(run)  # what the Celery task runs
        t_total = time.perf_counter() - t0
        written = run.suggestions.count()
    print(f"{'part':<34}{'seconds':>9}")
    print(f"{'read pool from PostgreSQL':<34}{t_read:>9.2f}")
    print(f"{'score + assign (engine)':<34}{t_engine:>9.2f}")
    print(f"{'whole run (read, engine, write)':<34}{t_total:>9.2f}")
    print(
        f"suggestions written: {written:,}; matched {run.stats['matched']:,} of "
        f"{run.stats['mentees']:,}; mean score {run.stats['mean_score']:.3f}"
    )


if __name__ == "__main__":
    main()
