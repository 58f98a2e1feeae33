from django.db import models


class PortalVisibility(models.TextChoices):
    # Coordinators see only the requests they submitted themselves.
    OWN = "own", "Own requests only"
    # Coordinators see every request of their organization and its sub-organizations.
    ORGANIZATION = "organization", "Whole organization"
    # Open visibility: every contact with portal access sees every request of the
    # organization and its sub-organizations, whatever their own access level.
    ALL = "all", "All requests (open visibility)"


class PortalAccess(models.TextChoices):
    """A contact's portal access level (Autotask's per-contact access)."""

    # No portal access: the contact sees no requests and cannot start one.
    NONE = "none", "None"
    # Only the requests the contact submitted.
    OWN = "own", "Own requests"
    # Every request of the contact's organization.
    ORGANIZATION = "organization", "Organization's requests"
    # Every request of the organization and its sub-organizations.
    ORGANIZATION_SUBS = "organization_subs", "Organization and sub-organizations"
