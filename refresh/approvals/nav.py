from accounts.nav import NavItem
from refresh.roles import can_approve

NAV_ITEMS = [NavItem("Approvals", "refresh:approval_list", visible=can_approve, order=21)]
