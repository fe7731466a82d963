"""The intervention page as a mediator reads it on a phone: an error summary at the top that
takes the focus and links to the field at fault, and the conflict-management sub-kinds grouped
under their parent kind."""

import re

import pytest

from tests.indicators.test_intervention_log import URL, client_for, form

pytestmark = pytest.mark.django_db


def test_error_summary_on_top_and_sub_kinds_grouped(staff, kinds, territories):
    client = client_for(staff["mediator_lyon8"])
    data = form(kinds["mise-en-relation"], territories["Lyon 8"], people=2, women=2, men=1)
    page = client.post(URL, data).content.decode()

    # The summary comes before the first kind tile, takes the focus and links to the field.
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert summary, "no error summary"
    assert page.index("error-summary") < page.index('name="kind"')
    assert "autofocus" in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    assert 'href="#id_women"' in summary.group(1)
    assert "Femmes et hommes dépassent le nombre de personnes" in summary.group(1)
    women = re.search(r'<input[^>]*id="id_women"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in women and "aria-describedby=" in women

    # "Gestion de conflits" and its three sub-kinds sit in one group, named after the parent.
    fresh = client.get(URL).content.decode()
    group = re.search(r'<div class="choice-family"[^>]*>(.*?)</div>\s*</div>', fresh, re.S)
    assert group, "no kind family"
    assert "Gestion de conflits" in group.group(1)
    for child in (
        "Gestion de conflit en temps réel",
        "Suivi de conflit en temps différé",
        "Table ronde",
    ):
        assert child in group.group(1)
    assert "Rappel à la règle" not in group.group(1)
