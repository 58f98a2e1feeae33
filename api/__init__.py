"""REST API v1 (Django REST framework + drf-spectacular) over the apps' services and selectors."""
