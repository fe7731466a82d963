"""Every HTML email a person receives shares one base template: the same header colour, one
button colour and a mobile viewport (the newsletter itself excepted: its own layout)."""

import re

from django.template.loader import render_to_string

import pytest

EMAILS = [
    "events/emails/confirmation.html",
    "cms/emails/newsletter_confirm.html",
    "cms/emails/newsletter_already.html",
    "cms/emails/submission.html",
    "community/emails/voice.html",
    "community/emails/join_request.html",
    "community/emails/inactive_account.html",
]
BRAND = "#0b4f8a"


@pytest.mark.django_db
def test_every_email_has_the_one_style():
    for name in EMAILS:
        body = render_to_string(
            name,
            {
                "site_url": "https://vivre-ensemble.example",
                "user": {"first_name": "Amina", "email": "a@b.fr"},
            },
        )
        assert 'name="viewport"' in body, name
        assert f"background:{BRAND}" in body.replace(" ", ""), name
        colours = set(re.findall(r"#[0-9a-fA-F]{6}", body))
        assert colours <= {
            BRAND,
            "#ffffff",
            "#f3f3f3",
            "#1a1a1a",
            "#4a4a4a",
            "#dddddd",
            "#eef4fa",
        }, (
            name,
            colours,
        )
