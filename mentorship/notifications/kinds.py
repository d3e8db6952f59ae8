"""The registry of notification kinds. Each app registers its own in ``<app>/notifications.py``,
imported from its ``AppConfig.ready()``."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """Something the platform tells people.

    ``template`` is the prefix of the email's ``_subject.txt`` (also the in-app title) and
    ``_body.txt``. ``mandatory`` says, to the reader of the preferences page, why this email
    can't be turned off; empty means people may turn it off.
    """

    name: str
    label: str
    audience: str
    template: str
    mandatory: str = ""

    def __str__(self):
        return self.name


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if _KINDS.setdefault(kind.name, kind) is not kind:
        raise ValueError(f"Notification kind {kind.name!r} is registered twice.")
    return kind


def get(name: str) -> Kind | None:
    return _KINDS.get(name)


def all_kinds() -> list[Kind]:
    """Every kind, in the order the apps registered them (core first, then up the layers)."""
    return list(_KINDS.values())


def optional_kinds() -> list[Kind]:
    return [k for k in _KINDS.values() if not k.mandatory]


# The core's own kind.
INVITATION = register(
    Kind(
        name="mentorship.invitation",
        label="Invitations to join an organization",
        audience="People invited by an admin",
        template="mentorship/email/invitation",
        mandatory="It is how an invited person joins; they have no account to set it in yet.",
    )
)
