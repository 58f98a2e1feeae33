from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"

    def ready(self):
        from orders.selectors.canned_responses import connect_canned_response_receivers
        from orders.selectors.staff_people import connect_staff_people_receivers

        connect_staff_people_receivers()
        connect_canned_response_receivers()
