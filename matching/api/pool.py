"""The pool overview in the API: how many mentees and mentors, how far their profiles are."""

from rest_framework import generics, serializers
from rest_framework.response import Response

from programs.api.programs import ProgramPartMixin
from programs.models import Enrollment

from .. import queries

# --- Pool overview -------------------------------------------------------------------------------


class RoleCountsSerializer(serializers.Serializer):
    enrolled = serializers.IntegerField(help_text="Active enrolments.")
    profiled = serializers.IntegerField(help_text="Of those, with a profile.")
    matched = serializers.IntegerField(
        help_text="Mentees with an open match; mentors with at least one mentee."
    )
    unmatched = serializers.IntegerField()


class MentorCountsSerializer(RoleCountsSerializer):
    seats = serializers.IntegerField(help_text="Their capacities (or the program's default).")
    seats_taken = serializers.IntegerField()
    seats_free = serializers.IntegerField()


class PoolSerializer(serializers.Serializer):
    mentees = RoleCountsSerializer()
    mentors = MentorCountsSerializer()


class PoolView(ProgramPartMixin, generics.GenericAPIView):
    """The pool overview: who is enrolled, profiled, matched and not, and the mentors' seats.
    Open matches (active or paused) count as matched."""

    serializer_class = PoolSerializer
    queryset = Enrollment.objects.none()

    def get(self, request, *args, **kwargs):
        counts = queries.pool_counts(self.get_program())
        data = {
            "mentees": counts[Enrollment.Role.MENTEE],
            "mentors": counts[Enrollment.Role.MENTOR],
        }
        return Response(PoolSerializer(data).data)
