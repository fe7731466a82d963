"""Needs diagnoses of residences, made with their landlords."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models.core import Organisation, Residence


class ResidenceDiagnosis(models.Model):
    """A needs diagnosis of a residence, made with its landlord."""

    residence = models.ForeignKey(
        Residence, verbose_name=_("résidence"), on_delete=models.PROTECT, related_name="diagnoses"
    )
    landlord = models.ForeignKey(
        Organisation,
        verbose_name=_("bailleur"),
        on_delete=models.PROTECT,
        related_name="diagnoses",
        null=True,
        blank=True,
        limit_choices_to={"kind": Organisation.Kind.LANDLORD},
        help_text=_("Par défaut, le bailleur de la résidence."),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    needs = models.TextField(_("besoins relevés"))
    actions_proposed = models.TextField(_("actions proposées"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rédigé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    territory_field = "residence__territory"

    class Meta:
        verbose_name = _("diagnostic de résidence")
        verbose_name_plural = _("diagnostics de résidence")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.residence} · {self.date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.landlord_id is None and self.residence_id is not None:
            self.landlord_id = Residence.objects.values_list("landlord_id", flat=True).get(
                pk=self.residence_id
            )
        super().save(*args, **kwargs)
