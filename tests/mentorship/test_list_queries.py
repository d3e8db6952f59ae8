"""Constant queries on the core's lists: the audit log and the pending invitations (page and
API), whatever their length."""

from itertools import count

import pytest
from django.urls import reverse

from mentorship import audit
from tests.factories import InvitationFactory, ProgramFactory
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["org:audit-log", "api:audit-log-list"])
def test_audit_log_runs_constant_queries(client, cast, url_name):
    client.force_login(cast.admin)
    numbers = count()

    def add_row():  # each entry names its own program, as real ones do
        program = ProgramFactory(organization=cast.org_a, slug=f"p{next(numbers)}")
        audit.record(
            organization=cast.org_a, actor=cast.admin, action="program.created", target=program
        )

    url = reverse(url_name, kwargs={"org_slug": cast.org_a.slug})
    assert_constant_queries(client, url, add_row)


@pytest.mark.parametrize("url_name", ["org:members", "api:invitation-list"])
def test_pending_invitations_run_constant_queries(client, cast, url_name):
    client.force_login(cast.admin)
    url = reverse(url_name, kwargs={"org_slug": cast.org_a.slug})
    assert_constant_queries(
        client, url, lambda: InvitationFactory(organization=cast.org_a, invited_by=cast.admin)
    )
