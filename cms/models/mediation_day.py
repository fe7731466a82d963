"""The annual mediation day on the public site: one page per year under an index (the coming
day first, then the archive), linked to its events.Programme. The page shows the timeline of
parallel tracks, speakers, partners, practical information, the partners' accepted stands and,
after the day, its report; it holds the one form that books several sessions and the form
partners ask for a stand with."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey

from cms.models.pages import INTRO_FEATURES, images_with_renditions
from community.models import Organisation
from events.programme import rules as programme_rules


class MediationDayIndexPage(Page):
    """Where every year's day lives: the coming day first, then the archive of past years."""

    introduction = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.MediationDayPage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des journées de la médiation")
        verbose_name_plural = _("index des journées de la médiation")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        days = list(
            MediationDayPage.objects.child_of(self)
            .live()
            .select_related("programme")
            .order_by("-programme__date")
        )
        today = timezone.localdate()
        coming = [day for day in days if day.programme.date >= today]
        context["coming_day"] = coming[-1] if coming else None
        context["past_days"] = [day for day in days if day.programme.date < today]
        return context


class TimelinePanel(Panel):
    """The page editor's view of the day's timeline, as the page will show it (its sessions
    are edited as events, from the mediation day's screen)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/admin/timeline_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            programme_id = getattr(self.instance, "programme_id", None)
            context["timeline"] = (
                programme_rules.timeline(self.instance.programme) if programme_id else None
            )
            context["programme_id"] = programme_id
            return context


class MediationDayPage(RoutablePageMixin, Page):
    """One year's mediation day."""

    programme = models.OneToOneField(
        "events.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="page",
        help_text=_("Le programme de l'année (créé dans « Journées de la médiation »)."),
    )
    introduction = RichTextField(_("introduction"), blank=True)
    practical_info = RichTextField(
        _("informations pratiques"),
        blank=True,
        help_text=_("Accès, transports, accessibilité, restauration…"),
    )
    map_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("plan d'accès"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    map_alt = models.CharField(
        _("texte alternatif du plan"),
        max_length=400,
        blank=True,
        help_text=_("Obligatoire avec un plan : décrivez le chemin, pour qui ne voit pas l'image."),
    )
    banner_from = models.DateField(
        _("bandeau sur la page d'accueil à partir du"),
        null=True,
        blank=True,
        help_text=_("Le bandeau annonçant la journée s'affiche de cette date au jour J."),
    )
    banner_text = models.CharField(
        _("texte du bandeau"),
        max_length=200,
        blank=True,
        help_text=_("Laissé vide : « Journée de la médiation sociale, le … »."),
    )
    stands_open = models.BooleanField(
        _("demandes de stand ouvertes"),
        default=True,
        help_text=_("Les partenaires peuvent demander un stand depuis la page."),
    )
    report_published = models.BooleanField(
        _("publier le bilan"),
        default=False,
        help_text=_("Cochez après la journée, puis publiez la page : le bilan s'y affiche."),
    )
    report_text = RichTextField(_("bilan de la journée"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("programme"),
        TimelinePanel(heading=_("Le programme tel que la page l'affiche")),
        FieldPanel("introduction"),
        InlinePanel("speakers", label=_("Intervenant")),
        InlinePanel("partner_items", label=_("Partenaire")),
        MultiFieldPanel(
            [FieldPanel("practical_info"), FieldPanel("map_image"), FieldPanel("map_alt")],
            heading=_("Informations pratiques"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("banner_from"), FieldPanel("banner_text")])],
            heading=_("Bandeau de la page d'accueil"),
        ),
        FieldPanel("stands_open"),
        MultiFieldPanel(
            [
                FieldPanel("report_published"),
                FieldPanel("report_text"),
                InlinePanel("photos", label=_("Photo")),
            ],
            heading=_("Bilan (après la journée)"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("report_text"),
    ]

    parent_page_types = ["cms.MediationDayIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("journée de la médiation")
        verbose_name_plural = _("journées de la médiation")

    def clean(self):
        super().clean()
        if self.map_image_id and not self.map_alt.strip():
            raise ValidationError(
                {"map_alt": _("Un plan sans texte alternatif ne peut pas être publié.")}
            )
        if self.banner_from and self.programme_id and self.banner_from > self.programme.date:
            raise ValidationError(
                {"banner_from": _("Le bandeau doit apparaître avant la journée, pas après.")}
            )

    @property
    def is_past(self) -> bool:
        return self.programme.date < timezone.localdate()

    # -- what the page shows ------------------------------------------------------------------
    def day_context(self) -> dict:
        """Everything the day's page shows, in a number of queries that does not grow with the
        number of sessions, speakers, partners, stands or photos."""
        from cms.mediation_day import stands  # noqa: PLC0415 -- circle: the stand rules import cms.models

        context = programme_rules.timeline(self.programme)
        context["speakers"] = list(self.speakers.select_related("organisation"))
        context["partners"] = [
            item.organisation
            for item in self.partner_items.select_related("organisation").prefetch_related(
                Prefetch("organisation__logo", queryset=images_with_renditions())
            )
        ]
        context["stands"] = stands.accepted_stands(self)
        if self.report_published:
            context["photos"] = list(
                self.photos.prefetch_related(Prefetch("image", queryset=images_with_renditions()))
            )
            context["attendance"] = programme_rules.attendance_by_session(self.programme_id)
            context["attendance_total"] = sum(row["present"] for row in context["attendance"])
        context["booking_url"] = self.url + self.reverse_subpage("book")
        context["stand_url"] = self.url + self.reverse_subpage("stand")
        return context

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.day_context())
        return context

    @path("")
    def day(self, request):
        return self.render(request)

    @path("programme/", name="book")
    def book(self, request):
        from cms.mediation_day.views import mediation_day_booking  # noqa: PLC0415 -- circle: the page's views import cms.models

        return mediation_day_booking(request, self)

    @path("programme/demande-recue/", name="booked")
    def booked(self, request):
        from cms.mediation_day.views import mediation_day_booked  # noqa: PLC0415 -- circle: the page's views import cms.models

        return mediation_day_booked(request, self)

    @path("stand/", name="stand")
    def stand(self, request):
        from cms.mediation_day.views import mediation_day_stand  # noqa: PLC0415 -- circle: the page's views import cms.models

        return mediation_day_stand(request, self)


class MediationDaySpeaker(Orderable):
    page = ParentalKey(MediationDayPage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("intervenant")
        verbose_name_plural = _("intervenants")


class MediationDayPartner(Orderable):
    page = ParentalKey(MediationDayPage, on_delete=models.CASCADE, related_name="partner_items")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("partenaire de la journée")
        verbose_name_plural = _("partenaires de la journée")


class MediationDayPhoto(Orderable):
    page = ParentalKey(MediationDayPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    alt = models.CharField(
        _("texte alternatif"), max_length=250, help_text=_("Ce que la photo montre.")
    )
    caption = models.CharField(_("légende"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo du bilan")
        verbose_name_plural = _("photos du bilan")


class StandRequest(models.Model):
    """A partner organisation asks for a stand at a year's day; staff accept, refuse or put it
    on the waiting list, and the contact is emailed at each decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À examiner")
        ACCEPTED = "accepted", _("Accepté")
        REFUSED = "refused", _("Refusé")
        WAITLISTED = "waitlisted", _("Liste d'attente")

    page = models.ForeignKey(
        MediationDayPage,
        verbose_name=_("journée"),
        on_delete=models.CASCADE,
        related_name="stand_requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stand_requests",
    )
    organisation_name = models.CharField(
        _("nom de l'organisation"), max_length=200, help_text=_("Tel qu'affiché sur la page.")
    )
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    contact_email = models.EmailField(_("courriel du contact"), blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    needs_table = models.BooleanField(_("besoin d'une table"), default=False)
    needs_power = models.BooleanField(_("besoin d'électricité"), default=False)
    description = models.TextField(_("ce que présente le stand"), blank=True, max_length=1000)
    consent_text = models.TextField(_("texte du consentement affiché"))
    status = models.CharField(
        _("décision"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "community.User",
        verbose_name=_("décidé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notified_status = models.CharField(
        max_length=12,
        blank=True,
        editable=False,
        help_text="The decision the contact was last emailed about: the task sends each once.",
    )
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("demande de stand")
        verbose_name_plural = _("demandes de stand")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["page", "status"], name="standrequest_page_status")]

    def __str__(self):
        return f"{self.organisation_name} ({self.page.title})"

    def needs_label(self) -> str:
        needs = []
        if self.needs_table:
            needs.append(str(_("table")))
        if self.needs_power:
            needs.append(str(_("électricité")))
        return ", ".join(needs) or "—"

    needs_label.short_description = _("besoins")


def banner_day(today=None) -> MediationDayPage | None:
    """The day the home page announces: live, its banner date reached, the day not yet past."""
    today = today or timezone.localdate()
    return (
        MediationDayPage.objects.live()
        .filter(banner_from__lte=today, programme__date__gte=today)
        .select_related("programme")
        .order_by("programme__date")
        .first()
    )
