"""The staff order page's sidebar cards printed in Python (issue #17).

The details list alone was some twenty lookups and filters (``date``,
``default``, ``join``, ``linebreaksbr``) and each card a few ``{% url %}`` and
``{% csrf_token %}`` tags; together with the actions list they were most of
the page's remaining template time. The cards (details, hold, send link,
secret, ITSM tickets, subscribers) are printed here with the markup the
template printed (``tests/orders/test_order_sidebar_html.py`` renders the
former template, ``tests/orders/former_loops/sidebar.html``, beside it for
every branch). Every value is escaped; ``linebreaksbr`` escapes its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.form_render import csrf_input
from common.moments import date_text, datetime_text
from orders.choices import ITSMTicketStatus, OrderStatus, OrderType
from orders.models import EndUserSecret, Order, OrderITSMTicket


@dataclass(frozen=True, slots=True)
class SidebarFacts:
    """What the sidebar shows besides the order, worked out by the view."""

    can_edit_information: bool  # perms.orders.edit_order_information
    can_hold: bool
    secret: EndUserSecret | None
    can_reveal: bool
    open_tickets: list[OrderITSMTicket]
    closed_tickets: list[OrderITSMTicket]
    itsm_form_html: str  # the empty "associate a ticket" form, printed already
    subscribers: list  # people, in the order shown
    csrf_token: str


def _joined(values) -> str:
    """``|join:", "`` with autoescape: each value escaped."""
    return ", ".join(escape(value) for value in values)


def _row(term: str, value) -> str:
    return f"<dt>{term}</dt><dd>{value}</dd>\n"


def _details(order: Order, facts: SidebarFacts) -> str:
    number = order.number
    change = (
        ""
        if order.is_final
        else f' · <a href="{escape(reverse("orders:staff_organization", args=[number]))}">'
        "Change</a>"
    )
    submitter = order.submitted_by
    rows = [
        _row("Number", number),
        _row("Type", escape(order.get_order_type_display())),
        _row("Status", escape(order.get_status_display())),
        _row("Organization", escape(order.organization.name) + change),
        _row(
            "Submitted by",
            f"{escape(submitter)} ({escape(submitter.email)})" if submitter else "—",
        ),
        _row("Submitted", escape(datetime_text(order.submitted_at) or "—")),
        _row("Requested completion", date_text(order.requested_completion_date) or "—"),
        _row("Planned completion", date_text(order.planned_completion_date) or "—"),
        _row("Owner", escape(order.owner) if order.owner else "Nobody yet"),
        _row("Priority", escape(order.get_priority_display())),
    ]
    if order.new_full_name:
        username = f" ({escape(order.new_username)})" if order.new_username else ""
        rows.append(_row("New user", escape(order.new_full_name) + username))
    if order.new_email:
        rows.append(_row("Email", escape(order.new_email)))
    if order.existing_user:
        term = "End user" if order.order_type == OrderType.INSTALL_SOFTWARE else "User"
        rows.append(_row(term, escape(order.existing_user)))
    if order.existing_placeholder:
        rows.append(_row("Parked workstation", escape(order.existing_placeholder)))
    if order.workstation:
        rows.append(_row("Workstation", escape(order.workstation)))
    if order.distribution_groups:
        rows.append(_row("Distribution groups", _joined(order.distribution_groups)))
    if order.shared_mailboxes:
        rows.append(_row("Shared mailboxes", _joined(order.shared_mailboxes)))
    if order.preferences:
        rows.append(_row("Preferences", linebreaksbr(order.preferences)))
    # Only software installs carry software (``with_software`` reads none for the
    # other types); their related manager costs more than the rest of the list.
    software = order.software.all() if order.order_type == OrderType.INSTALL_SOFTWARE else ()
    if software:
        rows.append(_row("Software", _joined(software)))
    if order.notes:
        rows.append(_row("Notes", linebreaksbr(order.notes)))
    buttons = ""
    if not order.is_final:
        details_url = escape(reverse("orders:staff_details", args=[number]))
        information = ""
        if facts.can_edit_information and order.status != OrderStatus.DRAFT:
            url = escape(reverse("orders:staff_information", args=[number]))
            information = (
                f'<a class="btn btn--secondary btn--small" href="{url}">Edit order information</a>'
            )
        buttons = (
            f'<p class="button-row"><a class="btn btn--secondary btn--small" href="{details_url}">'
            f"Edit dates, owner and priority</a>\n{information}</p>\n"
        )
    return (
        '<section class="card" id="details" aria-labelledby="details-h">\n'
        '<h2 id="details-h">Details</h2>\n<dl class="details">\n'
        + "".join(rows)
        + "</dl>\n"
        + buttons
        + "</section>\n"
    )


def _hold(number: int, csrf: str) -> str:
    url = escape(reverse("orders:staff_hold", args=[number]))
    return (
        '<section class="card" aria-labelledby="hold-h">\n<h2 id="hold-h">Put on hold</h2>\n'
        f'<form method="post" action="{url}">{csrf}\n'
        '<div class="field"><label for="hold-note">Reason (optional)</label>'
        '<input id="hold-note" name="note" type="text" maxlength="2000"></div>\n'
        '<button type="submit" class="btn btn--secondary">Put on hold</button>\n'
        "</form>\n</section>\n"
    )


def _send_link(order: Order) -> str:
    url = escape(reverse("orders:staff_send_link", args=[order.number]))
    who = (
        "The coordinator gets a link to finish this draft and submit it."
        if order.status == OrderStatus.DRAFT
        else "The coordinator gets a link to follow this order."
    )
    return (
        '<section class="card" aria-labelledby="link-h">\n'
        '<h2 id="link-h">Send order link</h2>\n'
        f'<p class="small">{who}</p>\n'
        f'<p><a class="btn btn--secondary btn--small" href="{url}">Send order link…</a></p>\n'
        "</section>\n"
    )


def _secret(number: int, facts: SidebarFacts, csrf: str) -> str:
    secret = facts.secret
    if facts.can_reveal:
        url = escape(reverse("orders:staff_secret", args=[number]))
        body = (
            '<p class="small">Shown once, to you only; the reveal is recorded. '
            "It is purged when the order completes.</p>\n"
            f'<form method="post" action="{url}">{csrf}\n'
            '<button type="submit" class="btn btn--secondary" data-confirm="Show the password '
            'now? It can be shown only once.">Reveal the password once</button>\n</form>\n'
        )
    elif secret.revealed_at:
        who = escape(secret.revealed_by) if secret.revealed_by else "someone"
        body = (
            f'<p class="small">Already shown to {who} on '
            f"{escape(datetime_text(secret.revealed_at))}.</p>\n"
        )
    else:
        body = '<p class="small">Only the order\'s owner can reveal it.</p>\n'
    return (
        '<section class="card" aria-labelledby="secret-h">\n'
        '<h2 id="secret-h">End user\'s password</h2>\n' + body + "</section>\n"
    )


def _ticket_link(ticket: OrderITSMTicket) -> str:
    itsm_id = escape(ticket.itsm_id)
    link = (
        f'<a class="nowrap" href="{escape(ticket.url)}" rel="noopener">{itsm_id}</a>'
        if ticket.url
        else f'<span class="nowrap">{itsm_id}</span>'
    )
    return link + (f": {escape(ticket.title)}" if ticket.title else "")


def _status_button(value: str, verb: str, itsm_id: str) -> str:
    return (
        f'<button type="submit" name="status" value="{value}" '
        f'class="btn btn--secondary btn--small">{verb} {itsm_id}</button>'
    )


def _open_ticket(number: int, ticket: OrderITSMTicket, csrf: str) -> str:
    itsm_id = escape(ticket.itsm_id)
    held = ticket.status == ITSMTicketStatus.ON_HOLD
    url = escape(reverse("orders:staff_itsm_status", args=[number, ticket.pk]))
    toggle = (
        _status_button("on_hold", "Hold", itsm_id)
        if ticket.status == ITSMTicketStatus.OPEN
        else _status_button("open", "Reopen", itsm_id)
    )
    return (
        f"<li>{_ticket_link(ticket)}\n"
        f'<span class="badge {"badge--warning" if held else "badge--primary"}">'
        f"{escape(ticket.get_status_display())}</span>\n"
        f'<form method="post" action="{url}" class="orders-inline">{csrf}\n'
        f"{toggle}\n{_status_button('closed', 'Close', itsm_id)}\n</form></li>\n"
    )


def _closed_ticket(number: int, ticket: OrderITSMTicket, csrf: str) -> str:
    url = escape(reverse("orders:staff_itsm_status", args=[number, ticket.pk]))
    return (
        f"<li>{_ticket_link(ticket)}\n"
        f'<form method="post" action="{url}" class="orders-inline">{csrf}\n'
        f"{_status_button('open', 'Reopen', escape(ticket.itsm_id))}</form></li>\n"
    )


def _tickets(items: list[str], which: str) -> str:
    """A list of printed ticket items, or the empty state."""
    if not items:
        return f'<p class="muted small">No {which} ITSM ticket.</p>\n'
    return '<ul class="orders-itsm">\n' + "".join(items) + "</ul>\n"


def _itsm(number: int, facts: SidebarFacts, csrf: str) -> str:
    parts = [
        '<section class="card" id="itsm" aria-labelledby="itsm-h">\n'
        '<h2 id="itsm-h">ITSM tickets</h2>\n<h3>Open and on hold</h3>\n'
    ]
    parts.append(_tickets([_open_ticket(number, t, csrf) for t in facts.open_tickets], "open"))
    parts.append("<h3>Closed</h3>\n")
    parts.append(
        _tickets([_closed_ticket(number, t, csrf) for t in facts.closed_tickets], "closed")
    )
    url = escape(reverse("orders:staff_itsm_add", args=[number]))
    parts.append(
        "<details>\n<summary>Associate an ITSM ticket</summary>\n"
        f'<form method="post" action="{url}">{csrf}\n{facts.itsm_form_html}\n'
        '<button type="submit" class="btn btn--secondary">Associate ticket</button>\n'
        "</form>\n</details>\n</section>\n"
    )
    return "".join(parts)


def _subscribers(subscribers: list) -> str:
    listed = (
        "<ul>" + "".join(f"<li>{escape(s)}</li>" for s in subscribers) + "</ul>\n"
        if subscribers
        else '<p class="muted small">Nobody follows this order.</p>\n'
    )
    return (
        '<section class="card" aria-labelledby="subs-h">\n'
        '<h2 id="subs-h">Subscribers</h2>\n' + listed + "</section>\n"
    )


def sidebar_html(order: Order, facts: SidebarFacts) -> SafeString:
    """The sidebar's cards, in the order the page shows them."""
    csrf = csrf_input(facts.csrf_token)
    number = order.number
    return mark_safe(  # noqa: S308
        _details(order, facts)
        + (_hold(number, csrf) if facts.can_hold else "")
        + _send_link(order)
        + (_secret(number, facts, csrf) if facts.secret else "")
        + _itsm(number, facts, csrf)
        + _subscribers(facts.subscribers)
    )
