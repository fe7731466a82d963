"""Residents' voices, resident-led working groups and the requests to join them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from community.models.core import AgeBand, Person, Residence, Territory
from community.models.people import ConsentMethod, ReferenceTenant


class VoiceTheme(models.Model):
    """A theme residents' words are sorted under (a list editors manage)."""

    name = models.CharField(_("intitulé"), max_length=150, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("thème de parole d'habitant")
        verbose_name_plural = _("thèmes de paroles d'habitants")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Voice(models.Model):
    """What a resident says or wants: entered by the resident on the public form, or by a
    mediator after a door-to-door round; triaged by the mediators of its territory.

    When a voice becomes an action, the working group (here) or the event (events side) that
    answers it points to it."""

    class Source(models.TextChoices):
        PUBLIC_FORM = "form", _("Formulaire public")
        DOOR_TO_DOOR = "door", _("Porte-à-porte")
        MEETING = "meeting", _("Réunion ou permanence")
        PHONE = "phone", _("Téléphone")

    class Status(models.TextChoices):
        NEW = "new", _("Nouvelle")
        IN_PROGRESS = "in_progress", _("En cours")
        ACTION = "action", _("Transformée en action")
        CLOSED = "closed", _("Close")

    text = models.TextField(_("ce que la personne dit ou souhaite"), max_length=4000)
    theme = models.ForeignKey(
        VoiceTheme,
        verbose_name=_("thème"),
        on_delete=models.PROTECT,
        related_name="voices",
        null=True,
        blank=True,
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="voices"
    )
    residence = models.ForeignKey(
        Residence,
        verbose_name=_("résidence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voices",
    )
    age_band = models.CharField(
        _("tranche d'âge"), max_length=5, choices=AgeBand.choices, blank=True
    )
    source = models.CharField(
        _("recueillie"), max_length=10, choices=Source.choices, default=Source.DOOR_TO_DOOR
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("personne"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voices",
        help_text=_("Seulement si la personne a accepté d'être recontactée."),
    )
    contact_name = models.CharField(_("nom donné"), max_length=150, blank=True)
    contact_email = models.EmailField(_("adresse électronique donnée"), blank=True)
    contact_phone = models.CharField(_("téléphone donné"), max_length=20, blank=True)
    contact_consent = models.BooleanField(_("accepte d'être recontactée"), default=False)
    contact_consent_method = models.CharField(
        _("consentement donné"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    notified_at = models.DateTimeField(
        _("équipe prévenue le"), null=True, blank=True, editable=False
    )

    territory_field = "territory"

    class Meta:
        verbose_name = _("parole d'habitant")
        verbose_name_plural = _("paroles d'habitants")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_consent=True)
                | (
                    models.Q(person__isnull=True)
                    & models.Q(contact_name="")
                    & models.Q(contact_email="")
                    & models.Q(contact_phone="")
                ),
                name="voice_contact_needs_consent",
            ),
        ]
        indexes = [models.Index(fields=["territory", "status"], name="voice_territory_status")]

    def __str__(self):
        text = " ".join(self.text.split())
        return text if len(text) <= 60 else f"{text[:59]}…"

    def clean(self):
        has_contact = (
            self.person_id or self.contact_name or self.contact_email or self.contact_phone
        )
        if has_contact and not self.contact_consent:
            raise ValidationError(
                _(
                    "Sans l'accord de la personne pour être recontactée, ne gardez ni son nom "
                    "ni ses coordonnées."
                )
            )
        if (
            self.residence_id
            and self.territory_id
            and self.residence.territory_id != self.territory_id
        ):
            raise ValidationError(
                {"residence": _("Cette résidence n'est pas sur le territoire choisi.")}
            )


class WorkingGroup(ClusterableModel):
    """A thematic working group led by residents, in a residence or across a territory. Its
    meetings are events of kind "working-group meeting" (the foreign key is on the events side)."""

    class Status(models.TextChoices):
        FORMING = "forming", _("En constitution")
        ACTIVE = "active", _("Actif")
        FINISHED = "finished", _("Terminé")

    theme = models.CharField(_("thème"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, blank=True)
    description = models.TextField(
        _("présentation publique"),
        blank=True,
        help_text=_("Affichée sur la page publique du groupe : rien de personnel."),
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    residence = models.ForeignKey(
        Residence,
        verbose_name=_("résidence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
        help_text=_("Laissez vide pour un groupe ouvert à tout le territoire."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.FORMING
    )
    facilitators = models.ManyToManyField(
        ReferenceTenant,
        verbose_name=_("animateurs (locataires référents)"),
        blank=True,
        related_name="facilitated_groups",
    )
    members = models.ManyToManyField(
        Person, verbose_name=_("membres"), blank=True, related_name="working_groups"
    )
    answers_voices = models.ManyToManyField(
        Voice,
        verbose_name=_("paroles d'habitants auxquelles il répond"),
        blank=True,
        related_name="working_groups",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    # When the group's public page last changed, for the sitemap's lastmod.
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    territory_field = "territory"

    class Meta:
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")
        ordering = ["theme", "pk"]

    def __str__(self):
        return self.theme

    def clean(self):
        if (
            self.residence_id
            and self.territory_id
            and self.residence.territory_id != self.territory_id
        ):
            raise ValidationError(
                {"residence": _("Cette résidence n'est pas sur le territoire choisi.")}
            )

    def save(self, *args, **kwargs):
        self.slug = slugify(self.theme)[:200] or "groupe"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("community:working_group", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_open(self):
        return self.status != self.Status.FINISHED


class WorkingGroupOutcome(models.Model):
    """Something the group achieved or decided, recorded over time."""

    working_group = ParentalKey(WorkingGroup, on_delete=models.CASCADE, related_name="outcomes")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("résultat"), max_length=2000)

    class Meta:
        verbose_name = _("résultat")
        verbose_name_plural = _("résultats")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y}"


class JoinRequest(models.Model):
    """A resident's "I want to join" on a working group's public page."""

    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("groupe de travail"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    consent = models.BooleanField(_("accepte d'être recontactée"), default=False)
    handled = models.BooleanField(_("traitée"), default=False)
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now, editable=False)
    notified_at = models.DateTimeField(
        _("équipe prévenue le"), null=True, blank=True, editable=False
    )

    territory_field = "working_group__territory"

    class Meta:
        verbose_name = _("demande pour rejoindre un groupe")
        verbose_name_plural = _("demandes pour rejoindre un groupe")
        ordering = ["handled", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(consent=True), name="join_request_consent"),
            models.CheckConstraint(
                condition=~models.Q(email="") | ~models.Q(phone=""),
                name="join_request_has_contact",
            ),
        ]

    def __str__(self):
        return f"{self.name} → {self.working_group}"
