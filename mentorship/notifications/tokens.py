"""Signed unsubscribe tokens: one per person and kind, good until the person's account goes."""

from django.core import signing

SALT = "mentorship.notifications.unsubscribe"


def make(user, kind) -> str:
    return signing.dumps([user.pk, kind.name], salt=SALT, compress=True)


def read(token: str) -> tuple[int, str] | None:
    """(user id, kind name), or None for a token this site did not sign."""
    try:
        user_id, kind_name = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind_name, str):
        return None
    return user_id, kind_name
