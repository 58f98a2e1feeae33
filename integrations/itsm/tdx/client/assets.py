"""TDX assets: finding one by serial and attaching it to a ticket."""

from __future__ import annotations

from ...protocol import ITSMAsset, ITSMAssetOwner
from .mapping import TDXMapping


class TDXAssets(TDXMapping):
    """The asset search (``POST /{assetApp}/assets/search``)."""

    def _asset_row(self, serial_number: str) -> dict | None:
        serial = serial_number.strip()
        rows = self._request(
            "POST",
            f"/{self.asset_app_id}/assets/search",
            bucket="POST.assets/search",
            json={"SerialLike": serial},
        )
        for row in rows or []:
            if (row.get("SerialNumber") or "").strip().lower() == serial.lower():
                return row
        return None

    def find_asset_by_serial(self, *, serial_number) -> ITSMAsset | None:
        row = self._asset_row(serial_number)
        if row is not None:
            return ITSMAsset(
                id=str(row["ID"]),
                serial_number=row["SerialNumber"],
                name=row.get("Name") or "",
                location=row.get("LocationName") or "",
            )
        return None

    def find_asset_owner(self, *, serial_number) -> ITSMAssetOwner | None:
        """The asset's owning customer (their email from People), owning department
        (read as the support group) and location with room."""
        row = self._asset_row(serial_number)
        if row is None:
            return None
        owner_email = ""
        if uid := row.get("OwningCustomerID"):
            person = self._request("GET", f"/people/{uid}", bucket="GET.people")
            owner_email = (person or {}).get("PrimaryEmail") or ""
        location = ", ".join(p for p in (row.get("LocationName"), row.get("LocationRoomName")) if p)
        return ITSMAssetOwner(
            asset_id=str(row["ID"]),
            serial_number=row["SerialNumber"],
            owner_email=owner_email,
            owner_name=row.get("OwningCustomerName") or "",
            support_group=row.get("OwningDepartmentName") or "",
            location=location,
        )

    def attach_asset(self, *, ticket_id, asset_id) -> None:
        self._request(
            "POST",
            self._tickets_path(f"/{ticket_id}/assets/{asset_id}"),
            bucket="POST.tickets/assets",
        )
