"""The agenda: a page editors place in the tree, listing upcoming published events with
filters (a plain GET form), paginated, and the archive of past events."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.models.serving import OneQueryPrivacyMixin
from community.models import Territory
from events import queries
from events.forms import read_filters
from events.views import webcal_url

EVENTS_PER_PAGE = 20


class AgendaPage(OneQueryPrivacyMixin, Page):
    """Upcoming events with filters; `?archives=1` shows past events."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Quelques mots au-dessus de la liste des événements."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        territories = list(Territory.objects.all())
        filters = read_filters(request.GET, territories=territories)
        archive = request.GET.get("archives") == "1"
        lister = queries.past_events if archive else queries.upcoming_events
        page_obj = queries.cards_page(
            lister(**filters.query_kwargs),
            request.GET.get("page"),
            EVENTS_PER_PAGE,
            seats=not archive,
        )
        querystring = filters.querystring()
        territory = next((t for t in territories if t.slug == filters.territory), None)
        feeds = [(_("Tout l'agenda"), webcal_url(request, reverse("events:feed")))]
        if territory is not None:
            feeds.append(
                (
                    _("L'agenda de %(territory)s") % {"territory": territory.name},
                    webcal_url(
                        request,
                        reverse("events:territory_feed", kwargs={"territory_slug": territory.slug}),
                    ),
                )
            )
        context.update(
            filters=filters,
            archive=archive,
            page_obj=page_obj,
            events=page_obj.object_list,
            paginator=page_obj.paginator,
            filter_querystring=querystring,
            feeds=feeds,
        )
        return context


def seed_agenda(home) -> AgendaPage:
    """Demo: the agenda page under the home page (idempotent)."""
    agenda = AgendaPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if agenda is None:
        agenda = AgendaPage(
            title="Agenda",
            slug="agenda",
            intro="<p>Cafés médiation, ateliers, actions de sensibilisation : "
            "ce qui se passe près de chez vous.</p>",
        )
        home.add_child(instance=agenda)
        agenda.save_revision().publish()
    return agenda
