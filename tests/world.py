"""The world the security harness and the API fuzzer walk: the cast plus an object of each kind
in both organizations (``world.objects[kind] == (org A's, org B's)``).

Each app builds its part in ``tests/<app>/world.py`` (lower layers first, so a part may use
what the layers below it made): ``build(w)`` returns its object kinds, and ``admin_objects(w)``,
where an app registers admin pages, the objects they show. A new app adds its file; the scope
tests fail, naming the model, until the world has a row of each of its tenant models.
"""

from types import SimpleNamespace

from django_scopes import scopes_disabled

from mentorship.models import Membership
from tests.per_app import app_parts


def build_world(cast):
    w = SimpleNamespace(cast=cast, objects={})
    for app, part in app_parts("world").items():
        objects = part.build(w)
        twice = sorted(w.objects.keys() & objects.keys())
        assert not twice, f"tests/{app}/world.py makes object kinds made before: {twice}"
        w.objects.update(objects)
    with scopes_disabled():
        w.user_ids = set(
            Membership.objects.filter(organization__in=[cast.org_a, cast.org_b]).values_list(
                "user_id", flat=True
            )
        )
    return w


def add_admin_objects(w):
    """``w.admin_objects``: model label → an object whose admin pages the table opens."""
    w.admin_objects = {}
    for part in app_parts("world").values():
        if hasattr(part, "admin_objects"):
            w.admin_objects |= part.admin_objects(w)
    return w
