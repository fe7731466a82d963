"""The public website's page types. Each says where it may live (parent and child types)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey

from cms import logos
from cms.blocks import BodyBlock
from cms.models.forms import SubmissionFormMixin
from cms.models.serving import ChildRoutingMixin, OneQueryPrivacyMixin
from community.models import Organisation, Residence, Territory
from community.registries import retention
from events.queries import cards, upcoming_events

HOME_EVENTS = 3
TERRITORY_EVENTS = 5


INTRO_FEATURES = ["bold", "italic", "link"]


def images_with_renditions():
    """Images with their renditions, so a list of N pictures costs one query, not N."""
    return get_image_model().objects.prefetch_renditions()


class ImageFieldsMixin(models.Model):
    """A page's main image, with its alternative text required when an image is chosen."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image principale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Obligatoire quand une image est choisie : ce que l'image montre."),
    )

    image_panels = [
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image"))
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Une image sans texte alternatif ne peut pas être publiée.")}
            )


class HomePage(ChildRoutingMixin, OneQueryPrivacyMixin, Page):
    """The agency's front page: what it does, in one sentence, and where to go next."""

    tagline = models.CharField(
        _("ce que fait la structure, en une phrase"),
        max_length=255,
        blank=True,
        help_text=_("Affichée sous le titre, en haut de la page d'accueil."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)
    testimonials_heading = models.CharField(
        _("titre des témoignages"), max_length=150, default="Ils et elles en parlent"
    )
    partners_heading = models.CharField(
        _("titre des partenaires"), max_length=150, default="Nos partenaires et financeurs"
    )
    subscribe_heading = models.CharField(
        _("titre de l'appel à s'abonner"),
        max_length=150,
        default="Recevoir la lettre d'information",
    )
    subscribe_text = models.TextField(
        _("texte de l'appel à s'abonner"),
        blank=True,
        default="Chaque trimestre, les nouvelles de la médiation sociale dans votre quartier.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("tagline"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("testimonials_heading"),
                InlinePanel("testimonial_items", label=_("Témoignage")),
            ],
            heading=_("Témoignages"),
        ),
        MultiFieldPanel(
            [FieldPanel("partners_heading"), InlinePanel("partner_items", label=_("Partenaire"))],
            heading=_("Partenaires et financeurs"),
        ),
        MultiFieldPanel(
            [FieldPanel("subscribe_heading"), FieldPanel("subscribe_text")],
            heading=_("Lettre d'information"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("tagline"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["testimonials"] = [
            item.testimonial
            for item in self.testimonial_items.select_related("testimonial").order_by("sort_order")
        ]
        partners = list(
            self.partner_items.select_related("organisation__logo").order_by("sort_order")
        )
        # Renditions are read only for logos this process has not written yet (cms.logos).
        unwritten = [
            p.organisation.logo
            for p in partners
            if p.organisation.logo
            and not logos.is_written(p.organisation.logo, p.organisation.name)
        ]
        prefetch_related_objects(unwritten, "renditions")
        context["funders"] = [
            p.organisation for p in partners if p.organisation.kind == Organisation.Kind.FUNDER
        ]
        context["partners"] = [
            p.organisation for p in partners if p.organisation.kind != Organisation.Kind.FUNDER
        ]
        context["upcoming_events"] = list(cards(upcoming_events())[:HOME_EVENTS])
        from cms.models.mediation_day import banner_day  # noqa: PLC0415 -- circle: cms.models.mediation_day imports this module for its page base class

        context["mediation_day_banner"] = banner_day()
        return context


class HomeTestimonial(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="testimonial_items")
    testimonial = models.ForeignKey(
        "cms.Testimonial", verbose_name=_("témoignage"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("testimonial")]

    class Meta(Orderable.Meta):
        verbose_name = _("témoignage de la page d'accueil")


class HomePartner(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="partner_items")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Un partenaire ou un financeur ; son logo est celui de sa fiche."),
    )

    panels = [FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("partenaire de la page d'accueil")


class StandardPage(Page):
    """Any content: who we are, our values, legal notice…"""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage", "cms.FormPage"]

    class Meta:
        verbose_name = _("page de contenu")
        verbose_name_plural = _("pages de contenu")


class MissionIndexPage(Page):
    """The agency's missions, listed."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.MissionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("liste des missions")
        verbose_name_plural = _("listes des missions")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["missions"] = (
            MissionPage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related(Prefetch("image", queryset=images_with_renditions()))
            .order_by("path")
        )
        return context


class MissionPage(ImageFieldsMixin, Page):
    """One of the four missions: conflict management, putting people in touch, assistance,
    technical watch."""

    summary = models.TextField(_("résumé"), max_length=400, help_text=_("Une ou deux phrases."))
    residents_can_ask = RichTextField(
        _("ce que les habitants peuvent demander"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        *ImageFieldsMixin.image_panels,
        FieldPanel("residents_can_ask"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("residents_can_ask"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.MissionIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self):
        return self.title


class ServiceCatalogPage(Page):
    """The on-demand mediation offer for partners (landlords, cities, companies)."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ServicePage"]
    max_count = 1

    class Meta:
        verbose_name = _("catalogue de prestations")
        verbose_name_plural = _("catalogues de prestations")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = (
            ServicePage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related(Prefetch("image", queryset=images_with_renditions()))
            .order_by("path")
        )
        return context


class ServiceFormField(AbstractFormField):
    page = ParentalKey("ServicePage", on_delete=models.CASCADE, related_name="form_fields")


class ServicePage(ImageFieldsMixin, SubmissionFormMixin, AbstractEmailForm):
    """One service of the catalogue, with a request form for partners."""

    summary = models.TextField(_("résumé"), max_length=400, help_text=_("Une ou deux phrases."))
    audience = models.CharField(
        _("pour qui"),
        max_length=200,
        blank=True,
        help_text=_("Ex. : bailleurs, communes, entreprises"),
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        FormSubmissionsPanel(),
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audience"),
        *ImageFieldsMixin.image_panels,
        FieldPanel("body"),
        InlinePanel("form_fields", label=_("Champs du formulaire de demande")),
        FieldPanel("consent_text"),
        FieldPanel("thank_you_text"),
        *SubmissionFormMixin.email_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.ServiceCatalogPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("prestation")
        verbose_name_plural = _("prestations")

    def __str__(self):
        return self.title


class TerritoryIndexPage(Page):
    """Where the teams work: one page per territory."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.TerritoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("liste des territoires")
        verbose_name_plural = _("listes des territoires")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["territory_pages"] = (
            TerritoryPage.objects.child_of(self).live().public().select_related("territory")
        )
        return context


class TerritoryPage(Page):
    """A territory's team: contact, opening hours, the residences it covers."""

    territory = models.OneToOneField(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="page",
        help_text=_("Le téléphone et l'adresse électronique viennent de la fiche du territoire."),
    )
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    address = models.TextField(_("adresse de l'équipe"), blank=True)
    opening_hours = models.TextField(
        _("horaires"), blank=True, help_text=_("Une ligne par plage horaire.")
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("territory"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("opening_hours")], heading=_("Accueil")),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("address"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.TerritoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("page de territoire")
        verbose_name_plural = _("pages de territoire")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["residences"] = Residence.objects.filter(
            territory_id=self.territory_id
        ).select_related("landlord")
        context["territory_events"] = list(
            cards(upcoming_events(territory=self.territory_id))[:TERRITORY_EVENTS]
        )
        return context

    @property
    def opening_hours_lines(self):
        return [line for line in self.opening_hours.splitlines() if line.strip()]


class PrivacyPage(Page):
    """What personal data the agency holds, why, for how long, and how to exercise one's rights."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)
    contact_email = models.EmailField(_("contact pour exercer ses droits"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("contact_email"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("politique de données personnelles")
        verbose_name_plural = _("politiques de données personnelles")

    def get_context(self, request, *args, **kwargs):
        # The durations come from the same settings the retention job reads, so the page and
        # the behaviour cannot disagree.

        context = super().get_context(request, *args, **kwargs)
        context["retention_rules"] = list(retention)
        return context


class AccessibilityStatementPage(Page):
    """The RGAA accessibility statement: conformity status, contact and recourse."""

    class Status(models.TextChoices):
        FULL = "full", _("totalement conforme")
        PARTIAL = "partial", _("partiellement conforme")
        NONE = "none", _("non conforme")

    status = models.CharField(
        _("état de conformité"), max_length=10, choices=Status.choices, default=Status.PARTIAL
    )
    standard = models.CharField(_("référentiel"), max_length=60, default="RGAA version 4.1")
    audit_date = models.DateField(_("date de l'audit"), null=True, blank=True)
    compliance_rate = models.PositiveSmallIntegerField(
        _("taux de conformité (%)"), null=True, blank=True
    )
    body = StreamField(
        BodyBlock(),
        verbose_name=_("résultats, contenus non accessibles, technologies utilisées"),
        blank=True,
    )
    contact_email = models.EmailField(_("contact en cas de difficulté d'accès"))
    contact_address = models.TextField(_("adresse postale"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("standard"),
                FieldPanel("audit_date"),
                FieldPanel("compliance_rate"),
            ],
            heading=_("État de conformité"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_address")],
            heading=_("Retour d'information et contact"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("déclaration d'accessibilité")
        verbose_name_plural = _("déclarations d'accessibilité")

    def clean(self):
        super().clean()
        if self.compliance_rate is not None and self.compliance_rate > 100:
            raise ValidationError({"compliance_rate": _("Un taux ne dépasse pas 100 %.")})
