from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Fill in a display name at sign-up; allauth's default would leave it empty. Emails speak as the network
    (`COPRODUCE_NETWORK_NAME`), not as the host and port the request came to ("Hello from 127.0.0.1:8101!")."""

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
