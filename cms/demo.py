"""Demo content of the public site, from the agency's service plan. Idempotent."""

from django.conf import settings
from django.db import transaction

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage

TAGLINE = (
    "Nos médiatrices et médiateurs sociaux apaisent les tensions par le dialogue, "
    "mettent les habitants en relation et les aident à devenir autonomes, "
    "dans les quartiers de Lyon 7, Lyon 8, Lyon 9 et de l'Est de la Métropole."
)


def ensure_wagtail_roots() -> Page:
    """The locale, root page and root collection Wagtail's migrations create; recreated when a
    database was flushed (transactional tests do that)."""
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


@transaction.atomic
def seed() -> HomePage:
    """Make a HomePage the root of the default site, replacing Wagtail's placeholder page."""
    home = HomePage.objects.first()
    if home is None:
        root = ensure_wagtail_roots()
        home = HomePage(title="Vivre Ensemble", slug="accueil", tagline=TAGLINE, seo_title="")
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Vivre Ensemble",
        )
    elif site.root_page_id != home.pk:
        placeholder = site.root_page
        site.root_page = home
        site.site_name = "Vivre Ensemble"
        site.save()
        if placeholder.specific_class is Page and not placeholder.get_children().exists():
            placeholder.delete()
    return home
