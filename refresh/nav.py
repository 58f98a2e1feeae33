from importlib import import_module

from accounts.nav import NavItem

from .roles import can_view_tickets


def _sub_items(module_name: str) -> list[NavItem]:
    """Entries of refresh sub-packages built by others (refresh/approvals/nav.py)."""
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name not in (module_name, module_name.rsplit(".", 1)[0]):
            raise
        return []
    return list(getattr(module, "NAV_ITEMS", []))


NAV_ITEMS = [
    NavItem("Refresh", "refresh:ticket_list", visible=can_view_tickets, order=20),
    *_sub_items("refresh.approvals.nav"),
]
