"""Navigation entries: each app lists its own in ``<app>/nav.py``.

``NAV_ITEMS`` is a list of ``NavItem``; the header shows an entry when its
``visible(user)`` says so and its URL name resolves. The entries a person sees
are cached with their permissions and roles (accounts/access.py) and built
again when those change, so ``visible`` must depend only on the user's roles,
permissions and flags (active, staff, superuser), never on other rows.
"""

import functools
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


@functools.cache
def collect_nav_items() -> tuple[NavItem, ...]:
    """Every app's entries, in order (read once per process: code, not data)."""
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.nav":
                raise
            continue
        items.extend(getattr(module, "NAV_ITEMS", []))
    return tuple(sorted(items, key=lambda item: (item.order, item.label)))


@functools.cache
def nav_signature() -> str:
    """Names the entries the code defines (part of the navigation's cache key)."""
    return ";".join(f"{i.order}:{i.label}:{i.url_name}" for i in collect_nav_items())


def nav_entries_compute(user) -> tuple[tuple[str, str], ...]:
    """(label, url) of every entry ``user`` may see."""
    entries = []
    for item in collect_nav_items():
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append((item.label, url))
    return tuple(entries)


def nav_for_user(user, current_path: str = "") -> list[dict]:
    """The entries ``user`` sees, the one ``current_path`` is under marked active.

    A user the authentication middleware loaded brings them from the cache
    (``_access_nav``); any other user object has them built here.
    """
    entries = getattr(user, "_access_nav", None)
    if entries is None:
        entries = nav_entries_compute(user)
    return [
        {
            "label": label,
            "url": url,
            "active": current_path.startswith(url) if url != "/" else current_path == "/",
        }
        for label, url in entries
    ]


NAV_ITEMS = [
    NavItem("Home", "home", order=0),
    NavItem("Admin", "admin:index", visible=lambda user: user.is_staff, order=99),
]
