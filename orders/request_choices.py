"""Choices of request types, their custom fields, assignment rules and time entries."""

from django.db import models


class FieldKind(models.TextChoices):
    # One line of text.
    TEXT = "text", "Text"
    # Several lines of text.
    LONG_TEXT = "long_text", "Long text"
    # A number, optionally between a minimum and a maximum.
    NUMBER = "number", "Number"
    # A date, optionally between a first and a last date.
    DATE = "date", "Date"
    # One of a list of choices.
    CHOICE = "choice", "Single choice"
    # Any of a list of choices.
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    # Yes or no.
    YES_NO = "yes_no", "Yes/no"
    # A person of the request's organization (the order desk's picker).
    PERSON = "person", "Person in the organization"
    # A file, with the attachment rules of the message thread.
    FILE = "file", "File upload"
    # A web address.
    URL = "url", "Web address"


class RequestIcon(models.TextChoices):
    # A generic request.
    REQUEST = "request", "Request"
    # Computers, phones, printers.
    HARDWARE = "hardware", "Hardware"
    # Programs and licences.
    SOFTWARE = "software", "Software"
    # Accounts and access.
    ACCOUNT = "account", "Account"
    # Websites and web pages.
    WEB = "web", "Website"
    # A question for IT.
    QUESTION = "question", "Question"


class RequestColour(models.TextChoices):
    # The default accent.
    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    ORANGE = "orange", "Orange"
    PURPLE = "purple", "Purple"
    RED = "red", "Red"
    GREY = "grey", "Grey"


class RequestPortalVisibility(models.TextChoices):
    # Coordinators of the allowed organizations see it in the portal's chooser.
    PORTAL = "portal", "Coordinators, in the portal"
    # Only staff create requests of this type (hidden in the portal).
    STAFF = "staff", "Staff only"


class AssignmentRuleKind(models.TextChoices):
    # The request's organization (or an organization above it) is the rule's organization.
    ORGANIZATION = "organization", "By organization (or its parent)"
    # A custom field of the request has the rule's value.
    FIELD_VALUE = "field_value", "By a custom field's value"
    # A member of the organization's account team (first by name).
    ACCOUNT_TEAM = "account_team", "The organization's account team"
    # The next member of the queue's team.
    ROUND_ROBIN = "round_robin", "Round-robin among the queue's members"
    # The queue's default owner.
    DEFAULT_OWNER = "default_owner", "The queue's default owner"
