from accounts.nav import NavItem

NAV_ITEMS = [NavItem("API keys", "api_keys:list", order=90)]
