"""The "upcoming events" StreamField block: the next events, filtered by territory, kind and
audience, served by events.queries.upcoming_events (the one query the agenda also uses)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.models.agenda import AgendaPage
from events.models import Audience, EventKind
from events.queries import cards, upcoming_events


class UpcomingEventsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("titre"), required=False, default=_("Prochains rendez-vous"), max_length=120
    )
    territory = SnippetChooserBlock(
        "community.Territory",
        label=_("territoire"),
        required=False,
        help_text=_("Laisser vide pour tous les territoires."),
    )
    kinds = blocks.MultipleChoiceBlock(
        label=_("types d'événement"),
        choices=EventKind.choices,
        required=False,
        help_text=_("Aucun coché : tous les types."),
    )
    audience = blocks.ChoiceBlock(label=_("public"), choices=Audience.choices, required=False)
    count = blocks.IntegerBlock(
        label=_("nombre d'événements"), default=3, min_value=1, max_value=12
    )

    class Meta:
        icon = "date"
        label = _("Prochains événements")
        template = "cms/blocks/upcoming_events.html"
        description = _(
            "Les prochains événements publiés, filtrés par territoire, type et public, "
            "avec un lien vers l'agenda."
        )
        preview_value = {"heading": "Prochains rendez-vous", "count": 3}
        form_classname = "upcoming-events-block"

    def events(self, value) -> list:
        events = upcoming_events(
            territory=value.get("territory"),
            kinds=value.get("kinds") or None,
            audience=value.get("audience") or None,
        )
        return list(cards(events)[: value.get("count") or 3])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["events"] = self.events(value)
        context["heading"] = value.get("heading")
        agenda = AgendaPage.objects.live().public().order_by("path").first()
        context["agenda_url"] = agenda.url if agenda else None
        return context
