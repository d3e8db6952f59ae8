"""The tenant-owned models, found rather than listed: every model with an ``organization``
foreign key (DESIGN.md, Tenancy). A new app's models are covered the day they exist."""

from django.apps import apps

from mentorship.models import Organization


def is_tenant_model(model) -> bool:
    field = next((f for f in model._meta.concrete_fields if f.name == "organization"), None)
    return field is not None and field.related_model is Organization


def tenant_models() -> list[type]:
    return [m for m in apps.get_models() if is_tenant_model(m)]


def label(model) -> str:
    return model._meta.label
