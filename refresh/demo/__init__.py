"""Demo refresh campaign: catalog, ~200 systems with users, configs of every style,
a batch, and tickets in every status (driven through the services).

Runs after ``accounts`` (people, organizations, teams) and ``scheduling``
(generated slots). Idempotent: catalog, people, systems and configs use fixed
keys; the tickets are made once (skipped when the demo batch already has them).
"""

from .run import demo_customer_links, seed

__all__ = ["demo_customer_links", "seed"]
