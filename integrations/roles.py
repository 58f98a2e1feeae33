from accounts.roles import Role

# Stuck and failing effects (the outbox page): the managers who answer for them.
_EFFECTS = ["common.view_effect", "common.retry_effect"]

ROLE_PERMISSIONS = {
    Role.REFRESH_ADMINISTRATOR: ["integrations.use_itsm_stub", *_EFFECTS],
    Role.REFRESH_MANAGER: ["integrations.use_itsm_stub", *_EFFECTS],
    Role.ORDERS_MANAGER: _EFFECTS,
}
