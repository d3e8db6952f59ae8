"""The base of every tenant task: its first argument is an organization id, and it runs inside
that tenant's scope."""

from celery import Task
from django_scopes import scope


class TenantTask(Task):
    def __call__(self, organization_id, *args, **kwargs):
        if organization_id is None:  # scope(organization=None) would mean "every tenant"
            raise ValueError(f"{self.name} needs an organization id.")
        with scope(organization=organization_id):
            return super().__call__(organization_id, *args, **kwargs)
