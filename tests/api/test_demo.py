import io

import pytest
from rest_framework.test import APIClient

from api.models import ApiKey

pytestmark = pytest.mark.django_db


def test_demo_keys_work_as_the_readme_shows_and_seeding_is_idempotent():
    from accounts import demo as accounts_demo
    from api import demo

    accounts_demo.seed(out=io.StringIO())
    lines = demo.seed(out=io.StringIO())
    demo.seed(out=io.StringIO())
    assert ApiKey.objects.count() == 2
    tokens = {email: token for email, _name, token in demo.DEMO_KEYS}
    assert any(tokens["refresh.admin@example.edu"] in line for line in lines)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['refresh.admin@example.edu']}")
    assert client.get("/api/v1/refresh/tickets/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['coordinator@med.example.edu']}")
    assert client.get("/api/v1/orders/").status_code == 200
