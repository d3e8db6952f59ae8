"""When an email may go out: not between 22:00 and 07:00 in the recipient's time zone."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings


def zone_of(recipient, organization) -> zoneinfo.ZoneInfo:
    """The recipient's own zone, else the organization's (as pages show times)."""
    name = (recipient.time_zone if recipient else "") or organization.time_zone
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def is_quiet(local: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # the hours wrap past midnight


def next_send_time(moment: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """``moment`` itself, or the end of the quiet hours it falls in, in ``zone``'s wall time.

    The end is built as a wall-clock time on the right day and only then made absolute, so a
    night with a daylight-saving change still ends at 07:00 local, not an hour off.
    """
    hours = settings.NOTIFICATIONS_QUIET_HOURS
    if not hours:
        return moment
    start, end = hours
    local = moment.astimezone(zone)
    if not is_quiet(local.time(), start, end):
        return moment
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone)
