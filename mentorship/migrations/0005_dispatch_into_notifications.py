"""Every email already sent (a Dispatch key) becomes a sent Notification under the same key, so
the keys carry over: nothing told before the switch is told again. Then Dispatch goes."""

from django.db import migrations

REQUEST_EVENTS_TO_MENTOR = {"new", "answered", "withdrawn"}


def kind_of(key):
    parts = key.split(":")
    head = parts[0]
    if head == "invitation":
        return "mentorship.invitation"
    if head == "enrollment":
        return "programs.enrolled"
    if head == "match":  # match:<id>:<person> or match:<id>:<status>:<change>:<person>
        return "matching.match_made" if len(parts) == 3 else "matching.match_changed"
    if head == "mentor-request":
        to_mentor = parts[2] in REQUEST_EVENTS_TO_MENTOR
        return "matching.request_received" if to_mentor else "matching.request_answered"
    if head == "suggestions-open":
        return "matching.suggestions_ready"
    if head == "run-auto-published":
        return "matching.run_published"
    return "legacy"


def forwards(apps, schema_editor):
    Dispatch = apps.get_model("mentorship", "Dispatch")
    Notification = apps.get_model("mentorship", "Notification")
    Notification.objects.bulk_create(
        [
            Notification(
                organization_id=d.organization_id,
                kind=kind_of(d.key),
                key=d.key,
                title="Sent before notifications were kept",
                email_status="sent",
                emailed_at=d.created_at,
                read_at=d.created_at,
            )
            for d in Dispatch.objects.iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0004_notifications"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="dispatch",
            name="dispatch_unique_key",
        ),
        migrations.DeleteModel(
            name="Dispatch",
        ),
    ]
