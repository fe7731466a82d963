"""Projects the mediation takes part in (territory, residence, citizen-mediation and
renovation projects, diagnoses in new fields) and the tenant committees the agency supports."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from community.models.core import Organisation, residence_key, territory_key
from community.models.groups import WorkingGroup


class Project(models.Model):
    class Kind(models.TextChoices):
        TERRITORY = "territory", _("Projet de territoire impliquant la médiation")
        RESIDENCE = "residence", _("Projet de résidence")
        CITIZEN = "citizen", _("Projet de médiation citoyenne")
        RENOVATION = "renovation", _("Projet de réhabilitation")
        NEW_FIELD = "new_field", _("Diagnostic dans un nouveau champ")

    class Status(models.TextChoices):
        PLANNED = "planned", _("En préparation")
        ACTIVE = "active", _("En cours")
        DONE = "done", _("Terminé")
        ABANDONED = "abandoned", _("Abandonné")

    # Kinds the residence axis of the plan counts as "projets de résidence".
    RESIDENCE_KINDS = (Kind.RESIDENCE, Kind.CITIZEN, Kind.RENOVATION)

    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    domain = models.CharField(
        _("champ"),
        max_length=100,
        blank=True,
        help_text=_("Pour un diagnostic : santé, logement privé, transport…"),
    )
    territory = territory_key("projects")
    residence = residence_key("projects")
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partenaires"), related_name="projects", blank=True
    )
    working_groups = models.ManyToManyField(
        WorkingGroup, verbose_name=_("groupes de travail"), related_name="projects", blank=True
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    outcomes = models.TextField(_("résultats"), max_length=4000, blank=True)

    territory_field = "territory"

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="project_dates_in_order",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("La fin ne peut pas précéder le début.")
        if (
            self.residence_id
            and self.territory_id
            and (self.residence.territory_id != self.territory_id)
        ):
            errors["residence"] = _("Cette résidence n'est pas dans ce territoire.")
        if errors:
            raise ValidationError(errors)


class TenantCommittee(models.Model):
    """A tenants' committee the mediators support in mobilising residents."""

    name = models.CharField(_("nom"), max_length=200)
    territory = territory_key("tenant_committees")
    residence = residence_key("tenant_committees")
    supported_from = models.DateField(_("accompagné depuis"))
    supported_until = models.DateField(_("accompagné jusqu'au"), null=True, blank=True)
    support = models.TextField(_("accompagnement apporté"), max_length=4000, blank=True)

    territory_field = "territory"

    class Meta:
        verbose_name = _("comité de locataires accompagné")
        verbose_name_plural = _("comités de locataires accompagnés")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(supported_until__isnull=True)
                | Q(supported_until__gte=F("supported_from")),
                name="tenant_committee_dates_in_order",
            )
        ]

    def __str__(self):
        return self.name
