"""What the refresh staff pages share: the role gates (one gate: ``role_required``)."""

from accounts.permissions import role_required
from refresh.roles import can_administer, can_manage_configs, can_view_tickets

PAGE_SIZE = 50

# Deny by default: the view runs only for signed-in people passing the check.
staff_required = role_required(check=can_view_tickets)
administrator_required = role_required(check=can_administer)
config_manager_required = role_required(check=can_manage_configs)
