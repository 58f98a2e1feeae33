"""The admin's queue form: the order types a queue takes, checked before saving."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from orders.choices import OrderType
from orders.models import OrderQueue
from orders.selectors import order_queues_active
from orders.services import order_queue_type_clashes

CONSTRAINT_MESSAGE = "Another active queue already processes this order type."


class OrderQueueAdminForm(forms.ModelForm):
    """``also_takes`` as tick boxes; a type another active queue takes is refused here
    (and again under a lock by ``order_queue_save``)."""

    also_takes = forms.MultipleChoiceField(
        choices=OrderType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Also takes",
        help_text="Other order types this queue processes besides its main type.",
    )

    class Meta:
        model = OrderQueue
        fields = [
            "name",
            "order_type",
            "also_takes",
            "description",
            "active",
            "default_owner",
            "team",
            "round_robin_last",
        ]

    def clean(self):
        data = super().clean()
        candidate = OrderQueue(
            pk=self.instance.pk,
            name=data.get("name", ""),
            order_type=data.get("order_type") or "",
            also_takes=list(data.get("also_takes") or []),
            active=data.get("active", False),
        )
        for message in order_queue_type_clashes(
            queue=candidate, active_queues=order_queues_active()
        ):
            self.add_error(None, message)
        return data

    def _post_clean(self):
        super()._post_clean()
        # The main type's database constraint says less than the clash message above.
        errors = self._errors.get(NON_FIELD_ERRORS)
        if errors and any("already go to the active queue" in e for e in errors):
            self._errors[NON_FIELD_ERRORS] = self.error_class(
                [e for e in errors if e != CONSTRAINT_MESSAGE], error_class="nonfield"
            )
