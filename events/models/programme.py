"""The annual mediation day's programme: one per year, a date, a venue and parallel tracks.
Its sessions are ordinary events (kind "mediation-day session") pointing to a track, so
capacity, waitlist, emails and check-in come from the events app unchanged. Imported by
events.models so Django registers them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class Programme(ClusterableModel):
    """A year's mediation day: when, where, and its tracks."""

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    title = models.CharField(_("titre"), max_length=200, default="Journée de la médiation sociale")
    date = models.DateField(_("date"))
    territory = models.ForeignKey(
        "community.Territory",
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text=_("Le territoire où se tient la journée (celui de ses séances)."),
    )
    venue_name = models.CharField(_("lieu"), max_length=200)
    venue_address = models.CharField(_("adresse du lieu"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("year"), FieldPanel("date")]), FieldPanel("title")],
            heading=_("La journée"),
        ),
        MultiFieldPanel(
            [FieldPanel("territory"), FieldPanel("venue_name"), FieldPanel("venue_address")],
            heading=_("Lieu"),
        ),
        InlinePanel("tracks", label=_("Parcours"), min_num=1),
    ]

    class Meta:
        verbose_name = _("programme de la journée de la médiation")
        verbose_name_plural = _("programmes de la journée de la médiation")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.title} {self.year}"


class Track(Orderable):
    """A column of the timeline: sessions of one track follow each other; tracks run in
    parallel."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("nom du parcours"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")

    def __str__(self):
        return f"{self.name} ({self.programme.year})"
