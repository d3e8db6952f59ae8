"""The standard cast: organization A with an admin, an HR user and two mentor–mentee pairs
(plain members until programs exist); organization B, whose admin is the outsider."""

import atexit
import logging
import os
import shutil
import tempfile
from types import SimpleNamespace

import pytest
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


def _member(organization, role, email):
    return MembershipFactory(organization=organization, role=role, user=UserFactory(email=email))


@pytest.fixture
def cast(db):
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
def world(cast):
    """An object of each kind in both organizations (``tests/world.py``)."""
    from tests.world import build_world

    return build_world(cast)


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
