from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Shared pieces"

    def ready(self):
        # Deploy checks and the health heartbeat task register on import.
        from . import checks, health  # noqa: F401
