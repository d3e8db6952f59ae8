import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from matching.models import Match
from mentorship.celery import app as celery_app
from mentorship.models import AuditLogEntry, Membership, Organization, User
from programs.models import Enrollment, Program

pytestmark = pytest.mark.django_db


def test_healthz_ok_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_503_when_broker_is_down(client, monkeypatch):
    # A real connection attempt to a port where nothing listens.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"] == "ok"
    assert body["broker"].startswith("error: ")


def _snapshot():
    with scopes_disabled():
        return (
            sorted(User.objects.values_list("email", "name")),
            sorted(Membership.objects.values_list("organization__slug", "user__email", "role")),
            sorted(Organization.objects.values_list("slug", "name", "time_zone")),
            AuditLogEntry.objects.count(),
            sorted(Program.objects.values_list("slug", "status", "template_key")),
            sorted(Enrollment.objects.values_list("email", "role", "status", "cohort__name")),
            sorted(Match.objects.values_list("mentee__email", "status")),
        )


def test_seed_demo_twice_gives_the_same_data(capsys):
    call_command("seed_demo")
    first = _snapshot()
    out = capsys.readouterr().out
    assert "admin@example.com" in out and "demo-mentorship-2026" in out
    call_command("seed_demo")
    assert _snapshot() == first
    assert len(first[1]) == 6
    assert first[4] == [("career-moves-2027", "active", "career-transition")]
    assert first[5] == [
        ("mentee1@example.com", "mentee", "active", "Spring 2027"),
        ("mentee2@example.com", "mentee", "active", "Spring 2027"),
        ("mentor1@example.com", "mentor", "active", "Spring 2027"),
        ("mentor2@example.com", "mentor", "active", "Spring 2027"),
    ]
    # Matched through a real run, reviewed and published.
    assert first[6] == [("mentee1@example.com", "active"), ("mentee2@example.com", "active")]
    assert client_can_login("admin@example.com", "demo-mentorship-2026")


def client_can_login(email, password):
    from django.test import Client

    return Client().login(username=email, password=password)


def test_create_organization(capsys):
    call_command(
        "create_organization",
        "globex",
        "--name",
        "Globex",
        "--admin-email",
        "Boss@Globex.example",
        "--password",
        "a-long-good-password",
    )
    assert "Created Globex at /o/globex/" in capsys.readouterr().out
    with scopes_disabled():
        membership = Membership.objects.get(organization__slug="globex")
        assert AuditLogEntry.objects.get().action == "organization.created"
    assert (membership.user.email, membership.role) == ("boss@globex.example", "admin")
    assert client_can_login("boss@globex.example", "a-long-good-password")


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("globex", "The slug “globex” is already taken."),
        ("Bad Slug", "Use 1–50 lowercase letters"),
        ("api", "“api” is reserved"),
    ],
)
def test_create_organization_refuses_bad_or_taken_slug(slug, message):
    call_command(
        "create_organization", "globex", "--name", "Globex", "--admin-email", "a@g.example"
    )
    before = _snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("create_organization", slug, "--name", "Other", "--admin-email", "b@g.example")
    assert _snapshot() == before


def test_issue_api_token(capsys, api_client):
    call_command(
        "create_organization", "globex", "--name", "Globex", "--admin-email", "a@g.example"
    )
    call_command("issue_api_token", "a@g.example", "--read-only")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(reverse("api:org-list")).json()["results"][0]["slug"] == "globex"
    with pytest.raises(CommandError, match="No user with email nobody@x.example"):
        call_command("issue_api_token", "nobody@x.example")


def test_deploy_check_is_clean_with_production_settings():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "EMAIL_URL"}} | {
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-check-0123456789",
        "ALLOWED_HOSTS": "mentorship.example.org",
        "EMAIL_URL": "smtp+tls://user:pw@mail.example.org:587",
        "DEBUG": "false",
    }
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def _without_secret(*args):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(  # noqa: S603 - our own code
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False
    )


def test_without_secret_key_schema_commands_run_but_the_site_does_not_start():
    """A missing SECRET_KEY stops the web process at startup with a clear message; commands
    that sign nothing (the migration check) still run."""
    migrations = _without_secret("manage.py", "makemigrations", "--check", "--dry-run")
    assert migrations.returncode == 0, migrations.stderr
    web = _without_secret("-c", "import mentorship.wsgi")
    assert web.returncode != 0
    assert "Set SECRET_KEY (or DEBUG=true for local development)." in web.stderr
    deploy = _without_secret("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert deploy.returncode != 0 and "SECRET_KEY" in deploy.stderr


def test_celery_worker_and_beat_refuse_an_empty_secret_key(settings):
    from celery.signals import beat_init, worker_init

    from mentorship.celery import _require_secret_key

    for signal in (worker_init, beat_init):
        assert _require_secret_key in [ref() for _, ref in signal.receivers]
    _require_secret_key()  # a key is set: nothing happens
    settings.SECRET_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="Set SECRET_KEY"):
        _require_secret_key()


def test_site_url_follows_the_development_port():
    """Links in emails from `make run` point at the port actually served."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | {"PORT": "8123"}
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    )
    result = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "http://127.0.0.1:8123", result.stderr
