"""Constant queries on a program's cohort list (page and API), whatever its length."""

import pytest
from django.urls import reverse

from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["programs:cohorts", "api:cohort-list"])
def test_cohort_list_runs_constant_queries(client, cast, url_name):
    client.force_login(cast.admin)
    program = ProgramFactory(organization=cast.org_a, slug="pilot")

    def add_row():  # a cohort with people in it: its counts come from the same query
        cohort = CohortFactory(program=program)
        EnrollmentFactory(program=program, cohort=cohort, role="mentee")

    url = reverse(url_name, kwargs={"org_slug": cast.org_a.slug, "program_slug": program.slug})
    assert_constant_queries(client, url, add_row)
