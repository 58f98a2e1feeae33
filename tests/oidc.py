"""A real OpenID Connect provider (oidc-provider-mock) in its own process.

``oidc_provider`` (session fixture) starts ``python -m oidc_provider_mock`` on a
free port of 127.0.0.1 and yields an :class:`OidcProvider`: set a person's
claims with ``put_user`` and configure the site with ``settings_for``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
import requests


@dataclass(frozen=True)
class OidcProvider:
    url: str
    client_id: str = "handover-test"
    client_secret: str = "handover-test-secret"

    def put_user(self, sub: str, **claims) -> None:
        """The person ``sub`` signs in with these claims (email, name, groups, amr...)."""
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    def authorize(self, authorize_url: str, sub: str) -> str:
        """Play the person at the provider's page: returns the redirect back to the site."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]

    def providers_setting(self) -> dict:
        return {
            "openid_connect": {
                "VERIFIED_EMAIL": True,
                "APPS": [
                    {
                        "provider_id": "idp",
                        "name": "Example University",
                        "client_id": self.client_id,
                        "secret": self.client_secret,
                        "settings": {"server_url": self.url},
                    }
                ],
            }
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{url}/.well-known/openid-configuration", timeout=1).raise_for_status()
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the OIDC provider did not start") from None
            time.sleep(0.2)
    try:
        yield OidcProvider(url=url)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso_settings(settings, oidc_provider):
    """Single sign-on configured against the local provider for this test."""
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.providers_setting()
    return settings
