"""Shared reads of the audit log page for the apps' audit-sentence tests."""

from django.urls import reverse
from django_scopes import scopes_disabled

from mentorship import audit
from mentorship.models import AuditLogEntry


def log(client, cast):
    """(plain sentence, html) of each entry, oldest first."""
    client.force_login(cast.admin)
    response = client.get(reverse("org:audit-log", args=[cast.org_a.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    body = body[body.index('id="audit-log"') :]
    parts = [part.split("</p>")[0] for part in body.split('<p class="mb-0">')[1:]]
    return [(audit.plain(p), p) for p in reversed(parts)]


def recorded_actions(cast):
    with scopes_disabled():
        return set(
            AuditLogEntry.objects.filter(organization=cast.org_a).values_list("action", flat=True)
        )
