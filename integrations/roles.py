from accounts.roles import Role

ROLE_PERMISSIONS = {
    Role.REFRESH_ADMINISTRATOR: ["integrations.use_itsm_stub"],
    Role.REFRESH_MANAGER: ["integrations.use_itsm_stub"],
}
