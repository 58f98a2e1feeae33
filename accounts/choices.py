from django.db import models


class PortalVisibility(models.TextChoices):
    # Coordinators see only the requests they submitted themselves.
    OWN = "own", "Own requests only"
    # Coordinators see every request of their organization and its sub-organizations.
    ORGANIZATION = "organization", "Whole organization"
