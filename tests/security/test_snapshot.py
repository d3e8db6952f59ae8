"""The "nothing changed" snapshot (``tests.snapshot``) sees every tenant model and every
column, in the world's two organizations only, and leaves out only the bookkeeping of a
sign-in or a token's use."""

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from matching.models import MentorRequestMessage
from mentorship.models import ApiToken, Notification, User
from tests.factories import OrganizationFactory, ProgramFactory
from tests.snapshot import changed
from tests.tenant_models import label, tenant_models

from .harness import world_snapshot

pytestmark = pytest.mark.django_db


def test_it_holds_every_tenant_model_and_what_people_own(world):
    state = world_snapshot(world)
    assert {label(m) for m in tenant_models()} <= state.keys()
    owned = {"mentorship.ApiToken", "mentorship.EmailOptOut", "account.EmailAddress"}
    assert owned | {"mentorship.User", "mentorship.Organization"} <= state.keys()
    assert set(state["mentorship.User"]) == world.user_ids
    assert set(state["mentorship.Organization"]) == {world.cast.org_a.pk, world.cast.org_b.pk}


def test_a_changed_column_or_a_new_row_shows(world):
    before = world_snapshot(world)
    with scopes_disabled():
        MentorRequestMessage.objects.filter(organization=world.cast.org_b).update(body="Edited")
        Notification.objects.filter(organization=world.cast.org_a).update(read_at=timezone.now())
    ProgramFactory(organization=world.cast.org_a)  # and its foundation
    assert changed(before, world_snapshot(world)) == [
        "matching.MentorRequestMessage",
        "mentorship.Notification",
        "programs.Foundation",
        "programs.Program",
    ]


def test_bookkeeping_and_other_organizations_do_not_show(world):
    before = world_snapshot(world)
    with scopes_disabled():
        ApiToken.objects.filter(user__in=world.user_ids).update(last_used_at=timezone.now())
        User.objects.filter(pk__in=world.user_ids).update(last_login=timezone.now())
    ProgramFactory(organization=OrganizationFactory())  # another test run's organization
    assert changed(before, world_snapshot(world)) == []
