"""The Nu HTML checker reports no error on the series' public pages and the survey."""

import json
import shutil
import subprocess

import pytest

from events import tokens
from events.attendance import surveys
from events.models import Topic
from events.models.bookings import Registration
from events.series import rules as series
from events.signup import rules as signup
from tests.cms.test_html_validity import VNU
from tests.events.series_helpers import follower_contact, make_series
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_series_pages_are_valid_html(client, home_page, territories, tmp_path):
    java = shutil.which("java")
    assert java and VNU.exists()
    cafe = make_series(territories["Lyon 8"], capacity=1)
    series.sync_series(cafe.pk)
    topic = series.propose_topic(series_id=cafe.pk, person=PersonFactory(), text="Le bruit")
    series.moderate_topic(topic.pk, Topic.Status.APPROVED)
    followed = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    registration = Registration.objects.filter(person=followed.person).first()
    token = tokens.follow_token(followed)
    pages = {
        "series": client.get(cafe.get_absolute_url()),
        "series-errors": client.post(cafe.get_absolute_url(), {"first_name": "A"}),
        "follow": client.get(f"/evenements/cafes/suivi/{token}/"),
        "topic-errors": client.post(f"/evenements/cafes/suivi/{token}/sujet/", {"text": ""}),
        "cant-come": client.get(signup.tokens.cant_come_url(registration)),
        "survey": client.get(surveys.survey_url(registration)),
        "survey-errors": client.post(surveys.survey_url(registration), {"rating": "9"}),
        "event": client.get(registration.event.get_absolute_url()),
    }
    files = {}
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        files[name] = tmp_path / f"{name}.html"
        files[name].write_bytes(response.content)
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    by_file = {str(path): name for name, path in files.items()}
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
