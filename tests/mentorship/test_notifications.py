"""Core notifications: one row per key, the in-app list and bell, the API, email choices,
one-click unsubscribe, quiet hours, and sending each email once."""

import re
import threading
from datetime import UTC, datetime, time

import psycopg2
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from matching import notifications as matching_notifications
from mentorship import services
from mentorship.models import EmailOptOut, Notification
from mentorship.notifications import delivery, kinds, tokens
from mentorship.notifications.quiet_hours import next_send_time
from mentorship.notifications.service import notify
from mentorship.notifications.tasks import send_due_notifications
from programs.notifications import ENROLLED, tell_enrolled
from tests.factories import EnrollmentFactory, ProgramFactory

QUIET = (time(22), time(7))


@pytest.fixture
def program(cast):
    return ProgramFactory(organization=cast.org_a, slug="pilot", name="Pilot", status="active")


@pytest.fixture
def tell(cast, program, django_capture_on_commit_callbacks):
    """Tell ``user`` they were enrolled (a real kind); returns the notification."""

    def tell(user, *, org=None):
        # The first enrolment of a person is in the pilot, later ones in programs of their own.
        prog = program
        with scopes_disabled():
            taken = program.enrollments.filter(user=user).exists()
        if org is not None or taken:
            prog = ProgramFactory(organization=org or cast.org_a, status="active")
        enrollment = EnrollmentFactory(program=prog, user=user, role="mentee")
        with (
            scope(organization=prog.organization),
            django_capture_on_commit_callbacks(execute=True),
        ):
            row = tell_enrolled(enrollment, "added")
        row.refresh_from_db()  # as delivery left it
        return row

    return tell


def rows(**filters):
    with scopes_disabled():
        return list(Notification.objects.filter(**filters).order_by("pk"))


# --- One row per key; email after commit ---------------------------------------------------------


def test_a_key_is_told_once_and_emailed_once(cast, tell):
    row = tell(cast.mentee1)
    assert (row.kind, row.recipient, row.email_status) == (
        "programs.enrolled",
        cast.mentee1,
        "sent",
    )
    assert row.url == "/o/org-a/programs/pilot/"
    assert [m.to for m in mail.outbox] == [["mentee1@a.example"]]
    assert mail.outbox[0].subject == row.title == "You've been enrolled in Pilot"
    with scope(organization=cast.org_a):
        enrollment = EnrollmentFactory._meta.model.objects.get(user=cast.mentee1)
        assert tell_enrolled(enrollment, "added") is None  # a retry, a second beat
    assert len(rows()) == 1 and len(mail.outbox) == 1


def test_nothing_is_emailed_when_the_change_rolls_back(cast, program):
    enrollment = EnrollmentFactory(program=program, user=cast.mentee1)
    with scope(organization=cast.org_a), pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            tell_enrolled(enrollment, "added")
            raise RuntimeError("the change failed")
    assert rows() == [] and mail.outbox == []


def test_attachments_go_with_the_email_and_stay_out_of_the_api(
    cast, program, django_capture_on_commit_callbacks
):
    ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        row = notify(
            ENROLLED,
            organization=cast.org_a,
            key="attached",
            context={"program": program, "enrollment": None, "event": "added"},
            recipient=cast.mentee1,
            attachments=[{"filename": "m.ics", "content": ics, "mimetype": "text/calendar"}],
        )
    assert mail.outbox[0].attachments == [("m.ics", ics, "text/calendar")]
    api = APIClient()
    api.force_authenticate(cast.mentee1)
    found = api.get(f"/api/v1/orgs/org-a/notifications/{row.pk}/").json()
    assert "attachments" not in found and found["id"] == row.pk


def test_an_unregistered_kind_is_refused(cast):
    stray = kinds.Kind(name="x.stray", label="Stray", audience="Nobody", template="x")
    with scope(organization=cast.org_a), pytest.raises(ValueError, match="not registered"):
        notify(stray, organization=cast.org_a, key="x", recipient=cast.admin, context={})


def test_every_kind_has_its_templates_and_says_who_gets_it():
    from django.template.loader import get_template

    names = [k.name for k in kinds.all_kinds()]
    assert len(names) == len(set(names)) >= 9
    for kind in kinds.all_kinds():
        get_template(f"{kind.template}_subject.txt")
        get_template(f"{kind.template}_body.txt")
        assert kind.label and kind.audience
    mandatory = {k.name for k in kinds.all_kinds() if k.mandatory}
    # An escalation to admins ("not a good fit") can't be turned off either.
    assert mandatory == {"mentorship.invitation", "matching.run_held", "rooms.not_a_good_fit"}


# --- Email headers and the one-click unsubscribe -------------------------------------------------


def unsubscribe_path(message):
    header = message.extra_headers["List-Unsubscribe"]
    return re.fullmatch(r"<https?://[^/]+(/.+)>", header).group(1)


def test_optional_emails_carry_rfc_8058_headers_and_a_footer(cast, tell):
    tell(cast.mentee1)
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe_path(message)
    assert path.startswith("/notifications/unsubscribe/")
    assert "Stop these emails: " + settings.SITE_URL + path in message.body
    assert settings.SITE_URL + "/account/profile/#email" in message.body


def test_unsubscribe_get_only_asks_and_post_unsubscribes_without_signing_in(cast, tell, client):
    tell(cast.mentee1)
    path = unsubscribe_path(mail.outbox[0])
    page = client.get(path)  # what a mail scanner does: nothing changes
    assert page.status_code == 200 and "Stop these emails?" in page.content.decode()
    assert not EmailOptOut.objects.exists()
    # What a mail program's button does: a POST without a session or a CSRF token.
    csrf_client = type(client)(enforce_csrf_checks=True)
    done = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "unsubscribed" in done.content.decode()
    assert list(EmailOptOut.objects.values_list("user__email", "kind")) == [
        ("mentee1@a.example", "programs.enrolled")
    ]
    assert csrf_client.post(path).status_code == 200  # twice is fine
    assert EmailOptOut.objects.count() == 1


@pytest.mark.parametrize("forgery", ["garbage", "tampered", "unsigned"])
def test_a_forged_unsubscribe_token_changes_nothing(cast, client, forgery):
    import base64
    import json

    token = {
        "garbage": "forged",
        "tampered": tokens.make(cast.mentee1, ENROLLED)[:-2] + "xx",  # the signature changed
        # Right shape, no valid signature: what someone guessing the format would send.
        "unsigned": base64.urlsafe_b64encode(json.dumps([cast.mentee1.pk, ENROLLED.name]).encode())
        .decode()
        .rstrip("=")
        + ":1:x",
    }[forgery]
    url = f"/notifications/unsubscribe/{token}/"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404
        assert "This link doesn't work" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_a_token_for_another_kind_or_person_is_its_own(cast, client):
    # A validly signed token can't be bent: it names one person and one kind.
    mandatory = tokens.make(cast.admin, matching_notifications.RUN_HELD)
    assert client.post(f"/notifications/unsubscribe/{mandatory}/").status_code == 404
    unknown = tokens.make(cast.admin, kinds.Kind("x.gone", "Gone", "Nobody", "x"))
    assert client.post(f"/notifications/unsubscribe/{unknown}/").status_code == 404
    assert not EmailOptOut.objects.exists()
    tokens_of_two = {tokens.make(cast.admin, ENROLLED), tokens.make(cast.hr, ENROLLED)}
    assert len(tokens_of_two) == 2
    assert tokens.read(tokens.make(cast.hr, ENROLLED)) == (cast.hr.pk, "programs.enrolled")


def test_an_opted_out_person_gets_the_in_app_row_but_no_email(cast, tell):
    EmailOptOut.objects.create(user=cast.mentee1, kind="programs.enrolled")
    row = tell(cast.mentee1)
    row.refresh_from_db()
    assert row.email_status == "off" and mail.outbox == []


# --- Email choices on the profile page -----------------------------------------------------------


def test_profile_page_lists_choices_and_saves_them(cast, client):
    client.force_login(cast.mentee1)
    page = client.get(reverse("profile")).content.decode()
    assert "Email notifications" in page and "Being enrolled in a program" in page
    assert "Automatic matching runs waiting for your review" in page  # listed as always emailed
    optional = [k.name for k in kinds.optional_kinds()]
    keep = [n for n in optional if n != "matching.match_made"]
    response = client.post(reverse("email-preferences"), {"emailed": keep})
    assert response.status_code == 302 and response.url.endswith("#email")
    assert list(EmailOptOut.objects.values_list("kind", flat=True)) == ["matching.match_made"]
    client.post(reverse("email-preferences"), {"emailed": optional})
    assert not EmailOptOut.objects.exists()


@pytest.mark.parametrize("bad", ["matching.run_held", "mentorship.invitation", "no.such.kind"])
def test_mandatory_or_unknown_kinds_cant_be_chosen(cast, client, bad):
    client.force_login(cast.admin)
    response = client.post(reverse("email-preferences"), {"emailed": [bad]})
    assert response.status_code == 400
    assert "not one of the available choices" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_email_choices_need_sign_in_and_a_post(cast, client):
    assert client.post(reverse("email-preferences"), {"emailed": []}).status_code == 302
    client.force_login(cast.admin)
    assert client.get(reverse("email-preferences")).status_code == 405
    assert not EmailOptOut.objects.exists()


# --- The in-app list and the bell ----------------------------------------------------------------


def test_the_bell_counts_unread_on_every_page(cast, tell, client):
    tell(cast.mentee1)
    tell(cast.mentee1, org=cast.org_b)  # not a member of org B: never counted
    client.force_login(cast.mentee1)
    home = client.get(reverse("org:home", args=["org-a"])).content.decode()
    assert 'aria-label="Notifications: 1 unread"' in home
    profile = client.get(reverse("profile")).content.decode()  # outside any organization
    assert 'aria-label="Notifications: 1 unread"' in profile
    assert 'href="/o/org-a/notifications/"' in profile
    client.force_login(cast.mentor1)
    other = client.get(reverse("org:home", args=["org-a"])).content.decode()
    assert 'aria-label="Notifications"' in other and "bell-count" not in other


def test_list_open_mark_read_and_mark_all(cast, tell, client):
    first, second = tell(cast.mentee1), tell(cast.mentee1)
    client.force_login(cast.mentee1)
    url = reverse("org:notifications", args=["org-a"])
    page = client.get(url).content.decode()
    assert page.count("notification-unread") == 2 and "Mark all as read" in page
    assert client.get(reverse("org:notification-open", args=["org-a", first.pk])).status_code == 405
    first.refresh_from_db()
    assert not first.is_read  # a GET (a prefetching browser, a scanner) changes nothing
    opened = client.post(reverse("org:notification-open", args=["org-a", first.pk]))
    assert opened.status_code == 302 and opened.url == first.url
    first.refresh_from_db()
    assert first.is_read
    unread = client.get(url + "?show=unread").content.decode()
    assert unread.count("notification-unread") == 1
    marked = client.post(reverse("org:notification-read", args=["org-a", second.pk]))
    assert marked.status_code == 302
    second.refresh_from_db()
    assert second.is_read
    assert "all caught up" in client.get(url + "?show=unread").content.decode()
    third = tell(cast.mentee1)
    response = client.post(reverse("org:notifications-read-all", args=["org-a"]), follow=True)
    assert "Marked 1 notification read." in response.content.decode()
    third.refresh_from_db()
    assert third.is_read


def test_empty_list_says_so(cast, client):
    client.force_login(cast.hr)
    page = client.get(reverse("org:notifications", args=["org-a"])).content.decode()
    assert "Nothing yet." in page


def test_another_persons_notification_is_a_404_and_stays_unread(cast, tell, client):
    row = tell(cast.mentee1)
    client.force_login(cast.mentee2)
    for response in (
        client.post(reverse("org:notification-open", args=["org-a", row.pk])),
        client.post(reverse("org:notification-read", args=["org-a", row.pk])),
    ):
        assert response.status_code == 404
    client.post(reverse("org:notifications-read-all", args=["org-a"]))
    row.refresh_from_db()
    assert not row.is_read
    assert "notification-unread" not in client.get("/o/org-a/notifications/").content.decode()


def test_another_organizations_list_is_a_404(cast, tell, client):
    row = tell(cast.mentee1)
    client.force_login(cast.outsider)
    assert client.get("/o/org-a/notifications/").status_code == 404
    assert client.post(f"/o/org-a/notifications/{row.pk}/read/").status_code == 404
    assert client.post(f"/o/org-b/notifications/{row.pk}/").status_code == 404
    row.refresh_from_db()
    assert not row.is_read


def test_the_list_runs_a_constant_number_of_queries(cast, tell, client):
    from tests.queries import assert_constant_queries

    client.force_login(cast.mentee1)
    assert_constant_queries(client, "/o/org-a/notifications/", lambda: tell(cast.mentee1))
    api = APIClient()
    api.force_authenticate(cast.mentee1)
    assert_constant_queries(api, "/api/v1/orgs/org-a/notifications/", lambda: tell(cast.mentee1))


# --- API -----------------------------------------------------------------------------------------


def api_as(user, scope_="write"):
    client = APIClient()
    _, key = services.create_api_token(user=user, name="t", read_only=scope_ == "read")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_api_lists_reads_and_clears_only_your_own(cast, tell):
    mine, _ = tell(cast.mentee1), tell(cast.mentee2)
    api = api_as(cast.mentee1)
    base = "/api/v1/orgs/org-a/notifications/"
    listed = api.get(base).json()
    assert [n["id"] for n in listed["results"]] == [mine.pk]
    assert listed["results"][0]["url"].endswith("/o/org-a/programs/pilot/")
    assert listed["results"][0]["is_read"] is False
    assert api.get(base + "?unread=false").json()["results"] == []
    read = api.post(f"{base}{mine.pk}/read/")
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert api.get(base + "?unread=true").json()["results"] == []
    tell(cast.mentee1)
    assert api.post(base + "read-all/").json() == {"marked": 1}


def test_api_refuses_others_and_bad_ids(cast, tell):
    theirs = tell(cast.mentee2)
    api = api_as(cast.mentee1)
    base = "/api/v1/orgs/org-a/notifications/"
    assert api.get(f"{base}{theirs.pk}/").status_code == 404
    assert api.post(f"{base}{theirs.pk}/read/").status_code == 404
    assert api.get(f"{base}not-a-number/").status_code == 404
    assert api.post(f"{base}99999999999999999999/read/").status_code == 404
    assert api.get(base + "?unread=perhaps").status_code == 400
    assert api_as(cast.outsider).get(base).status_code == 404
    assert api_as(cast.mentee2, "read").post(f"{base}{theirs.pk}/read/").status_code == 403
    theirs.refresh_from_db()
    assert not theirs.is_read


# --- Quiet hours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "now_utc", "due_utc"),
    [
        # Berlin, winter (UTC+1): 23:30 local waits until 07:00 local.
        ("Europe/Berlin", "2027-01-14T22:30", "2027-01-15T06:00"),
        # Berlin, 06:59 local: one minute left.
        ("Europe/Berlin", "2027-01-15T05:59", "2027-01-15T06:00"),
        # Berlin, 07:00 local: straight away.
        ("Europe/Berlin", "2027-01-15T06:00", "2027-01-15T06:00"),
        # Berlin, 21:59 local: straight away.
        ("Europe/Berlin", "2027-01-15T20:59", "2027-01-15T20:59"),
        # New York, the night clocks go forward (14 March 2027): 23:00 EST → 07:00 EDT.
        ("America/New_York", "2027-03-14T04:00", "2027-03-14T11:00"),
        # New York, the night clocks go back (7 November 2027): 23:00 EDT → 07:00 EST.
        ("America/New_York", "2027-11-07T03:00", "2027-11-07T12:00"),
        # Kolkata (UTC+5:30), 02:00 local.
        ("Asia/Kolkata", "2027-06-01T20:30", "2027-06-02T01:30"),
    ],
)
def test_quiet_hours_end_at_seven_local(settings, zone, now_utc, due_utc):
    import zoneinfo

    settings.NOTIFICATIONS_QUIET_HOURS = QUIET
    now = datetime.fromisoformat(now_utc).replace(tzinfo=UTC)
    due = next_send_time(now, zoneinfo.ZoneInfo(zone))
    assert due.astimezone(UTC) == datetime.fromisoformat(due_utc).replace(tzinfo=UTC)


def test_an_email_due_at_night_waits_for_morning_never_dropped(cast, tell, settings, client):
    settings.NOTIFICATIONS_QUIET_HOURS = QUIET
    cast.mentee1.time_zone = "America/New_York"
    cast.mentee1.save()
    # 23:30 in New York on the night clocks go forward.
    with time_machine.travel(datetime(2027, 3, 14, 4, 30, tzinfo=UTC), tick=False) as clock:
        row = tell(cast.mentee1)
        assert mail.outbox == []  # no email now...
        client.force_login(cast.mentee1)  # ...but the in-app row is there at once
        assert escape(row.title) in client.get("/o/org-a/notifications/").content.decode()
        row.refresh_from_db()
        assert row.email_status == "pending"
        assert row.email_due_at == datetime(2027, 3, 14, 11, 0, tzinfo=UTC)  # 07:00 EDT
        clock.move_to(datetime(2027, 3, 14, 10, 59, tzinfo=UTC))
        assert send_due_notifications() == 0 and mail.outbox == []
        clock.move_to(datetime(2027, 3, 14, 11, 0, tzinfo=UTC))
        assert send_due_notifications() == 1
        assert [m.to for m in mail.outbox] == [["mentee1@a.example"]]
        assert send_due_notifications() == 0 and len(mail.outbox) == 1


def test_the_organizations_zone_counts_when_the_person_has_none(cast, tell, settings):
    settings.NOTIFICATIONS_QUIET_HOURS = QUIET
    cast.org_a.time_zone = "Asia/Tokyo"
    cast.org_a.save()
    # 12:00 UTC is 21:00 in Tokyo: sent; 14:00 UTC is 23:00 there: deferred to 22:00 UTC.
    with time_machine.travel(datetime(2027, 5, 3, 12, 0, tzinfo=UTC), tick=False) as clock:
        assert tell(cast.mentee1).email_status == "sent"
        assert len(mail.outbox) == 1
        clock.move_to(datetime(2027, 5, 3, 14, 0, tzinfo=UTC))
        row = tell(cast.mentee1)
        assert row.email_due_at == datetime(2027, 5, 3, 22, 0, tzinfo=UTC)
        assert len(mail.outbox) == 1


def test_a_revoked_invitation_waiting_for_morning_is_not_sent(cast, settings):
    settings.NOTIFICATIONS_QUIET_HOURS = QUIET
    with time_machine.travel(datetime(2027, 5, 3, 23, 0, tzinfo=UTC), tick=False) as clock:
        with scope(organization=cast.org_a):
            invitation = services.invite_member(
                organization=cast.org_a, email="late@example.com", role="member", actor=cast.admin
            )
            services.revoke_invitation(invitation=invitation, actor=cast.admin)
        clock.move_to(datetime(2027, 5, 4, 7, 0, tzinfo=UTC))
        assert send_due_notifications() == 0
    assert mail.outbox == [] and [r.email_status for r in rows()] == ["cancelled"]


# --- Never twice: concurrent senders -------------------------------------------------------------


def sent_row(cast, program):
    """A notification whose email went out (outside a transaction, on-commit runs at once)."""
    enrollment = EnrollmentFactory(program=program, user=cast.mentee1)
    with scope(organization=cast.org_a):
        row = notify(
            ENROLLED,
            organization=cast.org_a,
            key="raced",
            recipient=cast.mentee1,
            context={"enrollment": enrollment, "program": program, "organization": cast.org_a},
        )
    mail.outbox = []
    return row


def make_pending(row):
    with scopes_disabled():
        Notification.objects.filter(pk=row.pk).update(email_status="pending")


@pytest.mark.django_db(transaction=True)
def test_a_row_another_worker_is_sending_is_skipped(cast, program):
    row = sent_row(cast, program)
    make_pending(row)
    other = psycopg2.connect(**_conninfo())  # another worker, its own connection
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM mentorship_notification WHERE id = %s FOR UPDATE", [row.pk]
            )
            with scope(organization=cast.org_a):  # locked: skipped, not waited for
                assert delivery.deliver(cast.org_a.pk, row.pk) == "skipped"
        other.rollback()
    finally:
        other.close()
    with scope(organization=cast.org_a):
        assert delivery.deliver(cast.org_a.pk, row.pk) == "sent"
        assert delivery.deliver(cast.org_a.pk, row.pk) == "skipped"
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_email(cast, program):
    row = sent_row(cast, program)
    for attempt in range(5):
        make_pending(row)
        start, results = threading.Barrier(2), []

        def worker(start=start, results=results):
            start.wait()
            with scope(organization=cast.org_a):
                results.append(delivery.deliver(cast.org_a.pk, row.pk))
            connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["sent", "skipped"], attempt
    assert len(mail.outbox) == 5  # one per round, never two


def _conninfo():
    db = connection.settings_dict
    return {
        "dbname": db["NAME"],
        "user": db["USER"],
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "password": db["PASSWORD"] or None,
    }
