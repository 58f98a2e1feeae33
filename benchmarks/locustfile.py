"""Load scenario (issue #17): coordinators, customers and staff at once.

Run by ``benchmarks/test_load_bench.py`` (``make bench``), which seeds the data,
starts gunicorn with the production settings and runs::

    locust -f benchmarks/locustfile.py --headless -u 100 -r 20 -t 2m --host http://127.0.0.1:PORT

``HANDOVER_LOAD_FILE`` names a JSON file the benchmark writes: session cookies
of staff members and coordinators, customers' emailed wizard links, order
numbers and ticket ids to open. Requests carry ``X-Forwarded-Proto: https`` as
the TLS proxy in front of gunicorn does (the production settings redirect plain
HTTP); cookies are sent by hand because they are ``Secure``.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["HANDOVER_LOAD_FILE"]).read())  # noqa: SIM115
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TICKET_STATUSES = ["pending_customer", "pending_approval", "delivery_scheduled", "complete"]
ORDER_STATUSES = ["submitted", "in_progress", "on_hold", "completed"]
TICKET_SORTS = ["-created", "created", "status", "-changed", "changed", "serial"]


class _SignedIn(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        self.cookies = {"sessionid": random.choice(DATA[self.role])}

    def _headers(self, referer: str = "") -> dict:
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if referer:
            headers["Referer"] = f"https://{self.host.split('://', 1)[1]}{referer}"
        return headers

    def get(self, path: str, name: str):
        with self.client.get(
            path, headers=self._headers(), name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")
            token = response.cookies.get("csrftoken")
            if token:
                self.cookies["csrftoken"] = token
            return response

    def post(self, form_path: str, path: str, data: dict, name: str):
        """Open the form page, then post ``data`` with its CSRF token."""
        page = self.get(form_path, name=f"{name} (form)")
        found = CSRF_INPUT.search(page.text or "")
        if not found:
            return
        data = {"csrfmiddlewaretoken": found.group(1), **data}
        with self.client.post(
            path,
            data=data,
            headers=self._headers(referer=form_path),
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 302, 303):
                response.failure(f"{response.status_code} on POST {path}")


class Staff(_SignedIn):
    """Refresh and orders staff: filtering lists, opening records, commenting."""

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

    @task(1)
    def comment_on_an_order(self):
        number = random.choice(DATA["orders"])
        self.post(
            f"/orders/staff/{number}/",
            f"/orders/staff/{number}/messages/",
            {"kind": "internal_comment", "body": "Checked under load."},
            name="/orders/staff/[n]/messages/ [POST]",
        )


class Coordinator(_SignedIn):
    """Department coordinators: their orders, and new ones submitted."""

    weight = 3
    role = "coordinators"

    @task(3)
    def my_orders(self):
        self.get("/orders/", name="/orders/ [portal]")

    @task(2)
    def order_form(self):
        self.get("/orders/new/", name="/orders/new/")

    @task(1)
    def submit_an_order(self):
        n = random.randint(0, 10**9)
        self.post(
            "/orders/new/email_only/",
            "/orders/new/email_only/",
            {
                "new_full_name": f"Load Person {n}",
                "new_username": f"load{n}",
                "new_email": f"load{n}@example.edu",
                "intent": "submit",
            },
            name="/orders/new/email_only/ [POST]",
        )


class Customer(HttpUser):
    """Customers opening the wizard from their emailed link."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.link = random.choice(DATA["customer_links"])

    @task
    def wizard(self):
        with self.client.get(
            self.link,
            headers={"X-Forwarded-Proto": "https"},
            name="/refresh/c/[token]/",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on the wizard link")
