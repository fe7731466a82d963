"""allauth signals that keep the resident <-> Person link (community.services)."""

from django.contrib.auth.signals import user_logged_in

from allauth.account.signals import email_changed, email_confirmed

from community import services


def on_email_confirmed(sender, request=None, email_address=None, **kwargs):
    if email_address is not None:
        services.link_person_to_user(email_address.user)


def on_email_changed(sender, request=None, user=None, **kwargs):
    services.link_person_to_user(user)


def on_user_logged_in(sender, request=None, user=None, **kwargs):
    services.link_person_to_user(user)
    if user is not None and getattr(user, "inactivity_warned_at", None) is not None:
        # Signing in after the inactivity warning keeps the account.
        type(user).objects.filter(pk=user.pk).update(inactivity_warned_at=None)
        user.inactivity_warned_at = None


def connect() -> None:
    email_confirmed.connect(on_email_confirmed, dispatch_uid="community.link_on_confirm")
    email_changed.connect(on_email_changed, dispatch_uid="community.link_on_email_change")
    user_logged_in.connect(on_user_logged_in, dispatch_uid="community.link_on_login")
