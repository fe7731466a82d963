"""The mediators' pages of Café Médiation series and surveys, under /equipe/: a series'
followers, sessions with attendance and topics to moderate and pick; a session's summary; paper
survey answers; satisfaction results. Scoped by territory through community.permissions (a
guessed id of another territory answers 404). Rules are in events.series.rules and events.attendance.surveys."""

from django.contrib import messages
from django.db.models import Avg, Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.rule_errors import show_on_form
from events.attendance import surveys
from events.models import CafeSeries, Event, SeriesFollow, SurveyAnswer, Topic
from events.permissions import staff_page, visible_event
from events.series import rules
from events.series.forms import SummaryForm, SurveyForm


def _series(request, series_id: int) -> CafeSeries:
    return get_object_or_404(
        permissions.restrict_to_visible(
            CafeSeries.objects.select_related("territory"), request.user
        ),
        pk=series_id,
    )


@require_GET
@staff_page("events.view_cafeseries")
def series_list(request):
    items = list(
        permissions.restrict_to_visible(
            CafeSeries.objects.select_related("territory"), request.user
        )
        .annotate(
            follower_count=Count(
                "follows", filter=Q(follows__stopped_at__isnull=True), distinct=True
            ),
            pending_topics=Count("topics", filter=Q(topics__status="pending"), distinct=True),
        )
        .order_by("title")
    )
    return render(request, "events/staff/series_list.html", {"series_list": items})


def sessions_with_attendance(series: CafeSeries):
    """Each session with its confirmed seats, attendees and survey answers, in one query."""
    return list(
        Event.objects.filter(series_session__series=series)
        .annotate(
            confirmed=Sum("registrations__seats", filter=Q(registrations__status="confirmed")),
            attended=Count("registrations", filter=Q(registrations__attendance__status="attended")),
        )
        .select_related("session_summary")
        .order_by("start")
    )


@require_GET
@staff_page("events.view_cafeseries", "events.view_registration")
def series_detail(request, series_id: int):
    series = _series(request, series_id)
    followers = list(
        SeriesFollow.objects.filter(series=series, stopped_at__isnull=True)
        .select_related("person")
        .order_by("created_at", "pk")
    )
    topics = list(
        Topic.objects.filter(series=series)
        .select_related("session")
        .annotate(support_count=Count("supports"))
        .order_by("status", "-support_count", "pk")
    )
    sessions = sessions_with_attendance(series)
    now = timezone.now()
    return render(
        request,
        "events/staff/series_detail.html",
        {
            "series": series,
            "followers": followers,
            "sessions": sessions,
            "upcoming": [e for e in sessions if e.start > now],
            "topics": topics,
            "Status": Topic.Status,
        },
    )


@require_POST
@staff_page("events.change_topic")
def topic_action(request, series_id: int, topic_id: int):
    series = _series(request, series_id)
    topic = get_object_or_404(Topic, pk=topic_id, series=series)
    try:
        if "status" in request.POST:
            rules.moderate_topic(topic.pk, request.POST["status"])
            messages.success(request, _("Le sujet est mis à jour."))
        if "session" in request.POST:
            value = request.POST["session"]
            rules.pick_topic(topic.pk, int(value) if value.isdigit() else None)
            messages.success(request, _("Le sujet est mis à jour."))
    except rules.SeriesError as exc:
        messages.error(request, exc.message)
    return redirect("staff:series_detail", series_id=series.pk)


@require_http_methods(["GET", "POST"])
@staff_page("events.add_sessionsummary", "events.change_sessionsummary")
def summary(request, event_id: int):
    event = visible_event(request, event_id)
    existing = (
        getattr(event, "session_summary", None) if hasattr(event, "session_summary") else None
    )
    form = SummaryForm(request.POST or None, initial={"text": existing.text if existing else ""})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rules.publish_summary(
                    event_id=event.pk, text=form.cleaned_data["text"], user=request.user
                )
            except rules.SeriesError as exc:
                show_on_form(form, exc, fallback="text")
            else:
                messages.success(request, _("Le compte rendu est publié sur la page de la séance."))
                return redirect(event.get_absolute_url())
        status = 400
    return render(
        request, "events/staff/summary.html", {"event": event, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@staff_page("events.add_surveyanswer", "events.view_surveyanswer")
def paper_answers(request, event_id: int):
    event = visible_event(request, event_id)
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            surveys.enter_paper_answer(
                event_id=event.pk,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                user=request.user,
            )
            messages.success(request, _("La réponse est enregistrée."))
            return redirect("staff:paper_answers", event_id=event.pk)
        status = 400
    answers = SurveyAnswer.objects.filter(event=event)
    return render(
        request,
        "events/staff/paper_answers.html",
        {
            "event": event,
            "form": form,
            "summary": answers.aggregate(average=Avg("rating"), count=Count("pk")),
            "answers": list(answers.order_by("-created_at")[:100]),
        },
        status=status,
    )


@require_GET
@staff_page("events.view_surveyanswer")
def satisfaction(request):
    answers = permissions.restrict_to_visible(
        SurveyAnswer.objects.all(), request.user, field="event__territory"
    )
    kinds = dict(Event._meta.get_field("kind").choices)
    by_kind = surveys.results(answers, "event__kind")
    for row in by_kind:
        row["label"] = kinds.get(row["event__kind"], row["event__kind"])
    return render(
        request,
        "events/staff/satisfaction.html",
        {
            "by_territory": surveys.results(answers, "event__territory__name"),
            "by_kind": by_kind,
            "by_series": [
                r
                for r in surveys.results(answers, "event__series_session__series__title")
                if r["event__series_session__series__title"]
            ],
            "by_event": surveys.results(answers, "event__start", "event__pk", "event__title")[::-1][
                :200
            ],
        },
    )
