"""The service plan's page in the admin (under /admin/indicateurs/projet-de-service/): every
stake, axis and operational objective with its indicators' value for the chosen year, target,
percentage and status, and the corrective actions of the year. Figures come from
community.plan.rules; the records are edited in the plan's snippets."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions
from community.models import ServicePlan, Territory
from community.plan import rules

PERMISSION = "community.view_serviceplan"


def can_see_plan(user) -> bool:
    return permissions.can_reach_staff_area(user) and user.has_perm(PERMISSION)


def _number(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def page(request):
    user = request.user
    if not can_see_plan(user):
        raise PermissionDenied
    default_year = timezone.localdate().year - 1  # the last complete year
    year = _number(request.GET.get("year"), default_year)
    if not 2000 <= year <= 2100:
        year = default_year
    territory = None
    territory_id = _number(request.GET.get("territory"), 0)
    if territory_id:
        territory = Territory.objects.filter(pk=territory_id).first()
        if territory is not None and not permissions.can_see_territory(user, territory):
            return HttpResponseForbidden(
                _("Ce territoire ne fait pas partie des vôtres."),
                content_type="text/plain; charset=utf-8",
            )
    if territory is not None:
        territory_ids = [territory.pk]
    else:
        visible = permissions.visible_territory_ids(user)
        territory_ids = None if visible is None else sorted(visible)
    plans = list(ServicePlan.objects.all())
    plan_id = _number(request.GET.get("plan"), 0)
    plan = next((p for p in plans if p.pk == plan_id), None) or rules.plan_for_year(year)
    context = {
        "page_title": _("Projet de service"),
        "header_icon": "list-ul",
        "year": year,
        "plans": plans,
        "plan": plan,
        "territory": territory,
        "territories": permissions.visible_territories(user),
        "progress": rules.progress(plan, year, territory_ids) if plan else None,
        "can_edit": user.has_perm("community.change_serviceplan"),
    }
    return TemplateResponse(request, "community/admin/plan.html", context)
