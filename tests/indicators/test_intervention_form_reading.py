"""The intervention form where the eye is: an error about the counts is announced at the top
of the form (focused, linking to its field), and the details of "Gestion de conflits" are
marked as its sub-kinds."""

import re

import pytest

from tests.indicators.test_intervention_log import URL, client_for, form

pytestmark = pytest.mark.django_db


def test_a_count_error_is_announced_at_the_top_and_sub_kinds_are_marked(staff, kinds, territories):
    client = client_for(staff["mediator_lyon8"])
    data = form(kinds["aide-morale"], territories["Lyon 8"], people=2, women=2, men=1)
    html = client.post(URL, data).content.decode()
    summary = re.search(r'<div class="form-errors"[^>]*>(.*?)</div>', html, re.S)
    assert summary, "no error summary"
    assert "autofocus" in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    assert "Femmes et hommes dépassent le nombre de personnes" in summary.group(1)
    assert 'href="#id_women"' in summary.group(1)
    assert html.index('class="form-errors"') < html.index("Type d&#x27;intervention")

    page = client.get(URL).content.decode()
    labels = re.findall(r"<span>([^<]+)</span>", page)
    assert "Gestion de conflits" in labels
    assert "↳ Table ronde" in labels and "Table ronde" not in labels
