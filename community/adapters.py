"""allauth's behaviour for this site, in one place (settings block in config/settings/base.py).

Residents and staff sign in through the same door. Staff land in the admin, residents on the
site; the resident <-> Person link is made from verified addresses only (community.services).
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context

from community import account_mail
from community.permissions import can_reach_staff_area


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", True)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user

        if can_reach_staff_area(user):
            return "/admin/"
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """As allauth renders it, but written as a row and sent by a task (community.account_mail):
        the request answers the same whether the broker and the SMTP server are up or not."""
        context.setdefault("site_name", settings.WAGTAIL_SITE_NAME)
        # Security notices are sent once the change commits, when allauth's request context may
        # already be gone: the site is then named from the settings.
        request = allauth_context.request or getattr(self, "request", None)
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request)
            if request is not None
            else site_from_settings(),
            **context,
        }
        account_mail.queue_email(self.render_mail(template_prefix, email, context))


def site_from_settings() -> SimpleNamespace:
    """What allauth's templates read of a site (name, domain), from the settings."""
    return SimpleNamespace(
        name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
    )
