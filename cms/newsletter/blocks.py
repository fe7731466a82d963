"""The body of a newsletter issue: editorial, stories with an image, calls to action and the
upcoming events of a chosen period and territories. Each block renders on the site with its
template; the email renders the same values in a table layout (templates/cms/newsletter/)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.blocks import CallToActionBlock
from events.queries import upcoming_events

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class EditorialBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("titre"), max_length=150, required=False)
    text = blocks.RichTextBlock(label=_("texte"), features=TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Éditorial")
        template = "cms/newsletter/blocks/editorial.html"
        description = _("Le mot d'ouverture du numéro.")
        preview_value = {"heading": "Le mot de l'équipe", "text": "<p>Bonne lecture !</p>"}


class StoryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), max_length=150)
    image = ImageChooserBlock(label=_("image"), required=False)
    image_alt = blocks.CharBlock(
        label=_("texte alternatif de l'image"), max_length=200, required=False
    )
    text = blocks.RichTextBlock(label=_("texte"), features=TEXT_FEATURES)
    page = blocks.PageChooserBlock(label=_("lire la suite sur la page"), required=False)

    class Meta:
        icon = "image"
        label = _("Article avec image")
        template = "cms/newsletter/blocks/story.html"
        description = _("Un récit court, avec une image et un lien vers la suite.")
        preview_value = {"title": "Un Café Médiation", "text": "<p>Autour d'un café…</p>"}

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not (value.get("image_alt") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "image_alt": ValidationError(_("Décrivez l'image pour qui ne la voit pas."))
                }
            )
        return value


class NewsletterEventsBlock(blocks.StructBlock):
    """The events of a period in some territories, from events.queries.upcoming_events."""

    heading = blocks.CharBlock(
        label=_("titre"), max_length=120, required=False, default=_("Nos prochains rendez-vous")
    )
    territories = blocks.ListBlock(
        SnippetChooserBlock("community.Territory"),
        label=_("territoires"),
        default=[],
        help_text=_("Aucun : tous les territoires."),
    )
    start = blocks.DateBlock(label=_("du"), required=False)
    end = blocks.DateBlock(label=_("au"), required=False)
    count = blocks.IntegerBlock(
        label=_("nombre d'événements"), default=6, min_value=1, max_value=20
    )

    class Meta:
        icon = "date"
        label = _("Prochains événements")
        template = "cms/newsletter/blocks/events.html"
        description = _("Les événements publiés d'une période, dans les territoires choisis.")
        preview_value = {"heading": "Nos prochains rendez-vous", "count": 3}

    def clean(self, value):
        value = super().clean(value)
        if value.get("start") and value.get("end") and value["end"] < value["start"]:
            raise StructBlockValidationError(
                block_errors={"end": ValidationError(_("La fin précède le début."))}
            )
        return value

    def events(self, value) -> list:
        queryset = upcoming_events(start=value.get("start"), end=value.get("end"))
        ids = [t.pk for t in value.get("territories") or [] if t is not None]
        if ids:
            queryset = queryset.filter(territory_id__in=ids)
        return list(queryset[: value.get("count") or 6])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["events"] = self.events(value)
        return context


class NewsletterBodyBlock(blocks.StreamBlock):
    editorial = EditorialBlock()
    story = StoryBlock()
    call_to_action = CallToActionBlock()
    upcoming_events = NewsletterEventsBlock()

    class Meta:
        block_counts = {"editorial": {"max_num": 1}}
