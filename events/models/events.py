"""Events: what happens where, published from the admin, found by residents."""

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
)
from wagtail.search import index

from community import permissions


class EventKind(models.TextChoices):
    CAFE_MEDIATION = "cafe_mediation", _("Café médiation")
    INTERGENERATIONAL = "intergenerational", _("Atelier intergénérationnel")
    CITIZENSHIP = "citizenship", _("Atelier citoyenneté")
    AWARENESS = "awareness", _("Action de sensibilisation")
    WORKING_GROUP = "working_group", _("Réunion de groupe de travail")
    MEDIATION_DAY = "mediation_day", _("Journée de la médiation sociale")
    STAND = "stand", _("Stand ou forum")
    MEDIATION_DAY_SESSION = "mediation_day_session", _("Séance de la journée de la médiation")
    OTHER = "other", _("Autre")


# The kinds that answer residents' voices (ideas and needs): the actions made with residents,
# not the mediation day's programme nor its sessions.
VOICE_KINDS = " ".join(
    [
        EventKind.CAFE_MEDIATION,
        EventKind.INTERGENERATIONAL,
        EventKind.CITIZENSHIP,
        EventKind.AWARENESS,
        EventKind.WORKING_GROUP,
        EventKind.STAND,
        EventKind.OTHER,
    ]
)


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Tout public")
    UNDER_25 = "under_25", _("Moins de 25 ans")
    FAMILIES = "families", _("Familles")
    SENIORS = "seniors", _("Seniors")
    INTERGENERATIONAL = "intergenerational", _("Intergénérationnel")


class AccessFeature(models.TextChoices):
    STEP_FREE = "step_free", _("Accès de plain-pied ou ascenseur")
    HEARING_LOOP = "hearing_loop", _("Boucle magnétique")
    ACCESSIBLE_TOILETS = "accessible_toilets", _("Toilettes accessibles")
    SIGN_LANGUAGE = "sign_language", _("Interprète en langue des signes")
    CHILDCARE = "childcare", _("Accueil des enfants")


# The languages an editor may translate an event's title and summary into (fields title_<code>).
TRANSLATED_LANGUAGES = ("en", "ar")

_KIND_LABELS = dict(EventKind.choices)
_AUDIENCE_LABELS = dict(Audience.choices)


class EventQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: live events, cancelled ones included (marked cancelled)."""
        return self.filter(live=True)

    def for_listing(self):
        return self.select_related("territory", "residence", "image")


class EventAdminForm(WagtailAdminModelForm):
    """The admin form offers only the territories (and their residences) the editor may see."""

    access_features = forms.MultipleChoiceField(
        label=_("accessibilité"),
        choices=AccessFeature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les aménagements disponibles sur place."),
    )

    class Media:
        js = ["js/event_form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if user is not None and "territory" in self.fields:
            visible = permissions.visible_territories(user)
            self.fields["territory"].queryset = visible
            # A mediator of one territory finds it chosen.
            only = list(visible.values_list("pk", flat=True)[:2])
            if self.instance.pk is None and len(only) == 1:
                self.fields["territory"].initial = only[0]
            if "residence" in self.fields:
                self.fields["residence"].queryset = permissions.restrict_to_visible(
                    self.fields["residence"].queryset, user
                )
            # Working groups, residents' voices and projects of other territories are not offered.
            for name in ("working_group", "answered_voices", "project"):
                if name in self.fields:
                    self.fields[name].queryset = permissions.restrict_records(
                        self.fields[name].queryset, user
                    )
        if "organisers" in self.fields:
            self.fields["organisers"].queryset = permissions.staff_users().filter(is_active=True)
        self._name_rich_text_editors()

    def _name_rich_text_editors(self) -> None:
        """The rich-text editor (Draftail) is a text box of its own, which the field's label
        (made for the hidden input it fills) does not name: point it at that label."""
        for name, form_field in self.fields.items():
            widget = form_field.widget
            if isinstance(getattr(widget, "options", None), dict):
                # A new dict: the widget's options may be shared with other copies of the form.
                label_id = f"{self[name].id_for_label}-label"
                widget.options = {**widget.options, "ariaLabelledBy": label_id}


class Event(
    DraftStateMixin, RevisionMixin, LockableMixin, PreviewableMixin, index.Indexed, models.Model
):
    """One event residents may come to. Published, scheduled and revised through Wagtail;
    cancellation is a separate fact (when and why), so a cancelled event stays visible."""

    kind = models.CharField(_("type"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(
        _("résumé"),
        max_length=300,
        blank=True,
        help_text=_("Une ou deux phrases, affichées dans l'agenda."),
    )
    # The title and summary in the site's other languages, where the editor writes them; the
    # /en/ and /ar/ pages show the French text (marked lang="fr") where they are empty.
    title_en = models.CharField(_("titre en anglais"), max_length=200, blank=True)
    summary_en = models.CharField(_("résumé en anglais"), max_length=300, blank=True)
    title_ar = models.CharField(_("titre en arabe"), max_length=200, blank=True)
    summary_ar = models.CharField(_("résumé en arabe"), max_length=300, blank=True)
    description = RichTextField(_("description"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory = models.ForeignKey(
        "community.Territory",
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    territory_field = "territory"  # for community.permissions.restrict_records
    residence = models.ForeignKey(
        "community.Residence",
        verbose_name=_("résidence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    venue_name = models.CharField(_("lieu"), max_length=200)
    venue_address = models.CharField(_("adresse du lieu"), max_length=300, blank=True)
    access_features = models.JSONField(
        _("accessibilité"),
        default=list,
        blank=True,
        help_text=_("Les aménagements disponibles sur place."),
    )
    access_notes = models.TextField(
        _("informations d'accès"),
        blank=True,
        help_text=_("Transports, étage, interphone, stationnement…"),
    )
    audience = models.CharField(
        _("public"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    start = models.DateTimeField(_("début"), help_text=_("Heure de Paris."))
    end = models.DateTimeField(_("fin"), help_text=_("Heure de Paris."))
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisateurs"),
        related_name="organised_events",
        blank=True,
    )
    partners = models.ManyToManyField(
        "community.Organisation",
        verbose_name=_("partenaires"),
        related_name="events",
        blank=True,
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        help_text=_("Laisser vide si l'entrée est libre, sans limite de places."),
    )
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True, editable=False)
    cancellation_reason = models.TextField(_("motif d'annulation"), blank=True, editable=False)
    working_group = models.ForeignKey(
        "community.WorkingGroup",
        verbose_name=_("groupe de travail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("Pour une réunion de groupe de travail : le groupe qui se réunit."),
    )
    project = models.ForeignKey(
        "community.Project",
        verbose_name=_("projet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Si cet événement est une action d'un projet : le projet."),
    )
    answered_voices = models.ManyToManyField(
        "community.Voice",
        verbose_name=_("paroles d'habitants auxquelles il répond"),
        related_name="answering_events",
        blank=True,
        help_text=_("Les demandes ou idées d'habitants que cet événement met en œuvre."),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("rappel (heures avant)"),
        default=48,
        validators=[MaxValueValidator(168)],
        help_text=_(
            "Combien d'heures avant le début les inscrits reçoivent un rappel (7 jours au plus)."
        ),
    )
    announced_key = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        help_text="Fingerprint of the date, time and place registrants were last told of.",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    track = models.ForeignKey(
        "events.Track",
        verbose_name=_("parcours de la journée de la médiation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        help_text=_("Pour une séance de la journée de la médiation : son parcours."),
    )

    # The key of the admin form that created the event: Wagtail's autosave and the "Publier"
    # click may both post that form to the add address; the second post finds the event by
    # its key and edits it instead of creating another (events.wagtail_hooks).
    creation_key = models.CharField(
        max_length=32, unique=True, null=True, blank=True, editable=False
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="event")

    objects = EventQuerySet.as_manager()
    base_form_class = EventAdminForm

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("kind"),
                FieldPanel("audience"),
                FieldPanel("summary"),
            ],
            heading=_("L'événement"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("title_en"),
                FieldPanel("summary_en"),
                FieldPanel("title_ar", attrs={"dir": "rtl", "lang": "ar"}),
                FieldPanel("summary_ar", attrs={"dir": "rtl", "lang": "ar"}),
            ],
            heading=_("Titre et résumé traduits (facultatif)"),
            help_text=_(
                "Affichés sur les pages en anglais et en arabe ; laissés vides, le texte "
                "français y est affiché."
            ),
            classname="collapsed",
        ),
        FieldPanel("description"),
        FieldPanel("image"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")])], heading=_("Dates")
        ),
        MultiFieldPanel(
            [
                # A plain list (not a chooser in a modal): an editor sees one to four territories.
                FieldPanel("territory", widget=forms.Select),
                FieldPanel("residence"),
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldPanel("access_features"),
                FieldPanel("access_notes"),
            ],
            heading=_("Lieu et accessibilité"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("organisers"),
                FieldPanel("partners"),
                # Shown for the kinds they apply to (static/js/event_form.js); without
                # JavaScript every field stays visible.
                FieldPanel("working_group", attrs={"data-event-kinds": "working_group"}),
                FieldPanel("project", widget=forms.Select),
                FieldPanel(
                    "answered_voices",
                    widget=forms.CheckboxSelectMultiple,
                    attrs={"data-event-kinds": VOICE_KINDS},
                ),
                FieldPanel("track", attrs={"data-event-kinds": "mediation_day_session"}),
            ],
            heading=_("Qui organise"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("reminder_hours"),
                FieldRowPanel(
                    [FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]
                ),
            ],
            heading=_("Places et inscriptions"),
        ),
        PublishingPanel(),
    ]

    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.SearchField("venue_name"),
        index.FilterField("territory"),
        index.FilterField("kind"),
        index.FilterField("start"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="event_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["live", "start"], name="event_live_start"),
            models.Index(fields=["territory", "start"], name="event_territory_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk, "slug": self.slug})

    # -- rules on the admin form -------------------------------------------------------------
    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("La fin de l'événement ne peut pas précéder son début.")
        if self.capacity is not None and self.capacity <= 0:
            errors["capacity"] = _(
                "Le nombre de places doit être supérieur à zéro, ou laissé vide pour une entrée libre."
            )
        if self.registration_closes_at and self.end and self.registration_closes_at > self.end:
            errors["registration_closes_at"] = _(
                "Les inscriptions ne peuvent pas se clôturer après la fin de l'événement."
            )
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at < self.registration_opens_at
        ):
            errors["registration_closes_at"] = _(
                "La clôture des inscriptions ne peut pas précéder leur ouverture."
            )
        if (
            self.residence_id
            and self.territory_id
            and self.residence.territory_id != self.territory_id
        ):
            errors["residence"] = _("Cette résidence n'est pas sur le territoire choisi.")
        unknown = set(self.access_features or []) - set(AccessFeature.values)
        if unknown:
            errors["access_features"] = _("Aménagement inconnu : %(values)s.") % {
                "values": ", ".join(sorted(unknown))
            }
        errors.update(self._programme_errors())
        if errors:
            raise ValidationError(errors)

    def _programme_errors(self) -> dict:
        """A mediation-day session sits in a track, on its programme's date."""
        if self.kind == EventKind.MEDIATION_DAY_SESSION and not self.track_id:
            return {"track": _("Choisissez le parcours de cette séance de la journée.")}
        if self.track_id and self.kind != EventKind.MEDIATION_DAY_SESSION:
            return {"track": _("Seule une séance de la journée de la médiation a un parcours.")}
        if self.track_id and self.start:
            day = self.track.programme.date
            if timezone.localtime(self.start).date() != day:
                return {
                    "start": _("Une séance de la journée doit avoir lieu le %(date)s.")
                    % {"date": day.strftime("%d/%m/%Y")}
                }
        return {}

    # -- revisions: cancellation is not part of a revision ---------------------------------
    def with_content_json(self, content):
        obj = super().with_content_json(content)
        # Publishing an older draft must never undo (or invent) a cancellation.
        obj.cancelled_at = self.cancelled_at
        obj.cancellation_reason = self.cancellation_reason
        return obj

    # -- for people ---------------------------------------------------------------------------
    @property
    def slug(self) -> str:
        return slugify(self.title)[:80] or "evenement"

    # The title and summary in the page's language, and that text's language (for its lang
    # attribute): the editor's translation when there is one, the French text otherwise.
    def _in_language(self, name: str) -> tuple[str, str]:
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language in TRANSLATED_LANGUAGES:
            translated = getattr(self, f"{name}_{language}", "")
            if translated:
                return translated, language
        return getattr(self, name), settings.LANGUAGE_CODE

    @property
    def shown_title(self) -> str:
        return self._in_language("title")[0]

    @property
    def title_lang(self) -> str:
        return self._in_language("title")[1]

    @property
    def shown_summary(self) -> str:
        return self._in_language("summary")[0]

    @property
    def summary_lang(self) -> str:
        return self._in_language("summary")[1]

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    # Labels for lists: a dict lookup, where get_kind_display() hashes every translated choice
    # (a gettext call per choice) on each call.
    @property
    def kind_label(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)

    @property
    def audience_label(self) -> str:
        return _AUDIENCE_LABELS.get(self.audience, self.audience)

    def get_ics_url(self) -> str:
        return reverse("events:ics", kwargs={"pk": self.pk})

    def access_feature_labels(self) -> list[str]:
        labels = dict(AccessFeature.choices)
        return [labels[value] for value in self.access_features or [] if value in labels]

    @property
    def state_label(self) -> str:
        if self.is_cancelled:
            return str(_("Annulé"))
        if self.live:
            return str(_("Publié"))
        if self.go_live_at is not None:
            return str(_("Programmé"))
        return str(_("Brouillon"))

    def get_preview_template(self, request, mode_name):
        return "events/event.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["event"] = self
        context["preview"] = True
        return context
