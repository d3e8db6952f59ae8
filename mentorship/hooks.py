"""Named hooks: how a lower layer lets a higher one act without importing it.

The core imports no app and each app imports only the layers below it (DESIGN.md, enforced by
import-linter in ``make test``). Where a lower layer must let a higher one take part — a member
who joins activates the enrolments waiting on their email; a program made from a template also
sets up its matching — the lower layer declares a `Hook` in its ``hooks.py``, documents there
what it passes and when, and calls it explicitly; the higher app connects a receiver in its
``AppConfig.ready()``.

Not Django signals: hooks are few, named and called in plain sight. Receivers run in the order
they were connected, synchronously, inside the caller's transaction: an exception rolls the
caller's write back too, and side effects belong in ``transaction.on_commit`` as anywhere else.
"""

from collections.abc import Callable
from typing import Any


class Hook:
    """One extension point: ``connect`` receivers, then ``send`` (every receiver's answer, in
    order) or ``pipe`` (a value passed through every receiver in turn)."""

    def __init__(self, name: str, doc: str):
        self.name = name
        self.__doc__ = doc
        self._receivers: list[Callable[..., Any]] = []

    def __repr__(self):
        return f"<Hook {self.name}: {len(self._receivers)} receiver(s)>"

    def connect(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        """Add a receiver (once: ``ready()`` may run twice in tests). Usable as a decorator."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def send(self, **kwargs) -> list[Any]:
        return [receiver(**kwargs) for receiver in self._receivers]

    def pipe(self, value, **kwargs):
        for receiver in self._receivers:
            value = receiver(value, **kwargs)
        return value


# --- The core's hooks ----------------------------------------------------------------------------

member_joined = Hook(
    "member_joined",
    """A user became a member of an organization by accepting an invitation.

    ``send(organization=…, user=…)``, inside the acceptance's transaction, after the membership
    and the invitation are saved. Programs: enrolments invited by this email become the user's.
    """,
)

org_home = Hook(
    "org_home",
    """What the organization's home page shows of each app, for the current member.

    ``send(request=…)`` → each receiver returns a dict merged into the page's context (a fixed
    number of queries, whatever the organization's size). Programs: the program count and the
    member's own enrolments.
    """,
)
