from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organizations"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .access import access_receivers_connect
        from .roles import sync_role_permissions_handler

        # Listed in docs/architecture.md: roles get the permissions of every
        # app once all migrations ran (permissions only exist after migrate).
        post_migrate.connect(sync_role_permissions_handler)
        # Listed in docs/architecture.md: a change to anyone's groups or
        # permissions renews their access stamp (the cached roles' key).
        access_receivers_connect()
