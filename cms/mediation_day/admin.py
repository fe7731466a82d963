"""The mediation day's one staff screen, in the Wagtail admin: for a year, its programme and
tracks, every session (drafts too) and the day's page, each with the link to change it. Thin:
the sessions come from events.programme.rules."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import MediationDayPage, StandRequest
from events.models.programme import Programme
from events.programme import rules as programme_rules

PERMISSION = "events.view_programme"


def _require(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def index(request):
    """The coming day (or the latest one) opens at once; with none yet, how to start."""
    _require(request)
    today = timezone.localdate()
    programme = (
        Programme.objects.filter(date__gte=today).order_by("date").first()
        or Programme.objects.order_by("-date").first()
    )
    if programme is not None:
        return redirect("cms_mediation_day:day", programme_id=programme.pk)
    return TemplateResponse(
        request,
        "cms/admin/mediation_day.html",
        {"programme": None, "page_title": _("Journée de la médiation"), "header_icon": "date"},
    )


def day(request, programme_id):
    _require(request)
    programme = get_object_or_404(Programme, pk=programme_id)
    page = MediationDayPage.objects.filter(programme=programme).first()
    sessions = list(programme_rules.sessions(programme.pk, published_only=False))
    for session in sessions:
        session.seats_left = programme_rules.seats_left(session)
    user = request.user
    return TemplateResponse(
        request,
        "cms/admin/mediation_day.html",
        {
            "programme": programme,
            "tracks": programme.tracks.order_by("sort_order", "pk"),
            "sessions": sessions,
            "page": page,
            "stands_pending": StandRequest.objects.filter(
                page=page, status=StandRequest.Status.PENDING
            ).count()
            if page
            else 0,
            "years": Programme.objects.order_by("-year").only("pk", "year"),
            "can_change_programme": user.has_perm("events.change_programme"),
            "can_add_session": user.has_perm("events.add_event"),
            "can_change_sessions": user.has_perm("events.change_event"),
            "can_edit_page": page is not None and page.permissions_for_user(user).can_edit(),
            "page_title": _("Journée de la médiation %(year)s") % {"year": programme.year},
            "header_icon": "date",
        },
    )


urlpatterns = [
    path("", index, name="index"),
    path("<int:programme_id>/", day, name="day"),
]
