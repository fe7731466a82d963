import pytest

from cms.models.agenda import AgendaPage


@pytest.fixture
def agenda_page(home_page):
    """The agenda under the home page: the demo site may already have made it."""
    agenda = AgendaPage.objects.child_of(home_page).filter(slug="agenda").first()
    if agenda is None:
        agenda = AgendaPage(title="Agenda", slug="agenda")
        home_page.add_child(instance=agenda)
    agenda.save_revision().publish()
    return agenda
