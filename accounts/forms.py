from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings


class LoginForm(AllauthLoginForm):
    """Email + password sign-in (allauth's form, the site's labels).

    With single sign-on configured, local passwords are for break-glass
    superusers only unless SSO_LOCAL_LOGIN is "everyone".
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        self.fields["login"].widget.attrs.update({"autofocus": True, "autocomplete": "email"})
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""

    def clean(self):
        cleaned = super().clean()
        from .adapters import sso_is_configured

        if (
            self.user is not None
            and sso_is_configured()
            and settings.SSO_LOCAL_LOGIN != "everyone"
            and not self.user.is_superuser
        ):
            self.user = None
            raise forms.ValidationError(
                "Sign in with your institution's account (the button above). "
                "Passwords here are kept for emergency administrator access."
            )
        return cleaned
