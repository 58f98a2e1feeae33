"""Staff order manager URLs (``orders/views/staff.py``), included at /orders/staff/."""

urlpatterns = []
