"""Where a remote ticket's replacement ships and how the customer follows it."""

import re
from urllib.parse import quote

from django.db import models

from refresh.choices import Carrier

# The ticket's address columns (a remote ticket) and its desk columns (on premises).
SHIPPING_FIELDS = (
    "ship_to_name",
    "ship_street",
    "ship_street2",
    "ship_city",
    "ship_state",
    "ship_zip",
)
LOCATION_FIELDS = ("location_building", "location_room", "location_notes")

TRACKING_URLS = {
    Carrier.UPS: "https://www.ups.com/track?tracknum={}",
    Carrier.FEDEX: "https://www.fedex.com/fedextrack/?trknbr={}",
    Carrier.USPS: "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    Carrier.DHL: "https://www.dhl.com/us-en/home/tracking.html?tracking-id={}",
}


def guess_carrier(number: str) -> str:
    """The carrier a tracking number's shape names ("" when it says nothing)."""
    number = re.sub(r"\s+", "", number or "").upper()
    if number.startswith("1Z"):
        return Carrier.UPS
    if re.fullmatch(r"(94|93|92|95)\d{18,20}|[A-Z]{2}\d{9}US", number):
        return Carrier.USPS
    if re.fullmatch(r"\d{12}|\d{15}", number):
        return Carrier.FEDEX
    if re.fullmatch(r"\d{10}", number):
        return Carrier.DHL
    return ""


class Shipment(models.Model):
    """Shipping fields of a refresh ticket (remote style): address and tracking."""

    ship_to_name = models.CharField("recipient name", max_length=200, blank=True)
    ship_street = models.CharField("street", max_length=200, blank=True)
    ship_street2 = models.CharField("street (line 2)", max_length=200, blank=True)
    ship_city = models.CharField("city", max_length=120, blank=True)
    ship_state = models.CharField("state", max_length=60, blank=True)
    ship_zip = models.CharField("ZIP code", max_length=20, blank=True)
    tracking_number = models.CharField(max_length=120, blank=True)
    tracking_carrier = models.CharField(
        "carrier", max_length=10, choices=Carrier.choices, blank=True
    )
    tracking_emailed_number = models.CharField(
        max_length=120,
        blank=True,
        help_text="The tracking number last emailed to the customer (a change sends a correction).",
    )

    class Meta:
        abstract = True

    @property
    def tracking_url(self) -> str:
        """The carrier's tracking page for this number ("" without a known carrier)."""
        carrier = self.tracking_carrier or guess_carrier(self.tracking_number)
        if not self.tracking_number or carrier not in TRACKING_URLS:
            return ""
        return TRACKING_URLS[carrier].format(quote(self.tracking_number.strip()))
