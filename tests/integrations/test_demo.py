import io

import pytest

from integrations import demo
from integrations.itsm.stub import StubITSMClient
from integrations.models import StubITSMAsset

pytestmark = pytest.mark.django_db


def test_demo_assets_are_idempotent_and_leave_two_to_make_exist():
    demo.seed(out=io.StringIO())
    lines = demo.seed(out=io.StringIO())
    assert StubITSMAsset.objects.count() == demo.STOCK - 2
    client = StubITSMClient()
    assert client.find_asset_by_serial(serial_number="NEW00001") is not None
    assert client.find_asset_by_serial(serial_number="NEW00003") is None
    assert "/integrations/itsm/" in lines[0]
