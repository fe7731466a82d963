"""The staff page to import residences and reference tenants from a spreadsheet: upload, see
the preview (each row new, changed, unchanged or in error), import, see the report. Thin: the
rules are in community.importing.rules."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community import permissions
from community.importing import rules as importing
from community.models import ImportJob


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Contenu du fichier"), choices=ImportJob.Kind.choices
    )
    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=gettext_lazy("Un tableur .xlsx ou .csv, avec une ligne d'en-tête."),
    )


def _require(request):
    if not request.user.has_perm("community.add_importjob"):
        raise PermissionDenied


def _job_for(request, pk) -> ImportJob:
    queryset = ImportJob.objects.all()
    if not permissions.sees_all_territories(request.user):
        queryset = queryset.filter(created_by=request.user)
    return get_object_or_404(queryset, pk=pk)


def upload(request):
    _require(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = importing.create_job(
                request.user, form.cleaned_data["kind"], form.cleaned_data["file"]
            )
        except importing.ImportFileError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            return redirect("community_import:job", pk=job.pk)
    recent = ImportJob.objects.filter(created_by=request.user)[:10]
    return TemplateResponse(
        request,
        "community/admin/import_upload.html",
        {
            "form": form,
            "recent": recent,
            "page_title": _("Import de tableurs"),
            "header_icon": "upload",
            "columns": importing.COLUMNS,
        },
    )


def job_detail(request, pk):
    _require(request)
    job = _job_for(request, pk)
    running = job.status in (ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING)
    report = job.result if job.status == ImportJob.Status.DONE else job.preview
    return TemplateResponse(
        request,
        "community/admin/import_job.html",
        {
            "job": job,
            "running": running,
            "percent": importing.job_percent(job),
            "processed": importing.job_progress(job),
            "report": report or {},
            "page_title": _("Import de tableurs"),
            "page_subtitle": str(job),
            "header_icon": "upload",
        },
    )


@require_POST
def job_import(request, pk):
    _require(request)
    job = _job_for(request, pk)
    if job.status != ImportJob.Status.PREVIEW:
        messages.error(request, _("Cet import a déjà été lancé."))
        return redirect("community_import:job", pk=job.pk)
    job = importing.start_import(job)
    if job.status == ImportJob.Status.DONE:
        counts = job.result.get("counts", {})
        messages.success(
            request,
            _("Import terminé : %(new)s ajoutée(s), %(changed)s modifiée(s), %(error)s en erreur.")
            % {
                "new": counts.get("new", 0),
                "changed": counts.get("changed", 0),
                "error": counts.get("error", 0),
            },
        )
    return redirect("community_import:job", pk=job.pk)


urlpatterns = [
    path("", upload, name="upload"),
    path("<int:pk>/", job_detail, name="job"),
    path("<int:pk>/import/", job_import, name="import"),
]
