"""Constant queries on a program's match runs (page and API), whatever their number."""

from itertools import count

import pytest
from django.urls import reverse

from tests.factories import MatchRunFactory, ProgramFactory
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["matching:runs", "api:match-run-list"])
def test_run_list_runs_constant_queries(client, cast, url_name):
    client.force_login(cast.admin)
    program = ProgramFactory(organization=cast.org_a, slug="pilot")
    numbers = count(1)

    def add_row():
        MatchRunFactory(program=program, number=next(numbers), created_by=cast.admin)

    url = reverse(url_name, kwargs={"org_slug": cast.org_a.slug, "program_slug": program.slug})
    assert_constant_queries(client, url, add_row)
