"""“What's next” on an organization's home: the few things this person should do now, in words.

The core knows nothing of programs or matching (they build on it), so each app registers a
provider here from its ``AppConfig.ready()``: a function of the membership that returns steps.
Providers must run a fixed number of queries, whatever the number of programs or people.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    text: str  # plain text; escaped when shown
    url: str = ""
    action: str = ""  # the link's words, e.g. "Fill in your profile"
    urgent: bool = False  # someone is waiting on this person


Provider = Callable[[object], list[Step]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def for_member(membership) -> list[Step]:
    """Every provider's steps, the urgent first (otherwise in the providers' order)."""
    steps = [step for provider in _providers for step in provider(membership)]
    return sorted(steps, key=lambda step: not step.urgent)
