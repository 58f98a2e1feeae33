from tests.oidc import oidc_provider, sso_settings  # noqa: F401 - fixtures
