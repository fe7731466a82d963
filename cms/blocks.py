"""The body every content page shares: one StreamBlock, each block with an icon, a template, a
preview and a description. Another block (e.g. upcoming events) is one more entry in
`BodyBlock`."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.event_blocks import UpcomingEventsBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("texte du titre"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("niveau"),
        choices=[("h2", _("Titre de section (niveau 2)")), ("h3", _("Sous-titre (niveau 3)"))],
        default="h2",
        help_text=_("Le titre de la page est le seul titre de niveau 1."),
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "cms/blocks/heading.html"
        preview_value = {"text": "Nos missions", "level": "h2"}
        description = _("Un titre de section, pour structurer la page.")


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("texte alternatif"),
        max_length=250,
        required=True,
        help_text=_(
            "Obligatoire : décrivez ce que l'image apporte, pour les personnes qui ne la voient pas."
        ),
    )
    caption = blocks.CharBlock(label=_("légende"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image.html"
        preview_value = {"alt_text": "Une médiatrice discute avec des habitants", "caption": ""}
        description = _("Une image avec son texte alternatif (obligatoire) et une légende.")

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                {
                    "alt_text": ValidationError(
                        _("Une image sans texte alternatif ne peut pas être publiée.")
                    )
                }
            )
        return value


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("citation"))
    author = blocks.CharBlock(label=_("auteur ou autrice"), max_length=100)
    role = blocks.CharBlock(label=_("rôle"), max_length=100, required=False)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "cms/blocks/quote.html"
        preview_value = {
            "quote": "apaiser les tensions par le dialogue",
            "author": "Quentin",
            "role": "médiateur social",
        }
        description = _("Une citation avec son auteur et son rôle.")


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), max_length=150)
    text = blocks.TextBlock(label=_("texte"), required=False)
    page = blocks.PageChooserBlock(label=_("page du site"), required=False)
    url = blocks.URLBlock(label=_("ou adresse externe"), required=False)
    label = blocks.CharBlock(label=_("texte du bouton"), max_length=60)

    class Meta:
        icon = "pick"
        label = _("Appel à l'action")
        template = "cms/blocks/call_to_action.html"
        preview_value = {
            "title": "Besoin d'une médiation ?",
            "text": "Contactez l'équipe de votre territoire.",
            "url": "https://example.org/",
            "label": "Nous contacter",
        }
        description = _("Un encadré qui mène vers une page, avec un bouton.")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Choisissez soit une page du site, soit une adresse externe (une seule).")
                    )
                }
            )
        return value


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("réponse"), features=RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), max_length=150, required=False)
    items = blocks.ListBlock(FaqItemBlock(), label=_("questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Questions fréquentes")
        template = "cms/blocks/accordion.html"
        preview_value = {
            "title": "Questions fréquentes",
            "items": [
                {"question": "La médiation est-elle gratuite ?", "answer": "<p>Oui.</p>"},
            ],
        }
        description = _("Des questions et leurs réponses, dépliables (sans JavaScript).")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(
        label=_("intitulé"),
        max_length=150,
        required=False,
        help_text=_("Par défaut, le titre du document."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document à télécharger")
        template = "cms/blocks/document.html"
        description = _("Un lien de téléchargement avec le format et le poids du fichier.")


class ContactCardBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("nom"), max_length=150)
    role = blocks.CharBlock(label=_("fonction"), max_length=150, required=False)
    phone = blocks.CharBlock(label=_("téléphone"), max_length=30, required=False)
    email = blocks.EmailBlock(label=_("adresse électronique"), required=False)
    address = blocks.TextBlock(label=_("adresse"), required=False)

    class Meta:
        icon = "user"
        label = _("Fiche contact")
        template = "cms/blocks/contact_card.html"
        preview_value = {
            "name": "Équipe de Lyon 8",
            "role": "Médiation sociale",
            "phone": "04 72 52 23 81",
            "email": "lyon8@vivre-ensemble.localhost",
        }
        description = _("Un nom, une fonction, un téléphone, une adresse électronique.")

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("phone") or value.get("email") or value.get("address")):
            raise StructBlockValidationError(
                block_errors={
                    "phone": ValidationError(
                        _("Indiquez au moins un moyen de contact (téléphone, courriel ou adresse).")
                    )
                }
            )
        return value


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Texte"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="cms/blocks/paragraph.html",
        preview_value="<p>La médiation sociale recrée du lien entre les habitants.</p>",
        description=_("Du texte mis en forme : paragraphes, listes, liens."),
    )
    image = ImageWithCaptionBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    accordion = AccordionBlock()
    document = DocumentBlock()
    contact_card = ContactCardBlock()
    upcoming_events = UpcomingEventsBlock()

    class Meta:
        label = _("Contenu")


class LinkBlock(blocks.StructBlock):
    """A menu entry: a page of the site, or an address (a view of the site that is not a page,
    such as the working groups, or a filtered agenda), with a label."""

    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.CharBlock(
        label=_("ou une adresse"),
        max_length=300,
        required=False,
        help_text=_(
            "Une adresse du site commençant par « / » (par exemple /groupes/) ou une adresse "
            "complète en https://. Laissez vide si vous choisissez une page."
        ),
    )
    label = blocks.CharBlock(
        label=_("intitulé"),
        max_length=60,
        required=False,
        help_text=_("Par défaut, le titre de la page ; obligatoire pour une adresse."),
    )

    class Meta:
        icon = "link"
        label = _("Lien")

    def clean(self, value):
        value = super().clean(value)
        url = (value.get("url") or "").strip()
        if bool(value.get("page")) == bool(url):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Choisissez soit une page du site, soit une adresse (une seule).")
                    )
                }
            )
        if url and not _is_menu_address(url):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Une adresse commence par « / » (une page du site) ou par https://.")
                    )
                }
            )
        if url and not (value.get("label") or "").strip():
            raise StructBlockValidationError(
                block_errors={"label": ValidationError(_("Donnez un intitulé à cette adresse."))}
            )
        return value


def _is_menu_address(url: str) -> bool:
    # A path of this site ("//host" would leave it) or a full web address; nothing else (no
    # javascript:, no mailto:) goes in a menu.
    if url.startswith("/"):
        return not url.startswith("//") and not any(c.isspace() for c in url)
    return url.startswith(("https://", "http://")) and not any(c.isspace() for c in url)


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.CharBlock(label=_("réseau"), max_length=40, help_text=_("Ex. : Facebook"))
    url = blocks.URLBlock(label=_("adresse"))

    class Meta:
        icon = "link-external"
        label = _("Réseau social")
