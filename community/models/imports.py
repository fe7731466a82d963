"""Spreadsheet imports: the uploaded file and where its preview or import stands."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.storage import private_storage


def import_file_name(instance, filename: str) -> str:
    """A random name: the original one (often a residence or a person's name) stays in
    `original_name` only, which the staff page shows."""
    suffix = PurePath(filename).suffix.lower()
    return f"imports/{uuid.uuid4().hex}{suffix if suffix in ('.csv', '.xlsx') else ''}"


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        RESIDENCES = "residences", _("Résidences")
        REFERENCE_TENANTS = "reference_tenants", _("Locataires référents")

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Vérification en cours")
        PREVIEW = "preview", _("Aperçu prêt")
        IMPORTING = "importing", _("Import en cours")
        DONE = "done", _("Importé")
        FAILED = "failed", _("Échec")

    kind = models.CharField(_("contenu"), max_length=20, choices=Kind.choices)
    # In the private storage (community.storage), deleted once imported or by retention.
    file = models.FileField(
        _("fichier"), upload_to=import_file_name, storage=private_storage, blank=True
    )
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.VALIDATING
    )
    total_rows = models.PositiveIntegerField(_("lignes"), default=0)
    processed_rows = models.PositiveIntegerField(_("lignes traitées"), default=0)
    preview = models.JSONField(_("aperçu"), default=dict, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("déposé le"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import de tableur")
        verbose_name_plural = _("imports de tableur")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0 if self.status in (self.Status.VALIDATING, self.Status.IMPORTING) else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))
