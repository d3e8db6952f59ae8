"""Named hooks (`mentorship.hooks`): receivers run once each, in order, inside the caller's
transaction; the apps' receivers are connected at start-up."""

from unittest.mock import patch

import pytest
from django_scopes import scope, scopes_disabled

from matching import hooks as matching_hooks
from mentorship import hooks
from mentorship import services as org_services
from mentorship.models import Invitation, Membership
from programs import hooks as program_hooks
from tests.factories import InvitationFactory, UserFactory


def test_a_receiver_connected_twice_runs_once_and_in_order():
    hook = hooks.Hook("probe", "A hook for this test.")
    seen = []

    def first(**kwargs):
        seen.append(("first", kwargs))
        return 1

    def second(**kwargs):
        seen.append(("second", kwargs))
        return 2

    hook.connect(first)
    hook.connect(second)
    hook.connect(first)  # ready() may run twice
    assert hook.send(x=1) == [1, 2]
    assert seen == [("first", {"x": 1}), ("second", {"x": 1})]
    assert hook.__doc__ == "A hook for this test."


def test_pipe_passes_the_value_through_every_receiver():
    hook = hooks.Hook("probe", "")
    hook.connect(lambda value, *, step: value + [step])
    hook.connect(lambda value, *, step: value + [step * 10])
    assert hook.pipe([], step=2) == [2, 20]
    assert hooks.Hook("empty", "").pipe("unchanged") == "unchanged"


def test_the_apps_connect_their_receivers_at_start_up():
    names = lambda hook: [r.__module__ + "." + r.__qualname__ for r in hook._receivers]  # noqa: E731
    assert names(hooks.member_joined) == ["programs.enrolment.link_invited_enrollments"]
    assert names(hooks.org_home) == ["programs.queries.org_home_section"]
    assert names(program_hooks.program_created) == [
        "matching.services.criteria.set_up_program",
        "roadmaps.services.templates.set_up_program",
        "rooms.services.prompts.set_up_program",
    ]
    assert names(program_hooks.program_closed) == ["rooms.services.meetings.program_closed"]
    assert names(program_hooks.template_sections) == [
        "matching.defaults.add_to_template",
        "roadmaps.defaults.add_to_template",
    ]
    assert names(matching_hooks.matches_started) == [
        "roadmaps.services.roadmaps.start_matches",
        "rooms.services.rooms.open_rooms",
    ]
    assert names(matching_hooks.match_changed) == [
        "roadmaps.services.roadmaps.match_changed",
        "rooms.services.meetings.match_changed",
    ]
    assert names(program_hooks.enrollments_for_owner) == ["matching.queries.annotate_for_owner"]
    assert names(program_hooks.open_pairs_of) == ["matching.queries.open_matches_of"]


@pytest.mark.django_db
def test_a_failing_receiver_rolls_the_callers_write_back(cast):
    """member_joined runs inside accept_invitation's transaction: if a receiver fails, the
    membership and the accepted invitation are not saved either."""
    with scope(organization=cast.org_a):
        invitation = InvitationFactory(organization=cast.org_a, email="late@example.com")
    user = UserFactory(email="late@example.com")

    def boom(**kwargs):
        raise RuntimeError("receiver failed")

    with (
        patch.object(hooks.member_joined, "_receivers", [boom]),
        pytest.raises(RuntimeError, match="receiver failed"),
    ):
        org_services.accept_invitation(invitation=invitation, user=user)
    with scopes_disabled():
        assert not Membership.objects.filter(user=user).exists()
        assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
