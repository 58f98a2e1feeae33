"""Refresh batches over the API: list, one batch, and a batch from serial numbers with
the same per-row report as the page."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from api.permissions import HasPerm
from api.schema import problems
from refresh import selectors, services
from refresh.choices import BatchRowOutcome, RefreshStyle
from refresh.models import RefreshBatch


class BatchSerializer(serializers.ModelSerializer):
    config = serializers.CharField(source="config.name", read_only=True)
    style = serializers.ChoiceField(
        choices=RefreshStyle.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty: the config's style.",
    )
    ticket_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RefreshBatch
        fields = ["id", "name", "config", "style", "created_at", "tickets_created_at"]
        fields += ["ticket_count"]
        read_only_fields = fields


class BatchCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    config_id = serializers.IntegerField(min_value=1)
    serials = serializers.ListField(child=serializers.CharField(max_length=80), max_length=5000)
    create_tickets = serializers.BooleanField(
        default=False, help_text="Create the tickets now; false saves the batch and previews."
    )


class BatchRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    serial_number = serializers.CharField()
    outcome = serializers.ChoiceField(choices=BatchRowOutcome.choices)
    message = serializers.CharField()
    ticket_id = serializers.IntegerField(allow_null=True)


class BatchReportSerializer(serializers.Serializer):
    batch = BatchSerializer()
    applied = serializers.BooleanField(help_text="True when tickets were created.")
    rows = BatchRowSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        summary="Refresh batches", responses={200: BatchSerializer, **problems(400)}
    ),
    retrieve=extend_schema(summary="One batch", responses={200: BatchSerializer, **problems(404)}),
)
class BatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasPerm.of("refresh.view_refreshbatch")]
    serializer_class = BatchSerializer
    queryset = RefreshBatch.objects.none()

    def get_queryset(self):
        return selectors.batches_for_staff(user=self.request.user)

    @extend_schema(
        summary="A batch from serial numbers, with the same per-row report as the page",
        request=BatchCreateSerializer,
        responses={201: BatchReportSerializer, **problems(400)},
    )
    def create(self, request, *args, **kwargs):
        body = BatchCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        config = (
            selectors.configs_for_staff(user=request.user).filter(pk=given["config_id"]).first()
        )
        if config is None:
            raise serializers.ValidationError({"config_id": ["No refresh config has this id."]})
        with transaction.atomic():
            batch = services.batch_create(
                name=given["name"],
                config=config,
                serials_text="\n".join(given["serials"]),
                actor=request.user,
            )
            if given["create_tickets"]:
                report = services.batch_create_tickets(batch=batch, actor=request.user)
                rows = [
                    {
                        "position": position,
                        "serial_number": row.key,
                        "outcome": row.outcome,
                        "message": row.message,
                        "ticket_id": row.ticket.pk if row.ticket else None,
                    }
                    for position, row in enumerate(report.rows, start=1)
                ]
                applied = report.applied
            else:
                rows = [
                    {
                        "position": row.position,
                        "serial_number": row.serial_number,
                        "outcome": row.outcome,
                        "message": row.message or row.outcome_label,
                        "ticket_id": None,
                    }
                    for row in services.batch_preview(batch=batch)
                ]
                applied = False
        batch = self.get_queryset().get(pk=batch.pk)
        data = {"batch": BatchSerializer(batch).data, "applied": applied, "rows": rows}
        return Response(BatchReportSerializer(data).data, status=status.HTTP_201_CREATED)
