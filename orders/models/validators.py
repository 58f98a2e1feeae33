"""Field rules the order models share: usernames, workstation names, numbering."""

import re

from django.core.validators import RegexValidator

USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,30}[a-z0-9]$")
username_validator = RegexValidator(
    USERNAME_RE,
    "Use 3 to 32 lowercase letters, digits, dots, hyphens or underscores, "
    "starting with a letter and ending with a letter or digit.",
)
workstation_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]{0,30}$",
    "Use the workstation's name: letters, digits and hyphens (up to 31 characters).",
)

FIRST_ORDER_NUMBER = 77801
