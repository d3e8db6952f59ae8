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


def test_a_notification_queued_twice_is_emailed_once(cast, real_worker):
    """A second delivery task for the same row (a retry, the beat's sweep) sends nothing."""
    from django_scopes import scopes_disabled

    from mentorship.models import Notification
    from mentorship.notifications.tasks import deliver_notification, send_due_notifications

    with scope(organization=cast.org_a):
        invitation = services.invite_member(
            organization=cast.org_a, email="twice@example.com", role="member", actor=cast.admin
        )
    with scopes_disabled():
        row = Notification.objects.get(key=f"invitation:{invitation.pk}:1")
    deliver_notification.delay(cast.org_a.pk, row.pk)
    send_due_notifications.delay()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.email_status == "sent" and len(mail.outbox) >= 1:
            break
        time.sleep(0.1)
    time.sleep(1)  # let the extra tasks run
    assert [m.to for m in mail.outbox] == [["twice@example.com"]]
    assert row.email_status == "sent"
