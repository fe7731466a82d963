"""Builders of the mediation day's pages for the cms tests."""

from cms.models import MediationDayIndexPage, MediationDayPage
from tests.events.programme_helpers import make_programme


def make_day_page(home_page, programme=None, **fields):
    programme = programme or make_programme()
    index = MediationDayIndexPage.objects.first()
    if index is None:
        index = MediationDayIndexPage(title="Journée de la médiation", slug="journee")
        home_page.add_child(instance=index)
        index.save_revision().publish()
    page = MediationDayPage(
        title=f"Journée de la médiation {programme.year}",
        slug=str(programme.year),
        programme=programme,
        introduction="<p>Une journée pour la médiation sociale.</p>",
        **fields,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page
