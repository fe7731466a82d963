import pytest

from cms.models.agenda import AgendaPage


@pytest.fixture
def agenda_page(home_page):
    agenda = AgendaPage(title="Agenda", slug="agenda")
    home_page.add_child(instance=agenda)
    agenda.save_revision().publish()
    return agenda
