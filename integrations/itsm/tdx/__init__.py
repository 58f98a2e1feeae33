"""The real TeamDynamix (TDX) Web API client (``TDXClient``).

``settings.ITSM_CLIENT = "integrations.itsm.tdx.TDXClient"`` switches to it;
the tenant's IDs come from the ``TDX_*`` settings (``tdx.config.TDXConfig``)
and the client refuses to start until every one it needs is set. Every
request goes through :meth:`TDXTransport._request` (``transport.py``), which

* signs in with ``POST {base}/{TDX_API_PATH}/api/auth/loginadmin`` (BEID +
  WebServicesKey) for a bearer JWT, keeps it until shortly before the token's
  own ``exp`` claim, and signs in again once when TDX answers 401;
* counts calls per method in windows that start at the first call (ticket
  create 30 per 60 s, most others 60), shared through the cache; on 429 it
  waits until ``X-RateLimit-Reset`` (an RFC 1123 date) + 5 s — short waits
  sleep, long ones raise ``ITSMRateLimited(retry_after=...)`` so the job is
  retried instead;
* always passes a timeout; timeouts, connection errors, 5xx and a 429 on
  sign-in raise ``TransientITSMError``, 404 ``ITSMNotFound``, other 4xx
  ``PermanentITSMError``.

TDX has no idempotency keys. Each created ticket carries a marker line with
the key in its description (and, if configured, a custom attribute); a retry
after a lost answer searches for it before creating again, then adds only the
tasks still missing. Keys are also remembered locally (``StubIdempotencyKey``
rows with ``service="tdx"``) to save the search when the answer did arrive.

Modules: ``config`` (settings → IDs, what is missing), ``transport`` (sign-in,
limits, errors), ``client`` (the Protocol), ``check`` (``manage.py itsm_check``).
"""

from .client import TDXClient
from .config import TDXConfig
from .transport import token_expiry

__all__ = ["TDXClient", "TDXConfig", "token_expiry"]
