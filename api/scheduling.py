"""Scheduling over the API: a team's slots with their free capacity for a date range."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from scheduling.models import ScheduleSlot
from scheduling.selectors import slot_get, slots_in_range

from .permissions import HasPerm
from .schema import problems

MAX_RANGE_DAYS = 62


class SlotSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", read_only=True)
    free = serializers.IntegerField(read_only=True)

    class Meta:
        model = ScheduleSlot
        fields = ["id", "team_id", "team", "start", "end", "capacity", "booked_count", "free"]
        fields += ["location_note"]
        read_only_fields = fields


class SlotQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(required=False, min_value=1)
    start = serializers.DateField(required=False, help_text="First day (default today).")
    end = serializers.DateField(required=False, help_text="Last day (default start + 13 days).")

    def validate(self, attrs):
        start = attrs.get("start") or timezone.localdate()
        end = attrs.get("end") or start + dt.timedelta(days=13)
        if end < start:
            raise serializers.ValidationError({"end": ["The end is before the start."]})
        if (end - start).days > MAX_RANGE_DAYS:
            raise serializers.ValidationError({"end": [f"Ask for at most {MAX_RANGE_DAYS} days."]})
        return {**attrs, "start": start, "end": end}


@extend_schema_view(
    list=extend_schema(
        summary="Slots with free capacity for a date range",
        parameters=[
            OpenApiParameter("team", int, description="Support team id."),
            OpenApiParameter("start", dt.date),
            OpenApiParameter("end", dt.date),
        ],
        responses={200: SlotSerializer, **problems(400)},
    ),
    retrieve=extend_schema(summary="One slot", responses={200: SlotSerializer, **problems(404)}),
)
class SlotViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasPerm.of("scheduling.view_scheduleslot")]
    serializer_class = SlotSerializer
    queryset = ScheduleSlot.objects.none()

    def get_object(self):
        pk = self.kwargs["pk"]
        slot = slot_get(slot_id=int(pk)) if str(pk).isdigit() else None
        if slot is None or slot.deleted_at is not None:
            raise Http404("No such slot.")
        return slot

    def get_queryset(self):
        query = SlotQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        team = query.validated_data.get("team")
        return slots_in_range(
            first_day=query.validated_data["start"],
            last_day=query.validated_data["end"],
            team_ids=[team] if team else None,
        )
