"""Public POSTs that write or send mail are limited per client address and per email or phone
typed: over the limit, a French message with status 429, nothing written, nothing sent."""

import importlib
import re

from django.test import Client, RequestFactory
from django.urls import reverse

import pytest

from community import ratelimit
from events.models.bookings import Booking
from events.models.outbox import OutboxMessage
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db
TOO_MANY = "Trop de demandes en peu de temps. Réessayez dans quelques minutes."


def signup_data(client, event, **overrides):
    """The form as the page serves it (its hidden key included), filled in."""
    page = client.get(reverse("events:signup", args=[event.pk])).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page)
    data = {
        "first_name": "Maimouna",
        "last_name": "Traoré",
        "email": "maimouna@exemple.fr",
        "phone": "",
        "participates": "on",
        "age_band": "25-59",
        "accept_waitlist": "on",
        "consent": "on",
        "submission_key": key.group(1) if key else "",
    }
    data.update(overrides)
    return data


def post_signup(client, event, **kwargs):
    meta = kwargs.pop("meta", {})
    data = signup_data(client, event, **kwargs)
    return client.post(reverse("events:signup", args=[event.pk]), data, **meta)


@pytest.fixture
def low_limits(settings):
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS,
        "signup": {"ip": (3, 600), "address": (2, 600)},
    }


def test_the_fourth_sign_up_from_one_address_within_the_period_is_refused(low_limits):
    events = [EventFactory(capacity=20) for _ in range(4)]
    client = Client()
    for n, event in enumerate(events[:3]):
        response = post_signup(client, event, email=f"voisin{n}@exemple.fr")
        assert response.status_code == 302
    assert Booking.objects.count() == 3
    messages = OutboxMessage.objects.count()

    response = post_signup(client, events[3], email="voisin9@exemple.fr")
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert Booking.objects.count() == 3
    assert OutboxMessage.objects.count() == messages

    # Another client address is not held back.
    other = post_signup(
        client, events[3], email="voisin9@exemple.fr", meta={"REMOTE_ADDR": "10.1.1.1"}
    )
    assert other.status_code == 302


def test_the_same_email_from_many_addresses_is_refused_after_its_limit(low_limits):
    events = [EventFactory(capacity=20) for _ in range(3)]
    client = Client()
    for n, event in enumerate(events[:2]):
        meta = {"REMOTE_ADDR": f"10.0.0.{n + 1}"}
        # The same address, written differently: normalised before counting.
        email = "Cible@Exemple.fr " if n else "cible@exemple.fr"
        assert post_signup(client, event, email=email, meta=meta).status_code == 302
    messages = OutboxMessage.objects.count()

    response = post_signup(
        client, events[2], email="CIBLE@exemple.fr", meta={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert Booking.objects.count() == 2
    assert OutboxMessage.objects.count() == messages


def test_the_same_phone_from_many_addresses_is_refused_after_its_limit(low_limits):
    events = [EventFactory(capacity=20) for _ in range(3)]
    client = Client()
    for n, phone in enumerate(["06 12 34 56 78", "+33612345678"]):
        meta = {"REMOTE_ADDR": f"10.0.0.{n + 1}"}
        assert post_signup(client, events[n], email="", phone=phone, meta=meta).status_code == 302
    response = post_signup(
        client, events[2], email="", phone="0612345678", meta={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert response.status_code == 429
    assert Booking.objects.count() == 2


def test_x_forwarded_for_is_honoured_only_behind_a_trusted_proxy(settings):
    factory = RequestFactory()
    spoofed = factory.post(
        "/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(spoofed) == "192.0.2.10"
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw; what the client wrote before it is not trusted.
    assert ratelimit.client_ip(spoofed) == "198.51.100.7"
    garbage = factory.post("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="pas-une-ip")
    assert ratelimit.client_ip(garbage) == "192.0.2.10"


def test_behind_a_trusted_proxy_each_visitor_has_their_own_bucket(settings, low_limits):
    settings.TRUSTED_PROXY_COUNT = 1
    events = [EventFactory(capacity=20) for _ in range(4)]
    client = Client()
    proxy = "10.0.0.1"
    for n in range(3):
        meta = {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
        response = post_signup(client, events[n], email=f"a{n}@exemple.fr", meta=meta)
        assert response.status_code == 302
    meta = {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    assert post_signup(client, events[3], email="a9@exemple.fr", meta=meta).status_code == 429
    meta = {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.6"}
    assert post_signup(client, events[3], email="a9@exemple.fr", meta=meta).status_code == 302


def test_hit_counts_per_scope_and_key_within_the_period(settings):
    assert ratelimit.hit("essai", "k", limit=2, period=60)
    assert ratelimit.hit("essai", "k", limit=2, period=60)
    assert not ratelimit.hit("essai", "k", limit=2, period=60)
    assert ratelimit.hit("essai", "autre", limit=2, period=60)
    assert ratelimit.hit("autre-scope", "k", limit=2, period=60)


def _is_session_authenticated_api(callback):
    """Django REST framework marks its views CSRF-exempt and enforces CSRF itself on
    session-authenticated writes (wagtail-localize's translation editor uses it)."""
    from rest_framework.authentication import SessionAuthentication
    from rest_framework.views import APIView

    view_class = getattr(callback, "cls", None)
    if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
        return False
    return all(
        issubclass(auth, SessionAuthentication) or not hasattr(auth, "enforce_csrf")
        for auth in view_class.authentication_classes
    )


def test_every_public_form_scope_has_limits_and_only_unsubscribe_is_csrf_exempt():
    """Every public POST is declared with a scope of PUBLIC_RATE_LIMITS, and no view but the
    one-click unsubscribe (and the admin's login door, which only redirects) skips CSRF."""
    from django.conf import settings
    from django.urls import get_resolver

    exempt = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif getattr(pattern.callback, "csrf_exempt", False):
                if _is_session_authenticated_api(pattern.callback):
                    continue
                exempt.add(f"{pattern.callback.__module__}.{pattern.callback.__name__}")

    walk(get_resolver().url_patterns)
    # The mediation day's forms are routes of its page, imported when the page serves them.
    importlib.import_module("cms.mediation_day.views")
    # Wagtail's admin API is read-only (GET), and Django REST framework enforces CSRF on
    # session-authenticated writes itself.
    exempt = {name for name in exempt if not name.startswith("wagtail.") or "API" not in name}
    # The SMS provider's reports carry no cookie: a shared secret authenticates them.
    assert exempt == {
        "cms.newsletter.views.unsubscribe",
        "config.views.admin_login_redirect",
        "events.outbox.views.sms_report",
    }
    assert set(ratelimit.declared_scopes()) <= set(settings.PUBLIC_RATE_LIMITS)
    assert {
        "signup",
        "series_follow",
        "series_topics",
        "programme",
        "newsletter",
        "forms",
        "voice",
        "join_request",
        "stand",
    } <= set(ratelimit.declared_scopes())
