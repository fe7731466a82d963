"""The service plan as a tree: a plan (its period) holds stakes (enjeux), each stake axes, each
axis operational objectives and result indicators. An indicator is either computed (a key of
community.registries.indicators) or a figure staff type per year and territory with its source;
each has targets per year (and territory). Corrective actions are recorded per objective.

The rules that read this tree (values, percentages, statuses) are in community.plan.rules."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from community.models.core import Territory
from community.registries import indicators


class ServicePlan(models.Model):
    title = models.CharField(_("intitulé"), max_length=200, unique=True)
    start_year = models.PositiveSmallIntegerField(_("première année"))
    end_year = models.PositiveSmallIntegerField(_("dernière année"))

    class Meta:
        verbose_name = _("projet de service")
        verbose_name_plural = _("projets de service")
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="service_plan_years_in_order"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.start_year}-{self.end_year})"

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError(
                {"end_year": _("La dernière année ne peut pas précéder la première.")}
            )


class Stake(models.Model):
    """An "enjeu" of the plan, under one of its parts."""

    plan = models.ForeignKey(
        ServicePlan,
        verbose_name=_("projet de service"),
        on_delete=models.CASCADE,
        related_name="stakes",
    )
    part = models.CharField(
        _("partie"),
        max_length=300,
        blank=True,
        help_text=_("Ex. : « Partie 1. La reconnaissance… »"),
    )
    number = models.PositiveSmallIntegerField(_("numéro"), default=1)
    title = models.CharField(_("intitulé"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("enjeu")
        verbose_name_plural = _("enjeux")
        ordering = ["plan", "sort_order", "pk"]

    def __str__(self):
        return _("Enjeu %(number)s. %(title)s") % {"number": self.number, "title": self.title}


class Axis(models.Model):
    stake = models.ForeignKey(
        Stake, verbose_name=_("enjeu"), on_delete=models.CASCADE, related_name="axes"
    )
    number = models.PositiveSmallIntegerField(_("numéro"), default=1)
    title = models.CharField(_("intitulé"), max_length=300)
    why = models.TextField(_("pourquoi ?"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        ordering = ["stake__plan", "stake__sort_order", "stake", "sort_order", "pk"]

    def __str__(self):
        return _("Axe %(number)s. %(title)s") % {"number": self.number, "title": self.title}


class Objective(ClusterableModel):
    """An operational objective of an axis."""

    axis = models.ForeignKey(
        Axis, verbose_name=_("axe"), on_delete=models.CASCADE, related_name="objectives"
    )
    text = models.CharField(_("objectif opérationnel"), max_length=400)
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("objectif opérationnel")
        verbose_name_plural = _("objectifs opérationnels")
        ordering = [
            "axis__stake__plan",
            "axis__stake__sort_order",
            "axis__sort_order",
            "axis",
            "sort_order",
            "pk",
        ]

    def __str__(self):
        return self.text


class CorrectiveAction(models.Model):
    """What was decided to put an objective back on course: what, when, who, with what outcome."""

    objective = ParentalKey(
        Objective,
        verbose_name=_("objectif"),
        on_delete=models.CASCADE,
        related_name="corrective_actions",
    )
    what = models.TextField(_("action corrective"), max_length=2000)
    decided_on = models.DateField(_("décidée le"))
    who = models.CharField(_("portée par"), max_length=200)
    outcome = models.TextField(_("résultat"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("action corrective")
        verbose_name_plural = _("actions correctives")
        ordering = ["decided_on", "pk"]

    def __str__(self):
        return f"{self.decided_on:%d/%m/%Y} · {self.what[:60]}"


class PlanIndicator(ClusterableModel):
    """A result indicator of an axis (the seed lists them per axis), optionally tied to the
    objective it measures, whose status it then feeds."""

    class Kind(models.TextChoices):
        COUNT = "count", _("nombre (les territoires s'additionnent)")
        RATE = "rate", _("taux ou moyenne (moyenne des territoires)")

    axis = models.ForeignKey(
        Axis, verbose_name=_("axe"), on_delete=models.CASCADE, related_name="indicators"
    )
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objectif mesuré"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=_("L'objectif opérationnel de l'axe dont cet indicateur dit l'avancement."),
    )
    label = models.CharField(_("indicateur de résultat"), max_length=300)
    computed_key = models.CharField(
        _("calculé par la plateforme"),
        max_length=100,
        blank=True,
        help_text=_("Vide : le chiffre est saisi chaque année, avec sa source."),
    )
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices, default=Kind.COUNT)
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("indicateur du projet de service")
        verbose_name_plural = _("indicateurs du projet de service")
        ordering = [
            "axis__stake__plan",
            "axis__stake__sort_order",
            "axis__sort_order",
            "axis",
            "sort_order",
            "pk",
        ]

    def __str__(self):
        return self.label

    def clean(self):
        errors = {}
        if self.computed_key and self.computed_key not in indicators.items:
            errors["computed_key"] = _("Cet indicateur calculé n'existe pas.")
        if self.objective_id and self.axis_id and self.objective.axis_id != self.axis_id:
            errors["objective"] = _("Cet objectif n'appartient pas à l'axe de l'indicateur.")
        if errors:
            raise ValidationError(errors)


def _one_per_year_and_place(prefix: str, message) -> list:
    """One row per indicator, year and territory, and one agency-wide row (no territory)."""
    return [
        models.UniqueConstraint(
            fields=["indicator", "year", "territory"],
            condition=Q(territory__isnull=False),
            name=f"{prefix}_unique_territory",
            violation_error_message=message,
        ),
        models.UniqueConstraint(
            fields=["indicator", "year"],
            condition=Q(territory__isnull=True),
            name=f"{prefix}_unique_agency",
            violation_error_message=message,
        ),
    ]


class IndicatorTarget(models.Model):
    indicator = ParentalKey(
        PlanIndicator,
        verbose_name=_("indicateur"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    year = models.PositiveSmallIntegerField(_("année"))
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vide : la cible de toute l'agence."),
    )
    value = models.DecimalField(_("cible"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("cible")
        verbose_name_plural = _("cibles")
        ordering = ["year", "territory__sort_order", "pk"]
        constraints = [
            *_one_per_year_and_place(
                "indicator_target",
                _("Cet indicateur a déjà une cible pour cette année et ce territoire."),
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_target_positive"),
        ]

    def __str__(self):
        return f"{self.year} · {self.value}"


class IndicatorFigure(models.Model):
    """A figure the platform cannot compute, typed for a year and a territory (or for the whole
    agency), with where it comes from."""

    indicator = models.ForeignKey(
        PlanIndicator,
        verbose_name=_("indicateur"),
        on_delete=models.CASCADE,
        related_name="figures",
    )
    year = models.PositiveSmallIntegerField(_("année"))
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_figures",
        help_text=_("Vide : le chiffre de toute l'agence."),
    )
    value = models.DecimalField(_("valeur"), max_digits=12, decimal_places=2)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("D'où vient ce chiffre (enquête, tableau de suivi…)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    territory_field = "territory"

    class Meta:
        verbose_name = _("chiffre saisi")
        verbose_name_plural = _("chiffres saisis")
        ordering = ["-year", "indicator", "territory__sort_order", "pk"]
        constraints = [
            *_one_per_year_and_place(
                "indicator_figure",
                _("Un chiffre est déjà saisi pour cet indicateur, cette année et ce territoire."),
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_figure_positive"),
        ]

    def __str__(self):
        where = self.territory.name if self.territory_id else _("toute l'agence")
        return f"{self.indicator} · {self.year} · {where}"
