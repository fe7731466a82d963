"""allauth's behaviour for this site, in one place (settings block in config/settings/base.py).

Residents and staff sign in through the same door. Staff land in the admin, residents on the
site; the resident <-> Person link is made from verified addresses only (community.services).
"""

from django.conf import settings
from django.http import HttpRequest

from allauth.account.adapter import DefaultAccountAdapter

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
        context.setdefault("site_name", settings.WAGTAIL_SITE_NAME)
        super().send_mail(template_prefix, email, context)
