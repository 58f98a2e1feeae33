"""Load scenario (issue #17): coordinators, customers and staff at once, each
doing what they come for, not only reading.

* Staff (4 in 10) filter and page the ticket and order lists, open records,
  and work: mark an order's step done, put a ticket on hold and resume it,
  approve a ticket, comment on an order.
* Coordinators (3 in 10) browse their orders and the order form and submit
  orders.
* Customers (3 in 10) open their emailed link and walk the refresh wizard page
  by page to the end (location, computer, peripherals, review, submit), or pick
  and book a day-1 slot.

Run by ``benchmarks/test_load_bench.py`` (``make bench``), which seeds the data,
writes ``HANDOVER_LOAD_FILE`` (benchmarks/load_data.py: sessions, emailed links
and the work waiting for each role), starts gunicorn with the production
settings and runs Locust headless against it.

Think time: between two pages a person reads and decides. We use TPC-W's
definition for people browsing and ordering on the web (the TPC's
web-commerce benchmark, specification v1.8, the emulated browsers' think
time): a negative exponential with a mean of 7 s, cut at 10x the mean, so most
pauses are short and a few long. ``LOAD_THINK_MEAN_S`` changes the mean (the
earlier ``between(1, 3)``, a 2 s mean, was 3.5 times as many requests per
person as that). The benchmark prints the requests per second it achieved, so
the claim says what load it held.

Every POST must redirect (or, for a slot, show the booking), and any page that
shows an error message after an action counts as a failure, so a refused
action cannot pass as a fast one. Requests carry ``X-Forwarded-Proto: https``
as the TLS proxy in front of gunicorn does; cookies are sent by hand because
they are ``Secure``.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, task

from benchmarks.load_forms import fill, form_fields

DATA = json.loads(open(os.environ["HANDOVER_LOAD_FILE"]).read())  # noqa: SIM115
THINK_MEAN_S = float(os.environ.get("LOAD_THINK_MEAN_S", "7"))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERROR_MESSAGE = re.compile(r'class="message message--error">([^<]*)')
SLOT_INPUT = re.compile(r'name="slot_id" value="(\d+)"')
TICKET_STATUSES = ["pending_customer", "pending_approval", "delivery_scheduled", "complete"]
ORDER_STATUSES = ["submitted", "in_progress", "on_hold", "completed"]
TICKET_SORTS = ["-created", "created", "status", "-changed", "changed", "serial"]


def think_time(user) -> float:
    """TPC-W's think time: negative exponential, mean ``THINK_MEAN_S``, at most 10x."""
    return min(random.expovariate(1 / THINK_MEAN_S), 10 * THINK_MEAN_S)


def _work(kind: str):
    """One waiting work item of ``kind``, never handed to two people; None when gone."""
    items = DATA.get(kind) or []
    return items.pop() if items else None


class _Visitor(HttpUser):
    abstract = True
    wait_time = think_time
    role = ""

    def on_start(self):
        self.cookies = {"sessionid": random.choice(DATA[self.role])} if self.role else {}

    def _headers(self, referer: str = "") -> dict:
        # One connection per request, as the TLS proxy in front of gunicorn
        # talks to it (nginx speaks HTTP/1.0 to upstreams by default). Kept-alive
        # connections idle through a think time longer than gunicorn's keepalive
        # (5 s) race its close and fail where a browser would silently retry.
        headers = {"X-Forwarded-Proto": "https", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if referer:
            headers["Referer"] = f"https://{self.host.split('://', 1)[1]}{referer}"
        return headers

    def get(self, path: str, name: str):
        with self.client.get(
            path, headers=self._headers(), name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                moved = response.headers.get("Location", "")
                response.failure(f"{response.status_code} on {path} {moved}".strip())
            else:
                shown = ERROR_MESSAGE.search(response.text or "")
                if shown:
                    response.failure(f"error shown on {path}: {shown.group(1)}")
            token = response.cookies.get("csrftoken")
            if token:
                self.cookies["csrftoken"] = token
            return response

    def post(self, path: str, data, name: str, *, referer: str, then: str = "", ok=(302, 303)):
        """POST ``data`` (a dict or (name, value) pairs) and, as a browser does,
        open the page it redirects to (named ``then``); a refusal is a failure."""
        with self.client.post(
            path,
            data=data,
            headers=self._headers(referer=referer),
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            shown = ERROR_MESSAGE.search(response.text or "")
            if response.status_code not in ok or shown:
                reason = shown.group(1) if shown else response.text[:200]
                response.failure(f"{response.status_code} on POST {path}: {reason}")
                return None
            if response.status_code in (302, 303) and then:
                return self.get(response.headers["Location"], name=then)
            return response

    def form_post(self, form_path: str, data: dict, name: str, *, then: str, path: str = ""):
        """Open the page with the form, think, post ``data`` with its CSRF token."""
        page = self.get(form_path, name=f"{name} (form)")
        found = CSRF_INPUT.search(page.text or "")
        if not found:
            return None
        self.wait()
        data = {"csrfmiddlewaretoken": found.group(1), **data}
        return self.post(path or form_path, data, name, referer=form_path, then=then)


class Staff(_Visitor):
    """Refresh and orders staff: filtering lists, opening records, working them."""

    weight = 4
    role = "staff"

    @task(4)
    def ticket_list(self):
        params = random.choice(
            [
                f"?status={random.choice(TICKET_STATUSES)}",
                f"?sort={random.choice(TICKET_SORTS)}",
                f"?page={random.randint(1, 40)}",
                "?focus=problems",
                "",
            ]
        )
        self.get(f"/refresh/{params}", name="/refresh/ [list]")

    @task(4)
    def order_list(self):
        params = random.choice(
            [f"?status={random.choice(ORDER_STATUSES)}", f"?page={random.randint(1, 80)}", ""]
        )
        self.get(f"/orders/staff/{params}", name="/orders/staff/ [list]")

    @task(2)
    def order_detail(self):
        self.get(f"/orders/staff/{random.choice(DATA['orders'])}/", name="/orders/staff/[n]/")

    @task(2)
    def ticket_detail(self):
        self.get(
            f"/refresh/tickets/{random.choice(DATA['tickets'])}/", name="/refresh/tickets/[id]/"
        )

    @task(2)
    def mark_an_order_step_done(self):
        work = _work("order_steps")
        if work is None:
            return self.order_list()
        number, step = work
        return self.form_post(
            f"/orders/staff/{number}/",
            {"note": "Done under load."},
            "/orders/staff/[n]/actions/[id]/process/ [POST]",
            path=f"/orders/staff/{number}/actions/{step}/process/",
            then="/orders/staff/[n]/",
        )

    @task(1)
    def hold_and_resume_a_ticket(self):
        ticket = _work("holds")
        if ticket is None:
            return self.ticket_list()
        detail = f"/refresh/tickets/{ticket}/"
        for action in ("hold", "resume"):
            self.form_post(
                detail,
                {"note": "Waiting on the customer's manager."},
                f"/refresh/tickets/[id]/do/{action}/ [POST]",
                path=f"{detail}do/{action}/",
                then="/refresh/tickets/[id]/",
            )
        return None

    @task(1)
    def approve_a_ticket(self):
        ticket = _work("approvals")
        if ticket is None:
            return self.ticket_list()
        return self.form_post(
            "/refresh/approvals/",
            {"note": ""},
            "/refresh/approvals/[id]/approve/ [POST]",
            path=f"/refresh/approvals/{ticket}/approve/",
            then="/refresh/approvals/",
        )

    @task(1)
    def comment_on_an_order(self):
        number = random.choice(DATA["orders"])
        self.form_post(
            f"/orders/staff/{number}/",
            {"kind": "internal_comment", "body": "Checked under load."},
            "/orders/staff/[n]/messages/ [POST]",
            path=f"/orders/staff/{number}/messages/",
            then="/orders/staff/[n]/",
        )


class Coordinator(_Visitor):
    """Department coordinators: their orders, and new ones submitted."""

    weight = 3
    role = "coordinators"

    @task(3)
    def my_orders(self):
        self.get("/orders/", name="/orders/ [portal]")

    @task(2)
    def order_types(self):
        self.get("/orders/new/", name="/orders/new/")

    @task(1)
    def submit_an_order(self):
        n = random.randint(0, 10**9)
        self.form_post(
            "/orders/new/email_only/",
            {
                "new_full_name": f"Load Person {n}",
                "new_username": f"load{n}",
                "new_email": f"load{n}@example.edu",
                "intent": "submit",
            },
            "/orders/new/email_only/ [POST]",
            then="/orders/[n]/ [portal]",
        )


class Customer(_Visitor):
    """Customers from their emailed links: walking the wizard to the end, or
    picking and booking a day-1 slot."""

    weight = 3

    @task(2)
    def walk_the_wizard(self):
        link = _work("wizard_links")
        if link is None:
            return
        page = self.get(link, name="/refresh/c/[token]/ (wizard)")
        url = link
        for _ in range(8):  # location, computer, peripherals, software, review
            if page is None or page.status_code != 200:
                return
            _, fields = form_fields(page.text or "")
            if not fields:
                return  # the "submitted" page
            step = url.rstrip("/").rsplit("/", 1)[-1] if url != link else "location"
            self.wait()
            page = self.post(
                url,
                fill(fields),
                f"/refresh/c/[token]/{step}/ [POST]",
                referer=url,
                then="/refresh/c/[token]/[step]/",
            )
            if page is not None:
                url = page.request.path_url

    @task(1)
    def book_a_slot(self):
        link = _work("slot_links")
        if link is None:
            return
        page = self.get(link, name="/refresh/c/[token]/ (slots)")
        slots = SLOT_INPUT.findall(page.text or "")
        found = CSRF_INPUT.search(page.text or "")
        if not slots or not found:
            self.environment.events.request.fire(
                request_type="CHECK",
                name="/refresh/c/[token]/ (slots offered)",
                response_time=0,
                response_length=0,
                exception=AssertionError(f"no free slot offered on {link}"),
            )
            return
        self.wait()
        self.post(
            link,
            {"csrfmiddlewaretoken": found.group(1), "slot_id": random.choice(slots[:12])},
            "/refresh/c/[token]/ [POST slot]",
            referer=link,
            ok=(200,),  # the "booked" page, or the slots again with why not
        )
