"""Every URL pattern of the root resolver, with what the security table needs to know of it."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver


@dataclass(frozen=True)
class Discovered:
    key: str  # fully qualified name ("org:members"), or the route string of an unnamed pattern
    route: str  # e.g. "o/<slug:org_slug>/members/<int:pk>/role/"
    name: str | None
    kwargs: tuple[str, ...]
    callback: Callable

    def __str__(self):
        return self.key

    @property
    def app(self) -> str:
        """The top-level package of the view (``programs``, ``allauth``, ``django``, …)."""
        view = getattr(self.callback, "cls", None) or getattr(
            self.callback, "view_class", self.callback
        )
        return view.__module__.split(".")[0]


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, route, ns)
        else:
            name = (f"{namespace}:{p.name}" if namespace else p.name) if p.name else None
            yield Discovered(
                key=name or route,
                route=route,
                name=name,
                kwargs=url_kwargs(route),
                callback=p.callback,
            )


def url_kwargs(route):
    return tuple(a or b for a, b in re.findall(r"\(\?P<(\w+)>|<(?:\w+:)?(\w+)>", route))


def discover_routes() -> list[Discovered]:
    return list(_walk(get_resolver().url_patterns))


def drf_methods(d: Discovered) -> set[str] | None:
    """The methods a DRF view answers (None for other views)."""
    view_class = getattr(d.callback, "cls", None)
    if view_class is None:
        return None
    allowed = {m.upper() for m in view_class.http_method_names} - {"HEAD", "OPTIONS", "TRACE"}
    actions = getattr(d.callback, "actions", None)
    if actions is not None:  # a viewset: the router's actions, minus what the view refuses
        return {m.upper() for m in actions} & allowed
    return {m.upper() for m in allowed if hasattr(view_class, m.lower())}
