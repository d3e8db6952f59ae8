"""The audit log's one write path. Services call ``record`` inside their transaction."""

from .models import AuditLogEntry


def record(*, organization, actor, action: str, target=None, data: dict | None = None):
    return AuditLogEntry.objects.create(
        organization=organization,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        data=data or {},
    )
