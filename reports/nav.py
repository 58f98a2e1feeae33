from accounts.nav import NavItem

from .roles import can_see_reports

NAV_ITEMS = [NavItem("Reports", "reports:index", visible=can_see_reports, order=60)]
