"""One end-to-end run through a real Celery worker and the real Redis broker."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django_scopes import scope

from mentorship import services
from mentorship.celery import app as celery_app

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker():
    queue = f"test-{uuid.uuid4().hex}"  # a private queue: parallel runs don't steal tasks
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_default_queue
    conf.task_always_eager, conf.task_default_queue = False, queue
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=[queue]):
            yield queue
    finally:
        conf.task_always_eager, conf.task_default_queue = saved


def test_invitation_email_goes_through_the_broker(cast, real_worker):
    with scope(organization=cast.org_a):
        services.invite_member(
            organization=cast.org_a, email="queued@example.com", role="member", actor=cast.admin
        )
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["queued@example.com"]]
