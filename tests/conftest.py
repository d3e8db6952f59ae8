"""The standard cast: organization A with an admin, an HR user and two mentor–mentee pairs
(plain members until programs exist; ``live_program`` matches them in a program); organization
B, whose admin is the outsider."""

import atexit
import itertools
import logging
import os
import shutil
import sys
import tempfile
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import transaction
from django_scopes import scope, scopes_disabled

from mentorship.celery import app as celery_app
from mentorship.models import Role
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory


def pytest_configure(config):
    from django.conf import settings

    # Each test process gets its own cache namespace on the shared Redis.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{worker}-{os.getpid()}"
    settings.ACCOUNT_RATE_LIMITS = False
    # Tests run at any hour: quiet hours only where a test turns them on (and sets the clock).
    settings.NOTIFICATIONS_QUIET_HOURS = ()
    # A fast hasher: the default one costs ~0.5 s per password, per user, per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    # Uploaded files (member photos) go to a folder of this test process, removed at its end.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="mentorship-test-media-")
    atexit.register(shutil.rmtree, settings.MEDIA_ROOT, ignore_errors=True)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


_test_numbers = itertools.count()


def _member(organization, role, email):
    return MembershipFactory(organization=organization, role=role, user=UserFactory(email=email))


def make_cast():
    org_a = OrganizationFactory(slug="org-a", name="Org A")
    org_b = OrganizationFactory(slug="org-b", name="Org B")
    c = SimpleNamespace(org_a=org_a, org_b=org_b, password=PASSWORD)
    c.admin = _member(org_a, Role.ADMIN, "admin@a.example").user
    c.hr = _member(org_a, Role.HR, "hr@a.example").user
    c.mentor1 = _member(org_a, Role.MEMBER, "mentor1@a.example").user
    c.mentee1 = _member(org_a, Role.MEMBER, "mentee1@a.example").user
    c.mentor2 = _member(org_a, Role.MEMBER, "mentor2@a.example").user
    c.mentee2 = _member(org_a, Role.MEMBER, "mentee2@a.example").user
    c.member = c.mentor1
    c.outsider = _member(org_b, Role.ADMIN, "admin@b.example").user
    with scopes_disabled():
        c.membership = {m.user_id: m for m in org_a.memberships.all()}
    return c


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def live_program(cast):
    """An active program of org A in which both of the cast's pairs are live: mentor1 with
    mentee1 and mentor2 with mentee2, each with a profile, matched by publishing a run (the
    one write path, so what the apps above matching do for a new match is done too).
    ``.program``, ``.run``, ``.matches`` (mentee1's, then mentee2's)."""
    from matching.services import runs
    from tests.factories import (
        EnrollmentFactory,
        MatchRunFactory,
        ProfileFactory,
        ProgramFactory,
        SuggestionFactory,
    )

    program = ProgramFactory(
        organization=cast.org_a, slug="live", name="Live", status="active", start_date="2027-01-04"
    )

    def enrol(user, role):
        capacity = 1 if role == "mentor" else None
        enrollment = EnrollmentFactory(program=program, user=user, role=role, capacity=capacity)
        ProfileFactory(enrollment=enrollment)
        return enrollment

    pairs = [
        (enrol(cast.mentor1, "mentor"), enrol(cast.mentee1, "mentee")),
        (enrol(cast.mentor2, "mentor"), enrol(cast.mentee2, "mentee")),
    ]
    with scope(organization=cast.org_a):
        run = MatchRunFactory(program=program, pool_fingerprint=runs.pool_fingerprint(program))
        for mentor, mentee in pairs:
            SuggestionFactory(run=run, mentor=mentor, mentee=mentee)
        by_mentee = {m.mentee_id: m for m in runs.publish_run(run=run, actor=cast.admin)}
        run.refresh_from_db()
    matches = tuple(by_mentee[mentee.pk] for _, mentee in pairs)
    return SimpleNamespace(program=program, run=run, matches=matches)


@pytest.fixture
def world(cast):
    """An object of each kind in both organizations, each app's part built by its
    ``tests/<app>/world.py`` (``tests/world.py``)."""
    from tests.world import build_world

    return build_world(cast)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world built once per test module (in each worker), inside a transaction that every
    test's own savepoint rolls back to and that ends rolled back with the module: the route
    matrix and the fuzzer run ~2,500 tests in the same world, which takes half a second to build.
    Use it through ``shared_world``."""
    from tests.world import build_world

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world(make_cast())
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def shared_world(module_world, db):
    """``module_world`` for one test: its writes are rolled back at its end, and it gets a cache
    namespace of its own (throttle counts and cached sessions belong to the world's people,
    who are the same in every test), as if the world were new."""
    base = cache.key_prefix
    cache.key_prefix = f"{base}-{next(_test_numbers)}"
    yield module_world
    cache.key_prefix = base


@pytest.fixture
def scope_a(cast):
    with scope(organization=cast.org_a):
        yield cast.org_a


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def no_fallbacks(caplog):
    """Every audit sentence rendered without falling back (a failing one logs an error)."""
    with caplog.at_level(logging.ERROR, logger="mentorship.audit"):
        yield
    assert not caplog.records
