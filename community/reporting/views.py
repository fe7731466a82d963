"""The admin's indicator screens (under /admin/indicateurs/): the dashboard and its exports,
the yearly report as a print-ready page and a PDF, and the managers' comments on it. Thin:
figures come from community.reporting.dashboard and community.reporting.reports."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseForbidden, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import exports, permissions
from community.models import Territory
from community.plan import views as plan_views
from community.reporting import dashboard, reports

PERMISSION = "community.view_indicators"


def _require(request):
    if not (permissions.can_reach_staff_area(request.user) and request.user.has_perm(PERMISSION)):
        raise PermissionDenied


def forbidden():
    return HttpResponseForbidden(
        _("Ce territoire ne fait pas partie des vôtres."), content_type="text/plain; charset=utf-8"
    )


def scoped(view):
    """403 (not Wagtail's redirect) when the query names a territory the user may not see."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        _require(request)
        if dashboard.foreign_territory(request.user, request.GET):
            return forbidden()
        return view(request, *args, **kwargs)

    return wrapped


def _form(request):
    return dashboard.PeriodForm(request.GET or QueryDict(""), user=request.user)


def _computed(request, with_charts=False):
    form = _form(request)
    if not form.is_valid():
        return form, None
    period, previous = dashboard.periods(form.cleaned_data)
    territory_ids, residence_ids = dashboard.scope(request.user, form.cleaned_data)
    sections, charts = dashboard.figures_and_charts(
        period, previous, territory_ids, residence_ids, with_charts=with_charts
    )
    data = {
        "period": period,
        "previous": previous,
        "territory_ids": territory_ids,
        "residence_ids": residence_ids,
        "sections": sections,
    }
    if charts is not None:
        data["charts"] = charts
    return form, data


@scoped
def index(request):
    _require(request)
    form, data = _computed(request, with_charts=True)
    context = {
        "form": form,
        "page_title": _("Indicateurs"),
        "header_icon": "doc-full",
        "query": request.GET.urlencode(),
        "year": (form.cleaned_data.get("year") if form.is_valid() else None)
        or timezone.localdate().year,
    }
    if data is not None:
        context.update(data)
    return TemplateResponse(
        request, "community/admin/dashboard.html", context, status=200 if data else 400
    )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@scoped
def export(request, fmt: str):
    _require(request)
    form, data = _computed(request)
    if data is None:
        return TemplateResponse(
            request,
            "community/admin/dashboard.html",
            {"form": form, "page_title": _("Indicateurs"), "header_icon": "doc-full"},
            status=400,
        )
    header, rows = dashboard.export_rows(data["sections"], data["period"], data["previous"])
    name = f"indicateurs-{data['period'].start}-{data['period'].end}"
    if fmt == "csv":
        return _attachment(exports.to_csv(header, rows), "text/csv; charset=utf-8", f"{name}.csv")
    return _attachment(exports.to_xlsx(header, rows, _("Indicateurs")), XLSX, f"{name}.xlsx")


# -- yearly report ------------------------------------------------------------------------------


def _report(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year - 1
    territory = None
    territory_id = request.GET.get("territory")
    if territory_id and territory_id.isdigit():
        territory = permissions.visible_territories(request.user).filter(pk=territory_id).first()
    if territory is not None:
        territory_ids = [territory.pk]
    else:
        visible = permissions.visible_territory_ids(request.user)
        territory_ids = None if visible is None else sorted(visible)
    report = reports.build(year, territory_ids, territory)
    if territory is None and territory_ids is not None:
        for section in report.sections:  # the agency's comments are the managers' own
            section.comment = ""
    return report


@scoped
def report(request):
    report = _report(request)
    return TemplateResponse(
        request,
        "community/admin/report.html",
        {
            "report": report,
            "page_title": _("Rapport annuel %(year)s") % {"year": report.year},
            "header_icon": "doc-full",
            "territories": permissions.visible_territories(request.user),
            "can_comment": reports.can_comment(request.user, report.territory),
            "query": request.GET.urlencode(),
        },
    )


@scoped
def report_pdf(request):
    report = _report(request)
    suffix = f"-{report.territory.slug}" if report.territory else ""
    return _attachment(
        reports.to_pdf(report), "application/pdf", f"rapport-{report.year}{suffix}.pdf"
    )


@scoped
def report_export(request, fmt: str):
    report = _report(request)
    header, rows = reports.export_rows(report)
    name = f"rapport-{report.year}"
    if fmt == "csv":
        return _attachment(exports.to_csv(header, rows), "text/csv; charset=utf-8", f"{name}.csv")
    return _attachment(exports.to_xlsx(header, rows, name), XLSX, f"{name}.xlsx")


@require_POST
def report_comment(request):
    _require(request)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    territory = None
    territory_id = request.POST.get("territory", "")
    if territory_id:
        territory = Territory.objects.filter(
            pk=territory_id if territory_id.isdigit() else 0
        ).first()
        if territory is None or not permissions.can_see_territory(request.user, territory):
            return forbidden()
    if not reports.can_comment(request.user, territory):
        return HttpResponseForbidden(
            _("Seuls les responsables écrivent les commentaires du rapport."),
            content_type="text/plain; charset=utf-8",
        )
    # The report's one form posts every section's comment as "comment-<section>".
    texts = {
        name.removeprefix("comment-"): value
        for name, value in request.POST.items()
        if name.startswith("comment-")
    }
    if not texts and request.POST.get("section"):
        texts = {request.POST["section"]: request.POST.get("text", "")}
    if not 2000 <= year <= 2100:
        messages.error(request, _("Année inconnue."))
    else:
        try:
            reports.save_comments(request.user, year, territory, texts)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Commentaires enregistrés."))
    url = reverse("indicators:report") + f"?year={year}"
    if territory:
        url += f"&territory={territory.pk}"
    return redirect(
        url + ("#commentaires" if len(texts) > 1 else f"#section-{next(iter(texts), '')}")
    )


urlpatterns = [
    path("", index, name="dashboard"),
    path("export.csv", export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("rapport/", report, name="report"),
    path("rapport.pdf", report_pdf, name="report_pdf"),
    path("rapport.csv", report_export, {"fmt": "csv"}, name="report_csv"),
    path("rapport.xlsx", report_export, {"fmt": "xlsx"}, name="report_xlsx"),
    path("rapport/commentaire/", report_comment, name="report_comment"),
    path("projet-de-service/", plan_views.page, name="plan"),
]
