import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .choices import PortalAccess, PortalVisibility
from .roles import Role


def new_access_stamp() -> str:
    """A fresh value for ``User.access_stamp`` (accounts/access.py)."""
    return secrets.token_hex(8)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser needs is_staff and is_superuser.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address.

    Staff (IT) and coordinators (customers) are both users; what they may do
    comes from their role groups, what they may see from their organization.
    """

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="Customer organization this user belongs to (coordinators, end users).",
    )
    portal_access = models.CharField(
        max_length=20,
        choices=PortalAccess.choices,
        blank=True,
        help_text="Which requests this contact sees in the portal; empty: the "
        "organization's default access level.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to Django admin (IT staff)."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # Replaced whenever this person's roles or permissions change; the cached
    # permissions, roles and navigation are stored under it (accounts/access.py).
    access_stamp = models.CharField(max_length=16, default=new_access_stamp, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return (self.full_name.split(" ")[0] if self.full_name else self.email).strip()


class Organization(models.Model):
    """A customer organization (a department, a unit) with optional sub-organizations."""

    name = models.CharField(max_length=200, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level organization.",
    )
    primary_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="primary_contact_for",
    )
    account_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="account_team_for",
        help_text="IT staff who look after this organization.",
    )
    portal_visibility = models.CharField(
        max_length=20, choices=PortalVisibility.choices, default=PortalVisibility.ORGANIZATION
    )
    default_portal_access = models.CharField(
        max_length=20,
        choices=PortalAccess.choices,
        default=PortalAccess.ORGANIZATION_SUBS,
        help_text="The access level of contacts who have none of their own (new users "
        "joining by email domain included).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganizationDomain(models.Model):
    """An email domain whose new portal users are placed in the organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True, help_text="For example: med.example.edu")

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class SupportTeam(models.Model):
    """An IT field team: it owns schedule slots and works on-site tickets."""

    name = models.CharField(max_length=120, unique=True)
    email = models.EmailField(blank=True)
    slack_channel = models.CharField(
        max_length=80, blank=True, help_text="For example: #desktop-north"
    )
    slack_webhook_url = models.URLField(
        blank=True, help_text="Incoming webhook for notices to this team's channel."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="support_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class IdpGroupRole(models.Model):
    """One identity-provider group that gives a role to the people in it.

    On every single sign-on the person's roles become exactly those their IdP
    groups map to here (when the IdP sends the group claim at all).
    """

    group = models.CharField(
        "IdP group",
        max_length=200,
        help_text="The group's value as the IdP sends it in the group claim.",
    )
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        ordering = ["group", "role"]
        verbose_name = "identity provider group"
        constraints = [
            models.UniqueConstraint(fields=["group", "role"], name="accounts_idp_group_role_unique")
        ]

    def __str__(self):
        return f"{self.group} → {self.get_role_display()}"


class SignInRecord(models.Model):
    """A sign-in, kept for the audit: how, from where, and whether it was break-glass.

    Break-glass: a local password used while single sign-on is configured
    (only superusers may, see SSO_LOCAL_LOGIN).
    """

    class Method(models.TextChoices):
        # Email and password on the sign-in page.
        PASSWORD = "password", "Password"
        # Single sign-on through the identity provider.
        SSO = "sso", "Single sign-on"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins"
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    break_glass = models.BooleanField(default=False)
    idp_mfa = models.BooleanField("IdP did MFA", default=False)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} · {self.get_method_display()} · {self.created_at:%Y-%m-%d %H:%M}"
