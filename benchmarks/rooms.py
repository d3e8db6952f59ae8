"""A room with a year of history, among 1,000 other pairs: the room's home and its messages API.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench \\
        .venv/bin/python benchmarks/rooms.py [--pairs 1000 --requests 200 --port 8791]

It builds (once) an organization whose program has ``--pairs`` live pairs started through
matching's hook (so each has its room and roadmap, as in production), and gives one of them a
year of history: 50 meetings with agendas and notes, 500 messages, 100 action items and a
roadmap of 30 milestones. Then it serves the project with gunicorn (2 workers, production
settings, static files collected) and requests, as that pair's mentee, the room's home page and
the first page of its messages API: first one client at a time, then 8 clients at once. It
prints the median and 95th percentile of each; it asserts nothing. The database it uses must
exist (it is migrated here); don't point it at one you care about.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
# The sessions made here must be valid for the gunicorn started below: one key for both.
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope  # noqa: E402
from rest_framework.throttling import UserRateThrottle  # noqa: E402

from matching import hooks  # noqa: E402
from matching.models import Match, Profile  # noqa: E402
from mentorship.models import Membership, Organization, User  # noqa: E402
from mentorship.services import create_api_token  # noqa: E402
from programs import services as program_services  # noqa: E402
from programs.models import Enrollment  # noqa: E402
from rooms.models import ActionItem, AgendaPoint, Meeting, Message, Note, Room  # noqa: E402

SLUG = "bench-rooms"


def build(n_pairs, rng):
    """The organization, the program, and the focal pair's room (built once per database)."""
    organization = Organization.objects.filter(slug=SLUG).first()
    if organization is not None:
        with scope(organization=organization):
            room = Room.objects.select_related("match__mentee__user").order_by("pk").first()
            return organization, room
    t0 = time.perf_counter()
    organization = Organization.objects.create(slug=SLUG, name="Bench rooms")
    with scope(organization=organization), transaction.atomic():
        admin = User.objects.create(email=f"admin@{SLUG}.example", name="Admin")
        Membership.objects.create(organization=organization, user=admin, role="admin")
        program = program_services.create_program(
            organization=organization,
            actor=admin,
            name="Bench",
            template_key="career-transition",
        )
        program.status = "active"
        program.save(update_fields=["status"])
        users = User.objects.bulk_create(
            [User(email=f"p{k}@{SLUG}.example", name=f"Person {k}") for k in range(2 * n_pairs)],
            batch_size=5000,
        )
        Membership.objects.bulk_create(
            [Membership(organization=organization, user=u, role="member") for u in users],
            batch_size=5000,
        )
        enrollments = Enrollment.objects.bulk_create(
            [
                Enrollment(
                    organization=organization,
                    program=program,
                    user=u,
                    email=u.email,
                    role="mentee" if k % 2 else "mentor",
                    status="active",
                    capacity=None if k % 2 else 1,
                )
                for k, u in enumerate(users)
            ],
            batch_size=5000,
        )
        Profile.objects.bulk_create(
            [
                Profile(
                    organization=organization,
                    enrollment=e,
                    career_goals=["Lead a team", "Change careers"],
                    time_zone="Europe/Berlin",
                )
                for e in enrollments
            ],
            batch_size=5000,
        )
        matches = Match.objects.bulk_create(
            [
                Match(
                    organization=organization,
                    program=program,
                    mentor=enrollments[2 * k],
                    mentee=enrollments[2 * k + 1],
                    created_by=admin,
                )
                for k in range(n_pairs)
            ],
            batch_size=5000,
        )
        hooks.matches_started.send(matches=matches, actor=admin)  # rooms and roadmaps
        room = Room.objects.select_related("match__mentee__user", "match__mentor__user").get(
            match=matches[0]
        )
        _history(organization, room, rng)
    print(f"built {n_pairs:,} pairs and a year of history in {time.perf_counter() - t0:.1f} s")
    return organization, room


def _history(organization, room, rng):
    """50 weekly meetings (the last few upcoming), each with an agenda and notes; 500
    messages; 100 action items; the roadmap's milestones (the template's, topped up to 30)."""
    mentor, mentee = room.match.mentor.user, room.match.mentee.user
    start = timezone.now() - timedelta(weeks=46)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                organization=organization,
                room=room,
                starts_at=start + timedelta(weeks=k),
                minutes=45,
                location="Video call",
                status="held" if k < 46 else "scheduled",
                created_by=mentee,
            )
            for k in range(50)
        ]
    )
    AgendaPoint.objects.bulk_create(
        [
            AgendaPoint(
                organization=organization,
                room=room,
                meeting=m,
                author=rng.choice([mentor, mentee]),
                text=f"Point {j} of meeting {i}",
                private=j == 3,
                position=j,
                done=m.status == "held",
            )
            for i, m in enumerate(meetings)
            for j in range(4)
        ]
    )
    Note.objects.bulk_create(
        [
            Note(
                organization=organization,
                room=room,
                meeting=m,
                author=author,
                private=author == mentor,
                body="We talked about the next step. " * 20,
            )
            for m in meetings[:46]
            for author in (mentor, mentee)
        ]
    )
    Message.objects.bulk_create(
        [
            Message(
                organization=organization,
                room=room,
                author=rng.choice([mentor, mentee]),
                body=f"Message {k}: how did the interview go?",
            )
            for k in range(500)
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                organization=organization,
                room=room,
                meeting=meetings[k // 2],
                owner=rng.choice([mentor, mentee]),
                description=f"Action {k}",
                due_date=(start + timedelta(weeks=k // 2, days=7)).date(),
                done_at=timezone.now() if k < 90 else None,
                created_by=mentee,
            )
            for k in range(100)
        ]
    )
    _milestones(organization, room, 30)


def _milestones(organization, room, total):
    """Top the pair's roadmap up to ``total`` milestones (it has its template's already)."""
    from roadmaps.models import Milestone  # the roadmap the hook made

    roadmap = room.match.roadmap
    have = Milestone.objects.filter(roadmap=roadmap).count()
    Milestone.objects.bulk_create(
        [
            Milestone(
                organization=organization,
                roadmap=roadmap,
                title=f"Milestone {k}",
                position=k,
                due_date=(timezone.now() + timedelta(weeks=k - 20)).date(),
                status="done" if k < 15 else "not_started",
                completed_at=timezone.now() if k < 15 else None,
            )
            for k in range(have, total)
        ]
    )


def session_cookie(user):
    """A signed-in session for ``user``, as the sign-in page would leave it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def serve(port):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(gunicorn),
            "mentorship.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def fetch(url, headers):
    request = urllib.request.Request(  # noqa: S310 - our own server on loopback
        url, headers={**headers, "X-Forwarded-Proto": "https"}
    )
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        response.read()
        if response.status != 200 or response.url != url:  # a redirect to sign in counts not
            raise SystemExit(f"{url}: {response.status}")
    return (time.perf_counter() - t0) * 1000


def measure(url, headers, requests, clients):
    """Each of ``clients`` threads sends its share of ``requests``; every request's time."""
    times, lock = [], threading.Lock()

    def client(n):
        mine = [fetch(url, headers) for _ in range(n)]
        with lock:
            times.extend(mine)

    for _ in range(5):
        fetch(url, headers)  # warm both workers
    threads = [threading.Thread(target=client, args=(requests // clients,)) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(times) / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    organization, room = build(args.pairs, random.Random(7))
    with connection.cursor() as cursor:
        # What autovacuum does in production: without statistics (a server running with
        # autovacuum off, a database just filled) PostgreSQL plans for nearly empty tables.
        cursor.execute("ANALYZE")
    mentee = room.match.mentee.user
    # The API's per-user throttle (2,000 an hour) would stop the second run within the hour:
    # start each run with a clean count.
    throttle = UserRateThrottle()
    cache.delete(throttle.cache_format % {"scope": throttle.scope, "ident": mentee.pk})
    base = f"http://127.0.0.1:{args.port}"
    pages = {  # the page as a signed-in browser asks for it; the API with a token
        "room home": (f"{base}/o/{SLUG}/rooms/{room.pk}/", {"Cookie": session_cookie(mentee)}),
        "messages API": (
            f"{base}/api/v1/orgs/{SLUG}/rooms/{room.pk}/messages/",
            {"Authorization": f"Token {create_api_token(user=mentee, name='bench')[1]}"},
        ),
    }
    server = serve(args.port)
    try:
        print(f"{'what':<14} {'clients':>7} {'median ms':>10} {'p95 ms':>8} {'req/s':>7}")
        for name, (url, headers) in pages.items():
            for clients in (1, 8):
                median, p95, rate = measure(url, headers, args.requests, clients)
                print(f"{name:<14} {clients:>7} {median:>10.1f} {p95:>8.1f} {rate:>7.1f}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
