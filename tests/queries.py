"""One helper for the rule that list pages and API lists run a constant number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

FEW, MANY = 2, 10


def count_queries(client, url, status=200) -> int:
    """The queries of a second visit: what a page keeps in the cache (the navigation bar's
    counts, say) is kept by the first."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return len(ctx.captured_queries)


def assert_constant_queries(client, url, add_row, *, status=200):
    """The page or endpoint at ``url`` runs as many queries with MANY rows as with FEW:
    ``add_row()`` adds one row to what it lists (the rows it already has count too)."""
    for _ in range(FEW):
        add_row()
    few = count_queries(client, url, status)
    for _ in range(MANY - FEW):
        add_row()
    assert count_queries(client, url, status) == few
