import django_filters

from .models import Program


class ProgramFilter(django_filters.FilterSet):
    # Declared (not Meta.fields) so the schema is built without querying outside a tenant.
    status = django_filters.ChoiceFilter(choices=Program.Status.choices)

    class Meta:
        model = Program
        fields = ["status"]
