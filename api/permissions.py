"""Gates of the API: the same role checks the pages use (object scoping stays in selectors)."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from orders.roles import can_work_orders
from orders.selectors import user_is_coordinator, user_is_orders_staff
from refresh.roles import can_view_tickets


class CanViewTickets(BasePermission):
    message = "Your role does not give access to refresh tickets."

    def has_permission(self, request, view):
        return can_view_tickets(request.user)


class OrdersPortalOrStaff(BasePermission):
    """Coordinators (their organizations' orders) and orders staff (every order)."""

    message = "Your role does not give access to orders."

    def has_permission(self, request, view):
        return user_is_coordinator(request.user) or user_is_orders_staff(request.user)


class CanWorkOrders(BasePermission):
    message = "Only orders technicians and managers may do this."

    def has_permission(self, request, view):
        return can_work_orders(request.user)


class HasPerm(BasePermission):
    """``HasPerm.of("app.codename")``: the user has the model permission."""

    perm = ""

    @classmethod
    def of(cls, perm: str):
        return type(f"Has_{perm.replace('.', '_')}", (cls,), {"perm": perm})

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.has_perm(self.perm))
