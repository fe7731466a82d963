"""Double-submission keys, made by the server and bound to the visitor's session.

A form carries a random key (`issue`) so that a double click makes one booking and both
requests lead to it. What reaches the database is not that key but `bind(request, key)`: a
keyed hash of it with a secret kept in the visitor's session. A key copied from another
browser, guessed, reused, or naming a series follow's internal key (`follow:<id>:<event>`)
therefore never designates an existing booking: in another session it hashes to something
else, and internal keys are never of the bound form.
"""

import hashlib
import hmac
import secrets

SESSION_SECRET = "events:submission_secret"  # noqa: S105 (a session key name)
PREFIX = "web:"


def issue(request) -> str:
    """A fresh key for a form about to be shown; makes sure the session holds its secret."""
    if not request.session.get(SESSION_SECRET):
        request.session[SESSION_SECRET] = secrets.token_hex(16)
    return secrets.token_hex(16)


def bind(request, submitted: str | None) -> str | None:
    """The stored key for a key sent back by this session's form; None when the session has
    no secret (the form was not served to it) or no key was sent."""
    secret = request.session.get(SESSION_SECRET)
    if not secret or not submitted:
        return None
    digest = hmac.new(secret.encode(), submitted.encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:48]
