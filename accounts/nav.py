"""Navigation entries: each app lists its own in ``<app>/nav.py``.

``NAV_ITEMS`` is a list of ``NavItem``; the context processor shows an entry
when its ``visible(user)`` says so and its URL name resolves.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable = lambda user: user.is_authenticated
    order: int = 50


def collect_nav_items() -> list[NavItem]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.nav":
                raise
            continue
        items.extend(getattr(module, "NAV_ITEMS", []))
    return sorted(items, key=lambda item: (item.order, item.label))


def nav_for_user(user, current_path: str = "") -> list[dict]:
    entries = []
    for item in collect_nav_items():
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current_path.startswith(url) if url != "/" else current_path == "/"
        entries.append({"label": item.label, "url": url, "active": active})
    return entries


NAV_ITEMS = [
    NavItem("Home", "home", order=0),
    NavItem("Admin", "admin:index", visible=lambda user: user.is_staff, order=99),
]
