"""Talking to the TeamDynamix Web API: sign-in, tokens, limits, errors, remembered keys.

Every request goes through :meth:`TDXTransport._request` (see the package
docstring for what it guarantees). ``TDXClient`` builds the Protocol on it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import time

import requests
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from integrations.models import StubIdempotencyKey

from ..limits import SKEW_SECONDS, parse_reset, window_wait
from ..protocol import ITSMNotFound, ITSMRateLimited, PermanentITSMError, TransientITSMError
from .config import TDXConfig

FALLBACK_TOKEN_LIFETIME = dt.timedelta(hours=24)
TOKEN_REFRESH_MARGIN = dt.timedelta(minutes=5)


def token_expiry(token: str) -> dt.datetime | None:
    """The ``exp`` claim of a JWT (read, not verified: TDX verifies it)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return dt.datetime.fromtimestamp(int(claims["exp"]), tz=dt.UTC)
    except (IndexError, KeyError, TypeError, ValueError):
        return None


class TDXTransport:
    """Signed, throttled calls to one tenant; refuses to start while IDs are missing."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        beid: str | None = None,
        web_services_key: str | None = None,
        app_id: int | None = None,
        asset_app_id: int | None = None,
        api_path: str | None = None,
        session: requests.Session | None = None,
        sleep=time.sleep,
        config: TDXConfig | None = None,
        validate: bool = True,
    ):
        self.config = config or TDXConfig.from_settings(
            base_url=base_url.rstrip("/") if base_url else None,
            beid=beid,
            web_services_key=web_services_key,
            app_id=app_id,
            asset_app_id=asset_app_id,
            api_path=api_path.strip("/") if api_path else None,
        )
        self.problems = self.config.problems()
        if validate and self.problems:
            raise ImproperlyConfigured(
                "TeamDynamix is not configured for this tenant: "
                + "; ".join(self.problems)
                + ". See docs/integrations.md (Connecting TeamDynamix) and run "
                "`manage.py itsm_check`."
            )
        self.base_url = self.config.base_url
        self.app_id = self.config.app_id
        self.asset_app_id = self.config.asset_app_id
        self.session = session or requests.Session()
        self.sleep = sleep
        self._token: str | None = None
        self._token_expires: dt.datetime | None = None

    # --- transport ---------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.config.api_root}{path}"

    def _now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(
                method, self._url(path), timeout=self.config.timeout, **kwargs
            )
        except requests.Timeout as exc:
            raise TransientITSMError(f"TDX timed out on {method} {path}.") from exc
        except requests.RequestException as exc:
            raise TransientITSMError(f"TDX could not be reached: {exc}") from exc
        return response

    def _login(self) -> str:
        bucket = "POST.auth/loginadmin"
        self._throttle(bucket)
        response = self._send(
            "POST",
            "/auth/loginadmin",
            json={"BEID": self.config.beid, "WebServicesKey": self.config.web_services_key},
        )
        status = response.status_code
        if status == 429:
            wait = self._block(bucket, response)
            raise ITSMRateLimited(
                f"TDX rate-limited the sign-in: try again in {wait:.0f} s.", retry_after=wait
            )
        if status >= 500:
            raise TransientITSMError(f"TDX sign-in failed with {status}.")
        if status >= 400:
            raise PermanentITSMError(
                f"TDX refused the BEID/WebServicesKey sign-in ({status}): check TDX_BEID "
                "and TDX_WEB_SERVICES_KEY."
            )
        token = response.text.strip().strip('"')
        now = self._now()
        expires = token_expiry(token) or now + FALLBACK_TOKEN_LIFETIME
        margin = max(dt.timedelta(0), min(TOKEN_REFRESH_MARGIN, (expires - now) / 2))
        self._token, self._token_expires = token, expires - margin
        keep = int((self._token_expires - now).total_seconds())
        if keep > 0:
            cache.set(self._token_cache_key(), (token, self._token_expires), timeout=keep)
        return token

    def _token_cache_key(self) -> str:
        return f"tdx-token:{self.config.api_root}:{self.config.beid}"

    def _bearer(self) -> str:
        if self._token is None:
            cached = cache.get(self._token_cache_key())
            if cached:
                self._token, self._token_expires = cached
        if self._token is None or self._now() >= self._token_expires:
            return self._login()
        return self._token

    def _throttle(self, bucket: str) -> None:
        """Keep to the method's limit; honour a reset TDX announced."""
        blocked_until = cache.get(f"tdx-blocked:{bucket}")
        now = time.time()
        if blocked_until and blocked_until > now:
            self._wait(blocked_until - now)
        wait = window_wait(bucket=f"tdx:{bucket}", limit=self.config.limit_for(bucket))
        if wait:
            self._wait(wait + SKEW_SECONDS)

    def _wait(self, seconds: float) -> None:
        if seconds > self.config.max_inline_wait:
            raise ITSMRateLimited(
                f"TDX rate limit: try again in {seconds:.0f} s.", retry_after=seconds
            )
        self.sleep(seconds)

    def _block(self, bucket: str, response: requests.Response) -> float:
        """Remember TDX's reset for this method; return the wait (reset + 5 s)."""
        until_reset = parse_reset(response.headers.get("X-RateLimit-Reset", ""))
        wait = (60.0 if until_reset is None else until_reset) + SKEW_SECONDS
        cache.set(f"tdx-blocked:{bucket}", time.time() + wait, timeout=int(wait) + 1)
        return wait

    def _request(self, method: str, path: str, *, bucket: str, json=None, params=None):
        """One API call: throttled, signed, re-signed once on 401, waited on 429."""
        reauthenticated = rate_waited = False
        while True:
            self._throttle(bucket)
            headers = {"Authorization": f"Bearer {self._bearer()}"}
            response = self._send(method, path, json=json, params=params, headers=headers)
            status = response.status_code
            if status == 401 and not reauthenticated:
                reauthenticated = True
                self._token = None
                cache.delete(self._token_cache_key())
                continue
            if status == 429:
                wait = self._block(bucket, response)
                if rate_waited or wait > self.config.max_inline_wait:
                    raise ITSMRateLimited(f"TDX rate limit on {method} {path}.", retry_after=wait)
                rate_waited = True  # _throttle sleeps until the reset on the way round
                continue
            if response.headers.get("X-RateLimit-Remaining") == "0" and response.headers.get(
                "X-RateLimit-Reset"
            ):
                self._block(bucket, response)  # the next call would be refused
            if status >= 500:
                raise TransientITSMError(f"TDX answered {status} on {method} {path}.")
            if status == 404:
                raise ITSMNotFound(f"TDX has no {path}.")
            if status >= 400:
                raise PermanentITSMError(
                    f"TDX refused {method} {path} ({status}): {response.text[:300]}"
                )
            if not response.content:
                return None
            try:
                return response.json()
            except ValueError:
                return response.text

    # --- idempotency -------------------------------------------------------

    def _seen(self, key: str) -> str | None:
        row = StubIdempotencyKey.objects.filter(service="tdx", key=key).first()
        return row.result_id if row else None

    def _remember(self, key: str, result_id) -> None:
        try:
            with transaction.atomic():
                StubIdempotencyKey.objects.create(service="tdx", key=key, result_id=str(result_id))
        except IntegrityError:
            pass
