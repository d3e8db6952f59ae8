"""django-scopes' ScopedManager, with the reads it leaves open closed too.

django-scopes refuses a query on a tenant model outside ``scope(...)`` by handing out a
queryset whose methods raise, but its list misses a few (``exists``, ``exclude``, …) that
would then run across every tenant. ``TenantManager`` refuses those as well.
"""

from django_scopes.manager import DisabledQuerySet, ScopedManager


class StrictDisabledQuerySet(DisabledQuerySet):
    error = DisabledQuerySet.error
    exists = error
    contains = error
    exclude = error
    in_bulk = error
    select_related = error
    prefetch_related = error
    distinct = error
    defer = error
    alias = error
    extra = error
    explain = error
    bulk_update = error
    aexists = error
    acount = error
    aget = error
    afirst = error


def TenantManager(**scopes):  # noqa: N802 - mirrors django-scopes' ScopedManager factory
    """``ScopedManager(organization="organization")`` with the stricter refusal."""
    base = type(ScopedManager(**scopes))

    class Manager(base):
        def get_queryset(self):
            queryset = super().get_queryset()
            if isinstance(queryset, DisabledQuerySet):
                queryset.__class__ = StrictDisabledQuerySet
            return queryset

    return Manager()
