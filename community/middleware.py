"""Request-wide rules of the accounts and security baseline.

- `SiteCSPMiddleware`: django-csp's middleware, with the admin's relaxed policy on its prefixes.
- `StaffSessionMiddleware`: a staff session (any account that can reach the staff area,
  `community.permissions.can_reach_staff_area`) ends after `STAFF_SESSION_IDLE_SECONDS` idle.
- `StaffMFAMiddleware`: with `STAFF_MFA_REQUIRED`, staff without an authenticator are sent to
  the two-factor set-up page from every staff URL (`STAFF_URL_PREFIXES`).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from allauth.mfa.models import Authenticator
from csp.middleware import CSPMiddleware, PolicyParts

from community.permissions import can_reach_staff_area

# Signing in and out must stay reachable for staff who have not set up two-factor yet.
MFA_EXEMPT_PATHS = ("/admin/login/", "/admin/logout/")


def is_staff_path(path: str) -> bool:
    return path.startswith(tuple(settings.STAFF_URL_PREFIXES)) and path not in MFA_EXEMPT_PATHS


def is_staff_user(user) -> bool:
    """Every account that can reach the staff area, whatever its `is_staff` flag says."""
    return can_reach_staff_area(user)


class SiteCSPMiddleware(CSPMiddleware):
    """The public policy everywhere (settings.CONTENT_SECURITY_POLICY); the admin's policy
    (settings.CONTENT_SECURITY_POLICY_ADMIN) under settings.CSP_ADMIN_PREFIXES."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(tuple(settings.CSP_ADMIN_PREFIXES))
        ):
            parts.config = dict(settings.CONTENT_SECURITY_POLICY_ADMIN)
            parts.nonce = None  # a nonce would make browsers ignore 'unsafe-inline'
        return parts


class StaffSessionMiddleware:
    """Staff sessions expire after STAFF_SESSION_IDLE_SECONDS without a request (sliding).

    The expiry slides at most once a minute, so a mediator tapping through the door list does
    not rewrite the session row on every request."""

    TOUCH_KEY = "_staff_touched_at"
    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_staff_user(getattr(request, "user", None)):
            now = int(time.time())
            if now - request.session.get(self.TOUCH_KEY, 0) >= self.TOUCH_EVERY:
                request.session[self.TOUCH_KEY] = now
                request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return self.get_response(request)


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


class StaffMFAMiddleware:
    """With STAFF_MFA_REQUIRED, a staff user without a TOTP (or security key) authenticator is
    redirected from every staff URL to the TOTP set-up page, and back once it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_MFA_REQUIRED
            and is_staff_path(request.path_info)
            and is_staff_user(getattr(request, "user", None))
            and not has_authenticator(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Pour accéder aux outils de l'équipe, activez d'abord la double "
                    "authentification avec une application d'authentification."
                ),
            )
            target = reverse("mfa_activate_totp")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)
