"""The mediators' field log: interventions by kind (the evaluation annex's categories), counted,
never named; and the managers' comments of the yearly report."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models.core import Organisation, Residence, Territory


class Mission(models.TextChoices):
    """The four missions of the service plan, the sections of the yearly report."""

    CONFLICT = "conflict", _("Gestion de conflits")
    PARTNERSHIP = "partnership", _("Développement partenarial")
    ASSISTANCE = "assistance", _("Assistance")
    TECHNICAL_WATCH = "technical_watch", _("Veille technique intelligente")


class InterventionKind(models.Model):
    """A kind of intervention (gestion de conflits, rappel à la règle, mise en relation…).
    Managers edit the list; a kind may detail another ("dont" in the annex: a round table is
    a conflict-management intervention), and the parent's figure includes its details."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("intitulé"), max_length=150)
    mission = models.CharField(_("mission"), max_length=20, choices=Mission.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("détaille"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="details",
        help_text=_("Par exemple « Table ronde » détaille « Gestion de conflits »."),
    )
    active = models.BooleanField(
        _("proposé dans le formulaire"),
        default=True,
        help_text=_("Décochez pour ne plus le proposer ; les interventions passées restent."),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("type d'intervention")
        verbose_name_plural = _("types d'intervention")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Un détail ne peut pas lui-même être détaillé.")})
        if self.parent_id and self.parent.mission != self.mission:
            raise ValidationError({"mission": _("Un détail a la mission du type qu'il détaille.")})


class Intervention(models.Model):
    """One intervention a mediator logged: what, when, where, for how many. No names."""

    kind = models.ForeignKey(
        InterventionKind,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    residence = models.ForeignKey(
        Residence,
        verbose_name=_("résidence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
    )
    people = models.PositiveIntegerField(_("nombre de personnes"), default=1)
    people_0_14 = models.PositiveIntegerField(_("dont 0 à 14 ans"), null=True, blank=True)
    people_15_24 = models.PositiveIntegerField(_("dont 15 à 24 ans"), null=True, blank=True)
    people_25_59 = models.PositiveIntegerField(_("dont 25 à 59 ans"), null=True, blank=True)
    people_60_plus = models.PositiveIntegerField(_("dont 60 ans et plus"), null=True, blank=True)
    women = models.PositiveIntegerField(_("dont femmes"), null=True, blank=True)
    men = models.PositiveIntegerField(_("dont hommes"), null=True, blank=True)
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation partenaire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
        help_text=_("Pour une mise en relation : vers qui."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
    )
    created_at = models.DateTimeField(_("saisie le"), default=timezone.now, editable=False)
    client_key = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Generated with the phone form: a double tap or a retried POST logs once.",
    )

    territory_field = "territory"
    AGE_FIELDS = ("people_0_14", "people_15_24", "people_25_59", "people_60_plus")

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-date", "-created_at", "-pk"]
        permissions = [("view_indicators", _("Voir les indicateurs et les exports"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(people_0_14__isnull=True)
                | Q(people_15_24__isnull=True)
                | Q(people_25_59__isnull=True)
                | Q(people_60_plus__isnull=True)
                | Q(
                    people__gte=models.F("people_0_14")
                    + models.F("people_15_24")
                    + models.F("people_25_59")
                    + models.F("people_60_plus")
                ),
                name="intervention_age_split_within_people",
            ),
            models.CheckConstraint(
                condition=Q(women__isnull=True)
                | Q(men__isnull=True)
                | Q(people__gte=models.F("women") + models.F("men")),
                name="intervention_sex_split_within_people",
            ),
        ]
        indexes = [
            models.Index(fields=["territory", "date"], name="intervention_territory_date"),
            models.Index(fields=["date", "kind"], name="intervention_date_kind"),
            models.Index(fields=["author", "created_at"], name="intervention_author_created"),
        ]

    def __str__(self):
        return f"{self.kind} · {self.date:%d/%m/%Y} · {self.territory}"


class ReportComment(models.Model):
    """What a manager writes under a section of the yearly report (for one territory, or for
    the whole agency when territory is empty)."""

    year = models.PositiveSmallIntegerField(_("année"))
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_comments",
    )
    section = models.CharField(_("section"), max_length=40)
    text = models.TextField(_("commentaire"), max_length=4000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rédigé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("commentaire du rapport annuel")
        verbose_name_plural = _("commentaires du rapport annuel")
        ordering = ["year", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "territory", "section"],
                condition=Q(territory__isnull=False),
                name="report_comment_unique_territory",
            ),
            models.UniqueConstraint(
                fields=["year", "section"],
                condition=Q(territory__isnull=True),
                name="report_comment_unique_agency",
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.section}"
