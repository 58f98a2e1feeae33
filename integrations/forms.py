from django import forms


class StubTicketSearchForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, help_text="Ticket number, title, requestor or location."
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Any status"),
            ("new", "New"),
            ("open", "Open"),
            ("in_process", "In process"),
            ("on_hold", "On hold"),
            ("installed", "Installed"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
    )


class StubAssetForm(forms.Form):
    serial_number = forms.CharField(
        label="Serial number",
        max_length=100,
        help_text="The existence lookup finds a refresh ticket's replacement by this serial.",
    )
    name = forms.CharField(label="Asset name", max_length=200, required=False)
