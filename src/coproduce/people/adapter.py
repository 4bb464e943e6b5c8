import math
from types import SimpleNamespace

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def lockout_minutes() -> int:
    """How long an account stays locked after too many failed sign-ins (allauth's "login_failed" limit on the
    account, the part "/key": 5 attempts in 300 seconds by default), in whole minutes."""
    rates = parse_rates(account_settings.RATE_LIMITS.get("login_failed"))
    seconds = max((rate.duration for rate in rates if rate.per == "key"), default=300)
    return max(1, math.ceil(seconds / 60))


class AccountAdapter(DefaultAccountAdapter):
    """Fill in a display name at sign-up; allauth's default would leave it empty. Emails speak as the network
    (`COPRODUCE_NETWORK_NAME`), not as the host and port the request came to ("Hello from 127.0.0.1:8101!")."""

    def validation_error(self, code, *args) -> ValidationError:
        if code == "too_many_login_attempts":
            # allauth's "Too many failed login attempts. Try again later." says neither how long nor what else.
            return ValidationError(
                _(
                    "This account is locked for %(minutes)s minutes after too many wrong passwords, to keep it "
                    "safe. Wait %(minutes)s minutes and try again. If you have forgotten your password, choose "
                    "“Forgot your password?” under the password box to set a new one."
                )
                % {"minutes": lockout_minutes()},
                code=code,
            )
        return super().validation_error(code, *args)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if not user.display_name:
            user.display_name = form.cleaned_data.get("display_name") or (user.email or "").split("@")[0][:80]
        if commit:
            user.save()
        return user

    def _network(self) -> SimpleNamespace:
        # Without django.contrib.sites allauth names the site after the request's host; use the network's name.
        # The address stays the one the email's links point to.
        request = allauth_context.request
        domain = request.get_host() if request is not None else settings.SITE_URL.split("://", 1)[-1]
        return SimpleNamespace(name=settings.NETWORK_NAME, domain=domain)

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.NETWORK_NAME}] {subject}"

    def render_mail(self, template_prefix, email, context, headers=None):
        return super().render_mail(
            template_prefix, email, {**context, "current_site": self._network()}, headers
        )
