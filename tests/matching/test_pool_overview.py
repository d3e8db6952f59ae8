"""The pool overview: enrolled, profiled, matched and not; mentors' seats; who is matched with
whom; search, filters and pages; the same counts in the API."""

import pytest
from django.urls import reverse

from tests.factories import (
    EnrollmentFactory,
    MatchFactory,
    ProfileFactory,
    ProgramFactory,
    UserFactory,
)
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cast):
    return ProgramFactory(
        organization=cast.org_a, slug="pilot", status="active", default_mentor_capacity=2
    )


def person(program, role, name, *, profile=True, capacity=None):
    enrollment = EnrollmentFactory(
        program=program,
        role=role,
        capacity=capacity,
        user=UserFactory(email=f"{name.lower()}@a.example", name=name),
    )
    if profile:
        ProfileFactory(enrollment=enrollment)
    return enrollment


@pytest.fixture
def pool(program):
    """Ann (capacity 3) mentors Bea (active) and Cid (paused); Dan (default capacity 2) has
    nobody; Eve is matched with nobody any more (her match ended), Fay has no profile."""
    ann = person(program, "mentor", "Ann", capacity=3)
    dan = person(program, "mentor", "Dan")
    bea, cid = person(program, "mentee", "Bea"), person(program, "mentee", "Cid")
    eve, fay = person(program, "mentee", "Eve"), person(program, "mentee", "Fay", profile=False)
    MatchFactory(program=program, mentee=bea, mentor=ann)
    MatchFactory(program=program, mentee=cid, mentor=ann, status="paused")
    MatchFactory(program=program, mentee=eve, mentor=dan, status="ended", end_reason="Moved")
    # Someone who withdrew counts nowhere.
    EnrollmentFactory(program=program, role="mentee", status="withdrawn")
    return {"ann": ann, "dan": dan, "bea": bea, "cid": cid, "eve": eve, "fay": fay}


def url(program):
    return reverse("matching:pool", kwargs={"org_slug": "org-a", "program_slug": program.slug})


def test_counts_matched_unmatched_and_seats(client, cast, program, pool):
    client.force_login(cast.hr)
    response = client.get(url(program))
    assert response.status_code == 200
    assert response.context["mentees"] == {
        "enrolled": 4,
        "profiled": 3,
        "matched": 2,  # an open match is active or paused
        "unmatched": 2,
    }
    assert response.context["mentors"] == {
        "enrolled": 2,
        "profiled": 2,
        "matched": 1,
        "unmatched": 1,
        "seats": 5,  # Ann's 3 and the program's default 2 for Dan
        "seats_taken": 2,
        "seats_free": 3,
    }
    html = response.content.decode()
    assert "2 of 4 mentees matched" in html and "2 of 5 mentor seats taken" in html


def test_rows_say_who_is_matched_with_whom(client, cast, program, pool):
    client.force_login(cast.admin)
    rows = {e.pk: (e, partners) for e, _, partners in client.get(url(program)).context["rows"]}
    assert [p.pk for p in rows[pool["ann"].pk][1]] == [pool["bea"].pk, pool["cid"].pk]
    assert [p.pk for p in rows[pool["bea"].pk][1]] == [pool["ann"].pk]
    assert rows[pool["eve"].pk][1] == [] and rows[pool["dan"].pk][1] == []
    assert rows[pool["ann"].pk][0].open_matches == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "matched"}, {"ann", "bea", "cid"}),
        ({"state": "unmatched"}, {"dan", "eve", "fay"}),
        ({"state": "no_profile"}, {"fay"}),
        ({"state": "unmatched", "role": "mentee"}, {"eve", "fay"}),
        ({"q": "EVE"}, {"eve"}),
        ({"q": "a.example", "role": "mentor"}, {"ann", "dan"}),
        ({"q": "nobody"}, set()),
    ],
)
def test_filters(client, cast, program, pool, query, expected):
    client.force_login(cast.admin)
    response = client.get(url(program), query)
    assert response.status_code == 200
    names = {name for name, e in pool.items()}
    shown = {e.pk for e, _, _ in response.context["rows"]}
    assert {name for name in names if pool[name].pk in shown} == expected
    if not expected:
        assert "Nobody matches this filter." in response.content.decode()


def test_a_bad_filter_is_a_400(client, cast, program, pool):
    client.force_login(cast.admin)
    response = client.get(url(program), {"state": "married"})
    assert response.status_code == 400
    assert response.context["rows"] == []


def test_warns_when_seats_run_short(client, cast, program):
    person(program, "mentor", "Ann", capacity=1)
    for name in ("Bea", "Cid", "Dee"):
        person(program, "mentee", name)
    client.force_login(cast.admin)
    html = client.get(url(program)).content.decode()
    assert "3 mentees wait for a mentor but only 1 seat is free" in html


def test_pages_of_fifty(client, cast, program):
    for k in range(55):
        EnrollmentFactory(program=program, role="mentee", user=None, email=f"p{k:02}@x.example")
    client.force_login(cast.admin)
    first = client.get(url(program))
    assert len(first.context["rows"]) == 50 and "Page 1 of 2" in first.content.decode()
    assert len(client.get(url(program), {"page": 2}).context["rows"]) == 5


def test_constant_queries_with_matches(client, cast, program):
    client.force_login(cast.admin)

    def add(n, start):
        mentor = person(program, "mentor", f"Mentor{start}", capacity=n)
        for k in range(n):
            MatchFactory(
                program=program, mentor=mentor, mentee=person(program, "mentee", f"M{start + k}")
            )

    add(1, 0)
    small = count_queries(client, url(program))
    add(6, 10)
    assert count_queries(client, url(program)) == small


def test_api_pool_counts(api_client, cast, program, pool):
    path = reverse("api:matching-pool", kwargs={"org_slug": "org-a", "program_slug": program.slug})
    api_client.force_authenticate(cast.hr)
    body = api_client.get(path).json()
    assert body["mentees"] == {"enrolled": 4, "profiled": 3, "matched": 2, "unmatched": 2}
    assert body["mentors"]["seats"] == 5 and body["mentors"]["seats_free"] == 3
