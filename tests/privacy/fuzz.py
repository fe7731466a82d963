"""A small fuzzer for public forms: read the form's fields from the page a person sees, post
hostile values (any text, huge input, control characters, HTML and script) or valid-looking
ones, and check the answer is never a 500 and that a refused form wrote no row. Every form
fuzzed must also accept at least one submission, so a form refusing everything fails."""

import html
import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cms.models import Submission
from community.models import JoinRequest, Person, User, Voice
from events.models.bookings import Booking, Participant, Registration

FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil")',
    "+33 6 12 34 56 78\x00",
    "\x00\x01\x02\x1b[31m",
    "a" * 100_000,
    "é" * 5000,
    "Robert'); DROP TABLE community_person;--",
    "\u202e\ufeff\u200b",
    "{{ request }}{% debug %}",
    "../../etc/passwd",
    "  ",
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=300),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=50),
)

COUNTED = (Person, User, Booking, Registration, Participant, Voice, JoinRequest, Submission)

FIELD = re.compile(
    r"<(input|textarea|select)\b([^>]*)>(.*?)(?=<(?:input|textarea|select|/form)\b|$)",
    re.S | re.I,
)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
OPTION = re.compile(r'<option[^>]*value="([^"]*)"', re.I)


def form_fields(page_html: str) -> dict[str, list[str]]:
    """name -> values a person could pick or type (the first post form with fields)."""
    forms = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', page_html, re.S | re.I)
    assert forms, "no POST form on the page"
    # The first form a person fills in: a menu's log-out button (a token only) is not one.
    for form in forms:
        fields = _fields(form)
        if fields:
            return fields
    raise AssertionError("no POST form with fields on the page")


def _fields(form_html: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for tag, attrs_text, rest in FIELD.findall(form_html):
        attrs = dict(ATTR.findall(attrs_text))
        name = attrs.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        kind = attrs.get("type", "text")
        values = fields.setdefault(name, [])
        if tag.lower() == "select":
            values.extend(html.unescape(v) for v in OPTION.findall(rest))
        elif kind in ("checkbox", "radio"):
            values.append(html.unescape(attrs.get("value", "on")))
        elif kind == "hidden":
            values.append(html.unescape(attrs.get("value", "")))
        elif kind == "email":
            values.append("amina.diallo@exemple.fr")
        elif kind == "tel" or attrs.get("autocomplete") == "tel" or "phone" in name:
            values.append("06 12 34 56 78")
        elif kind == "number":
            values.append("1")
        elif kind == "date":
            values.append("2026-12-01")
        else:
            values.append("Amina")
    return fields


def valid_submission(fields: dict[str, list[str]], overrides: dict | None = None) -> dict:
    """What a person filling the form in would post: each field's first offered value (a
    select's first real option), then `overrides` for what the page cannot tell (a password, a
    second copy of it); an override of None leaves the field out."""
    data = {name: next((v for v in values if v), "") for name, values in fields.items()}
    for name, value in (overrides or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def post_strategy(fields: dict[str, list[str]]):
    """For every field, a valid-looking value, nothing, or hostile text."""
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.sampled_from(values or [""]), st.just(""), hostile_text)
            for name, values in fields.items()
        }
    )


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


ERROR_MARKERS = ("field__error", "form__errors", "form-errors", "errorlist", "error-message")


def check_post(client, url: str, data: dict) -> bool:
    """Post `data`; True when the form accepted it (a redirect, or a page without errors that
    wrote rows)."""
    before = counts()
    response = client.post(url, data)
    assert response.status_code in (200, 302, 400, 403, 404, 429), response.status_code
    refused = response.status_code != 302 and (
        response.status_code != 200
        or any(marker in response.content.decode() for marker in ERROR_MARKERS)
    )
    if refused:
        assert counts() == before, f"a refused form wrote rows: {data!r}"
    if response.status_code == 200:
        body = response.content.decode()
        assert "<script>alert('x')</script>" not in body
        assert "<img src=x onerror" not in body
    if refused:
        return False
    return response.status_code == 302 or counts() != before
