"""The public website's page types."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The agency's front page: what it does, in one sentence, and where to go next."""

    tagline = models.CharField(
        _("ce que fait la structure, en une phrase"),
        max_length=255,
        blank=True,
        help_text=_("Affichée sous le titre, en haut de la page d'accueil."),
    )

    content_panels = [*Page.content_panels, FieldPanel("tagline")]
    search_fields = [*Page.search_fields, index.SearchField("tagline")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")


from .agenda import AgendaPage  # noqa: E402,F401
