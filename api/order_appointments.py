"""A software install's appointment over the API (orders staff): read it, book or move
it to a slot, cancel it. The same services as the order page: no double booking,
one audit row each, the end user emailed the new time with an .ics."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from orders import selectors as staff_selectors
from orders.services.appointments import (
    order_appointment_active,
    order_appointment_cancel,
    order_appointment_move,
)
from scheduling.exceptions import SlotUnavailable

from .permissions import CanWorkOrders
from .schema import problems


class SlotTaken(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "That slot is no longer available. Pick another one."


class AppointmentSerializer(serializers.Serializer):
    booking_id = serializers.IntegerField(source="pk")
    slot_id = serializers.IntegerField()
    start = serializers.DateTimeField(source="slot.start")
    end = serializers.DateTimeField(source="slot.end")
    team = serializers.CharField(source="slot.team.name")
    location_note = serializers.CharField(source="slot.location_note")
    created_at = serializers.DateTimeField()


class AppointmentMoveSerializer(serializers.Serializer):
    slot_id = serializers.IntegerField(
        min_value=1, help_text="A free slot (GET /scheduling/slots/)."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AppointmentCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text="The end user reads it in the cancellation email.",
    )


class OrderAppointmentView(APIView):
    permission_classes = [CanWorkOrders]

    def _order(self, number: int):
        order = staff_selectors.staff_order_get(user=self.request.user, number=number)
        if order is None:
            raise Http404("No such order.")
        return order

    @extend_schema(
        summary="The install's appointment",
        responses={200: AppointmentSerializer, **problems(404)},
    )
    def get(self, request, number: int):
        booking = order_appointment_active(order=self._order(number))
        if booking is None:
            raise Http404("The order has no appointment.")
        return Response(AppointmentSerializer(booking).data)

    @extend_schema(
        summary="Book or move the install's appointment",
        description="Moves the appointment to `slot_id` (books one when there is none); "
        "the end user is emailed the new time with an .ics. 409 when the slot is full.",
        request=AppointmentMoveSerializer,
        responses={200: AppointmentSerializer, **problems(400, 404, 409)},
    )
    def post(self, request, number: int):
        order = self._order(number)
        payload = AppointmentMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            booking = order_appointment_move(
                order=order,
                actor=request.user,
                slot_id=payload.validated_data["slot_id"],
                note=payload.validated_data["note"],
            )
        except SlotUnavailable as exc:
            raise SlotTaken(str(exc)) from exc
        return Response(AppointmentSerializer(booking).data)

    @extend_schema(
        summary="Cancel the install's appointment",
        request=AppointmentCancelSerializer,
        responses={204: None, **problems(400, 404)},
    )
    def delete(self, request, number: int):
        order = self._order(number)
        payload = AppointmentCancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order_appointment_cancel(
            order=order, actor=request.user, reason=payload.validated_data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
