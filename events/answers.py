"""The answer to a public sign-up, follow or programme form: one page, the same for every
visitor, whether or not the details they typed were already known.

The page says what happens next (a message to the address or number given, with the link).
Only the browser session that made a booking or a follow also sees its link there: the view
that made it `remember`s the link in that session. A visitor who was already registered makes
nothing, so their session holds no link; theirs goes to the address on record instead.
"""

from django.urls import reverse

SESSION_KEY = "events:answers"
KINDS = ("inscription", "cycle", "programme")
KEEP = 20  # a session remembers its last few answers, not an ever-growing list


def received_url(kind: str, pk: int) -> str:
    return reverse("events:received", args=[kind, pk])


def remember(request, kind: str, pk: int, url: str, note: str = "") -> None:
    """Keep the link this session just made, for the answer page of `kind` and `pk`."""
    stored = dict(request.session.get(SESSION_KEY, {}))
    stored.pop(f"{kind}:{pk}", None)
    stored[f"{kind}:{pk}"] = {"url": url, "note": str(note)}
    request.session[SESSION_KEY] = dict(list(stored.items())[-KEEP:])


def recall(request, kind: str, pk: int) -> dict | None:
    return request.session.get(SESSION_KEY, {}).get(f"{kind}:{pk}")
