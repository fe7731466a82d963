"""Double-submission keys, made by the server and bound to the visitor's browser.

A form carries a random key (`issue`) so that a double click makes one booking and both
requests lead to it. What reaches the database is not that key but `bind(request, key)`: a
keyed hash of it with the visitor's CSRF secret, a random value only their browser holds (in its
CSRF cookie, which every form of the site already needs). A key copied from another browser,
guessed, reused, or naming a series follow's internal key (`follow:<id>:<event>`) therefore
never designates an existing booking: with another browser's secret it hashes to something
else, and internal keys are never of the bound form.

The CSRF secret rather than one kept in the session: showing a form then opens no session (no
row written for each visitor who only looks), and sending it reads none.
"""

import hashlib
import hmac
import secrets

from django.middleware.csrf import get_token

PREFIX = "web:"


def issue(request) -> str:
    """A fresh key for a form about to be shown; makes sure the browser gets its CSRF cookie."""
    get_token(request)
    return secrets.token_hex(16)


def bind(request, submitted: str | None) -> str | None:
    """The stored key for a key sent back by this browser's form; None when the browser sent
    no CSRF cookie (the form was not served to it) or no key was sent."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or not submitted:
        return None
    digest = hmac.new(secret.encode(), submitted.encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:48]
