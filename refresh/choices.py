from django.db import models


class Platform(models.TextChoices):
    WINDOWS = "windows", "Windows"
    MAC = "mac", "Mac"


class SystemStatus(models.TextChoices):
    # Assigned to a person and in service.
    IN_USE = "in_use", "In use"
    # On a shelf: available as a replacement (bump-down, loaners, new stock).
    IN_STOCK = "in_stock", "In stock"
    # Out of service for good (recycled, surplus).
    RETIRED = "retired", "Retired"


class RefreshStyle(models.TextChoices):
    # The customer works from home: the replacement is shipped to an address.
    REMOTE = "remote", "Remote (@home, shipped)"
    # A technician delivers on site at a booked day-1 slot.
    ON_PREM = "on_prem", "On premises"
    # Delivered where the customer says; the unit's location text only informs.
    USER_SPECIFIED_LOCATION = "user_specified_location", "User-specified location"
    # Labs, loaners, kiosks: no customer, no email ever.
    NO_CUSTOMER = "no_customer", "No customer"
    # The replacement is a legacy or recycled device named at creation.
    BUMP_DOWN = "bump_down", "Bump-down"


CUSTOMER_STYLES = frozenset(
    {
        RefreshStyle.REMOTE,
        RefreshStyle.ON_PREM,
        RefreshStyle.USER_SPECIFIED_LOCATION,
        RefreshStyle.BUMP_DOWN,
    }
)


class TicketStatus(models.TextChoices):
    # Customer ticket created; the invite goes the next business morning at 10:05.
    PENDING_INVITE = "pending_invite", "Pending invite"
    # Customer is walking the wizard; reminded after 5 and 10 business days.
    PENDING_CUSTOMER = "pending_customer", "Pending customer"
    # Customer never finished the wizard; staff fills the location form.
    PENDING_LOCATION_INFO = "pending_location_info", "Pending location info"
    # The config requires approval; an approver decides.
    PENDING_APPROVAL = "pending_approval", "Pending approval"
    # Waiting for a replacement system through an order group / bulk action.
    PENDING_ORDERING = "pending_ordering", "Pending ordering"
    # Waiting for the ITSM to know the replacement (queued lookup).
    PENDING_ITSM_EXISTENCE = "pending_itsm_existence", "Pending ITSM existence"
    # On-site: waiting until the support team has free slots.
    PENDING_SLOT_DISCOVERY = "pending_slot_discovery", "Pending slot discovery"
    # Customer was emailed to pick a day-1 slot.
    PENDING_CUSTOMER_SCHEDULING = "pending_customer_scheduling", "Pending customer scheduling"
    # Day-1 appointment booked.
    DELIVERY_SCHEDULED = "delivery_scheduled", "Delivery scheduled"
    # Remote: the replacement has shipped.
    PENDING_DELIVERY = "pending_delivery", "Pending delivery"
    # The ITSM says the replacement is installed.
    INSTALLED = "installed", "Installed"
    # Final: the ITSM closed the ticket.
    COMPLETE = "complete", "Complete"
    # Final: stopped by staff; never undone.
    CANCELLED = "cancelled", "Cancelled"
    # Paused by staff; remembers the status it left in status_before_hold.
    ON_HOLD = "on_hold", "On hold"


FINAL_STATUSES = frozenset({TicketStatus.COMPLETE, TicketStatus.CANCELLED})
OPEN_STATUSES = frozenset(set(TicketStatus) - FINAL_STATUSES)
# Statuses an approver may still edit the ticket in (before ordering starts).
APPROVER_EDITABLE_STATUSES = frozenset(
    {
        TicketStatus.PENDING_INVITE,
        TicketStatus.PENDING_CUSTOMER,
        TicketStatus.PENDING_LOCATION_INFO,
        TicketStatus.PENDING_APPROVAL,
    }
)
# Statuses a ticket may be put on hold from (every open status but on hold itself).
HOLDABLE_STATUSES = frozenset(OPEN_STATUSES - {TicketStatus.ON_HOLD})


class EventKind(models.TextChoices):
    # A change this portal pushed to the ITSM ticket.
    ITSM_PUSHED = "itsm_pushed", "Pushed to ITSM"
    # A change seen in the ITSM (status, tracking number, assets).
    ITSM_SEEN = "itsm_seen", "Seen in ITSM"
    # The customer changed the on-site location in the wizard.
    CHANGED_LOCATION = "changed_location", "Changed location"
    # An approver asked for a change after ordering started.
    CHANGE_REQUEST = "change_request", "Change request"
    # A free-text note by staff.
    COMMENT = "comment", "Comment"
    # The replacement hardware was swapped on a single-ticket edit.
    REPLACEMENT_CHANGED = "replacement_changed", "Replacement changed"
    # Booking made, moved or released.
    BOOKING = "booking", "Booking"
    # Staff entered or changed the shipment's tracking number.
    TRACKING = "tracking", "Tracking number"
    # Where the customer, support team and location came from at creation.
    OWNER_LOOKUP = "owner_lookup", "Owner lookup"


class Carrier(models.TextChoices):
    """Shipping carriers whose tracking pages a customer's email links to."""

    UPS = "ups", "UPS"
    FEDEX = "fedex", "FedEx"
    USPS = "usps", "USPS"
    DHL = "dhl", "DHL"


class BatchRowOutcome(models.TextChoices):
    # Serial found, no open ticket: a ticket can be created.
    FOUND = "found", "Found"
    # No system with this serial number.
    UNKNOWN = "unknown", "Unknown serial"
    # The system already has an open refresh ticket.
    ALREADY_OPEN = "already_open", "Already on an open ticket"
    # The system has no current user and the style needs a customer.
    NO_USER = "no_user", "No current user"
    # The serial appears twice in the pasted list.
    DUPLICATE = "duplicate", "Duplicate in this batch"
    # A ticket was created for this row.
    CREATED = "created", "Ticket created"
