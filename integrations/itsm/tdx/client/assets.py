"""TDX assets: finding one by serial and attaching it to a ticket."""

from __future__ import annotations

from ...protocol import ITSMAsset
from .mapping import TDXMapping


class TDXAssets(TDXMapping):
    """The asset search (``POST /{assetApp}/assets/search``)."""

    def find_asset_by_serial(self, *, serial_number) -> ITSMAsset | None:
        serial = serial_number.strip()
        rows = self._request(
            "POST",
            f"/{self.asset_app_id}/assets/search",
            bucket="POST.assets/search",
            json={"SerialLike": serial},
        )
        for row in rows or []:
            if (row.get("SerialNumber") or "").strip().lower() == serial.lower():
                return ITSMAsset(
                    id=str(row["ID"]),
                    serial_number=row["SerialNumber"],
                    name=row.get("Name") or "",
                    location=row.get("LocationName") or "",
                )
        return None

    def attach_asset(self, *, ticket_id, asset_id) -> None:
        self._request(
            "POST",
            self._tickets_path(f"/{ticket_id}/assets/{asset_id}"),
            bucket="POST.tickets/assets",
        )
