"""What every page a browser test visits must satisfy (issue 19, issue 14 item 9).

``PageAudit`` watches one Playwright page. Each time a document finishes
loading it checks the page at two sizes, a laptop (1366×900) and a phone
(390×844):

- axe-core (vendored, pinned: ``vendor/axe-core/axe.min.js``, version in
  ``AXE_VERSION``) finds no serious or critical violation;
- the document is no wider than the window (no sideways scrolling).

Across the whole test it also collects what the browser reports: Content
Security Policy violations (the ``securitypolicyviolation`` event, recorded by
an init script, and Chromium's console errors) and uncaught script errors.
The conftest fails the test with every finding, each with the page, the rule,
the element and axe's help link.

axe is injected through ``page.evaluate`` (the DevTools protocol), which the
page's own Content Security Policy does not govern, so the policy is tested
as the app sends it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

AXE_PATH = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
FAILING_IMPACTS = ("serious", "critical")

# Recorded in every document before the page's own scripts run.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
    ` (${event.sourceFile || location.pathname}:${event.lineNumber})`
  );
});
"""

AXE_RUN = """
async () => {
  // axe's default rules, plus the experimental check that a control's spoken
  // name contains its visible text (WCAG 2.5.3, which the audit of issue 19 ran).
  const result = await axe.run(document, {
    resultTypes: ["violations"],
    rules: {"label-content-name-mismatch": {enabled: true}},
  });
  return result.violations
    .filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.slice(0, 5).map((n) => ({
        target: n.target.join(" "), summary: n.failureSummary,
      })),
    }));
}
"""

WIDTH = """
() => {
  const over = (el) => el.getBoundingClientRect().right > window.innerWidth + 0.5;
  const name = (el) => {
    const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      classes.filter(Boolean).map((c) => "." + c).join("");
  };
  // The innermost elements that stick out, outside boxes that scroll on their own.
  const culprits = [...document.querySelectorAll("body *")]
    .filter((el) => over(el) && !el.closest(".table-wrap, .visually-hidden, .skip-link"))
    .filter((el) => ![...el.children].some(over))
    .slice(0, 3)
    .map((el) => {
      const right = Math.round(el.getBoundingClientRect().right);
      return `${name(el)} in ${name(el.parentElement)} (right edge ${right}px)`;
    });
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    widest: culprits,
  };
}
"""

# Two faults axe leaves to a person's review (its "incomplete" results), which the
# audit of issue 19 found: references to ids that are not on the page, and names
# given with aria-label to generic elements that screen readers do not announce.
ARIA = """
() => {
  const describe = (el) => el.outerHTML.slice(0, 120);
  const found = [];
  for (const el of document.querySelectorAll("[aria-describedby], [aria-labelledby]")) {
    for (const attr of ["aria-describedby", "aria-labelledby"]) {
      const ids = (el.getAttribute(attr) || "").split(/\\s+/).filter(Boolean);
      const missing = ids.filter((id) => !document.getElementById(id));
      if (missing.length) found.push(`${attr} points at missing id ${missing} on ${describe(el)}`);
    }
  }
  const generic = ["span", "div", "p"].map((tag) => `${tag}[aria-label]:not([role])`).join(", ");
  for (const el of document.querySelectorAll(generic)) {
    found.push(`aria-label on a generic element is not announced: ${describe(el)}`);
  }
  return found;
}
"""

_axe_source: str | None = None


def _axe() -> str:
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_PATH.read_text(encoding="utf-8")
    return _axe_source


def _strip(url: str) -> str:
    """The path and query of ``url`` without the scheme and host."""
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


# Pages whose markup a library draws, not Handover's templates: Django's admin,
# and the API documentation (Swagger UI, Redoc from drf-spectacular-sidecar).
# Their headers and CSP are still checked live; axe and the width check are not
# ours to fix there (docs/frontend.md).
THIRD_PARTY_PATHS = ("/admin/", "/api/v1/docs/", "/api/v1/redoc/")


def _third_party_page(url: str) -> bool:
    return any(path in url for path in THIRD_PARTY_PATHS)


@dataclass(frozen=True)
class Document:
    """One HTML document as the server sent it to the page under test."""

    method: str
    url: str
    status: int
    headers: dict
    body: bytes


@dataclass
class PageAudit:
    """Records every document ``page`` loads and audits each one (``flush``).

    The checks do not run on the live page while the test drives it (resizing
    it under a test's clicks would change what the test sees): each document
    is replayed, byte for byte with its headers, into a second page of the same
    context and audited there.
    """

    page: object
    findings: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    checked: set = field(default_factory=set)
    # When set, documents from other origins (an identity provider) are skipped.
    origin: str = ""

    def attach(self) -> None:
        self.page.context.add_init_script(CSP_LISTENER)
        self.page.on("response", self._on_response)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.findings.append(f"script error: {exc}"))

    def _on_response(self, response) -> None:
        request = response.request
        if not request.is_navigation_request() or response.frame != self.page.main_frame:
            return
        headers = response.all_headers()
        if not (200 <= response.status < 300 or 400 <= response.status < 500):
            return  # redirects have no page; server errors are the walk's to report
        if "text/html" not in headers.get("content-type", ""):
            return
        if self.origin and not response.url.startswith(self.origin):
            return
        try:
            body = response.body()
        except PlaywrightError:
            # Only when the page closed before the body arrived (end of the test).
            return
        self.documents.append(
            Document(request.method, response.url, response.status, headers, body)
        )

    def _on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.findings.append(f"{_strip(self.page.url)}: CSP (console): {message.text[:300]}")

    def flush(self) -> list[str]:
        """Audit every document loaded since the last flush; return the new findings."""
        pending = []
        for document in self.documents:
            key = (document.method, document.url, document.status)
            if key not in self.checked and not _third_party_page(document.url):
                self.checked.add(key)
                pending.append(document)
        self.documents.clear()
        found = []
        if pending:
            replay = self.page.context.new_page()
            try:
                for document in pending:
                    found += self._audit(replay, document)
            finally:
                replay.close()
        found += [f"{_strip(self.page.url)}: CSP violation: {v}" for v in self._live_violations()]
        self.findings.extend(found)
        return found

    def _live_violations(self) -> list[str]:
        try:
            return self.page.evaluate("() => window.__cspViolations || []")
        except PlaywrightError:
            return []

    def _audit(self, replay, document: Document) -> list[str]:
        def fulfil(route):
            if route.request.url == document.url and route.request.resource_type == "document":
                route.fulfill(status=document.status, headers=document.headers, body=document.body)
            else:
                route.continue_()

        where = f"{document.method} {_strip(document.url)}"
        replay.route("**/*", fulfil)
        try:
            replay.goto(document.url, wait_until="load")
            found = []
            for size, label in ((LAPTOP, "1366px"), (PHONE, "390px")):
                replay.set_viewport_size(size)
                found += self._check(replay, where, label)
            found += [
                f"{where}: CSP violation: {v}"
                for v in replay.evaluate("() => window.__cspViolations || []")
            ]
        finally:
            replay.unroute("**/*")
        return found

    def _check(self, replay, where: str, label: str) -> list[str]:
        found = []
        width = replay.evaluate(WIDTH)
        if width["scrollWidth"] > width["innerWidth"]:
            found.append(
                f"{where} @ {label}: scrolls sideways, {width['scrollWidth']}px wide in a "
                f"{width['innerWidth']}px window; overflowing: {', '.join(width['widest']) or '?'}"
            )
        if not replay.evaluate("() => typeof window.axe !== 'undefined'"):
            replay.evaluate(_axe() + "\n;undefined")
        if label == "1366px":
            found += [f"{where}: {fault}" for fault in replay.evaluate(ARIA)]
        for v in replay.evaluate(AXE_RUN):
            nodes = "; ".join(f"{n['target']} — {n['summary']}" for n in v["nodes"])
            found.append(
                f"{where} @ {label}: axe {v['impact']} {v['id']}: {v['help']} "
                f"({v['helpUrl']}) at {nodes}"
            )
        return found
