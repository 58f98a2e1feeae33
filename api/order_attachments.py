"""An order's attachments over the API, with the portal's rules.

- List: orders staff see every attachment of any order; coordinators those of
  client-viewable messages of their organizations' orders (internal ones never).
- Upload: as on the staff order page, files travel on a message posted by orders
  staff (``orders.services.order_message_post``, validated by the page's own
  ``MessageForm``: same size/type/count limits and messages). The portal gives
  coordinators no upload, so neither does the API.
- Download: the file itself, through the same selectors as the pages' one
  download view (never a public media URL).
"""

from __future__ import annotations

import json

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from api.permissions import OrdersPortalOrStaff
from api.schema import problems
from common.http import stored_file_response
from orders import selectors as order_selectors
from orders.choices import MessageKind
from orders.forms.staff import MESSAGE_KIND_CHOICES, MessageForm
from orders.models import OrderAttachment
from orders.services import MAX_ATTACHMENTS_PER_MESSAGE, order_message_post

from .orders.serializers import MessageSerializer


class AttachmentSerializer(serializers.ModelSerializer):
    message_id = serializers.IntegerField(source="message.id", read_only=True)
    message_kind = serializers.ChoiceField(
        source="message.kind", choices=MessageKind.choices, read_only=True
    )
    url = serializers.SerializerMethodField(help_text="Download address of the file.")

    class Meta:
        model = OrderAttachment
        fields = [
            "id",
            "filename",
            "size",
            "content_type",
            "created_at",
            "message_id",
            "message_kind",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return reverse(
            "api:order-attachment-download",
            kwargs={"number": attachment.message.order.number, "pk": attachment.pk},
        )


class MessageWithAttachmentsSerializer(MessageSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "attachments"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    """Documents the multipart body; ``MessageForm`` (the staff page's form) validates it."""

    kind = serializers.ChoiceField(choices=MESSAGE_KIND_CHOICES)
    body = serializers.CharField(help_text="The message the files travel on.")
    assigned_to = serializers.IntegerField(
        required=False, help_text="Follow-ups only: the id of the person who must act on it."
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        help_text=(
            f"Up to {MAX_ATTACHMENTS_PER_MESSAGE} files of 10 MB each: PDF, PNG, JPEG, GIF, "
            "text, CSV, Word or Excel (the type is taken from the file name)."
        ),
    )


class FileRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file's own type; errors still render as JSON."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


class OrderAttachmentViewSet(viewsets.ViewSet):
    permission_classes = [OrdersPortalOrStaff]
    parser_classes = [MultiPartParser, FormParser]

    @property
    def is_staff(self) -> bool:
        return order_selectors.user_is_orders_staff(self.request.user)

    def _order(self, number: int):
        if self.is_staff:
            order = order_selectors.staff_order_get(user=self.request.user, number=number)
        else:
            order = order_selectors.order_get_for_portal(user=self.request.user, number=number)
        if order is None:
            raise Http404("No such order.")
        return order

    @extend_schema(
        summary="The order's attachments (those of internal messages for staff only)",
        responses={200: AttachmentSerializer(many=True), **problems(404)},
    )
    def list(self, request, number: int):
        order = self._order(number)
        found = order_selectors.order_attachments_visible(
            order=order, client_only=not self.is_staff
        )
        for attachment in found:  # the url names the order: no query per row
            attachment.message.order = order
        return Response(AttachmentSerializer(found, many=True).data)

    @extend_schema(
        summary="Attach files to the order on a new message (orders staff; multipart)",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: MessageWithAttachmentsSerializer, **problems(400, 404)},
    )
    def create(self, request, number: int):
        if not self.is_staff:
            raise PermissionDenied("Only orders staff may attach files to an order.")
        order = self._order(number)
        form = MessageForm(request.POST, request.FILES)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        # The service re-checks every rule; its errors become problem+json (400).
        message = order_message_post(
            order=order,
            author=request.user,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
            assigned_to=form.cleaned_data["assigned_to"],
            files=form.cleaned_data["attachments"],
        )
        return Response(
            MessageWithAttachmentsSerializer(message).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Download one attachment (the file itself)",
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            **problems(404),
        },
    )
    def retrieve(self, request, number: int, pk: int):
        if self.is_staff:
            attachment = order_selectors.staff_attachment_get(user=request.user, pk=pk)
            if attachment is not None and attachment.message.order.number != number:
                attachment = None
        else:
            attachment = order_selectors.portal_attachment_get(
                user=request.user, number=number, pk=pk
            )
        if attachment is None:
            raise Http404("No such attachment.")
        return stored_file_response(
            attachment.file, filename=attachment.filename, content_type=attachment.content_type
        )


class OrderAttachmentDownloadViewSet(OrderAttachmentViewSet):
    """The download alone also answers a client that asks for the file's own type."""

    renderer_classes = [renderers.JSONRenderer, FileRenderer]


attachment_list = OrderAttachmentViewSet.as_view({"get": "list", "post": "create"})
attachment_download = OrderAttachmentDownloadViewSet.as_view({"get": "retrieve"})

__all__ = [
    "AttachmentSerializer",
    "MessageWithAttachmentsSerializer",
    "OrderAttachmentDownloadViewSet",
    "OrderAttachmentViewSet",
    "attachment_download",
    "attachment_list",
]
