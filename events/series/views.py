"""Public pages of the Café Médiation series: the series page with its sessions, topics and
follow form; a follower's page (signed link) to propose and support topics or stop following;
the reminder's "I can't come" page; the satisfaction survey. Rules are in events.series.rules,
events.signup.rules and events.attendance.surveys."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community.ratelimit import limit_public_posts
from community.rule_errors import show_on_form
from events import tokens
from events.attendance import surveys
from events.models import CafeSeries, Event, SeriesSession, SurveyAnswer, Topic
from events.models.bookings import Registration
from events.series import rules
from events.series.forms import FOLLOW_CONSENT_TEXT, FollowForm, SurveyForm, TopicForm
from events.signup import answers
from events.signup import rules as signup


def _series_or_404(pk: int) -> CafeSeries:
    found = CafeSeries.objects.select_related("territory").filter(pk=pk, active=True).first()
    if found is None:
        raise Http404(_("Ce cycle n'existe pas."))
    return found


def _sessions(series: CafeSeries):
    """Every session of the series with its confirmed seats, summary and picked topics, in a
    fixed number of queries."""
    return list(
        Event.objects.filter(series_session__series=series, live=True)
        .select_related("session_summary")
        .annotate(taken=Sum("registrations__seats", filter=Q(registrations__status="confirmed")))
        .prefetch_related(
            Prefetch(
                "picked_topics",
                queryset=Topic.objects.filter(status=Topic.Status.APPROVED),
                to_attr="topics",
            )
        )
        .order_by("start")
    )


def _public_topics(series: CafeSeries):
    return list(
        Topic.objects.filter(series=series, status=Topic.Status.APPROVED)
        .annotate(support_count=Count("supports"))
        .order_by("-support_count", "created_at", "pk")
    )


def _series_context(series: CafeSeries) -> dict:
    now = timezone.now()
    sessions = _sessions(series)
    for event in sessions:
        event.seats_left = (
            None if event.capacity is None else max(event.capacity - (event.taken or 0), 0)
        )
    return {
        "series": series,
        "upcoming": [e for e in sessions if e.start > now],
        "past": [e for e in sessions if e.start <= now][::-1],
        "topics": _public_topics(series),
        "followers": series.follows.filter(stopped_at__isnull=True).count(),
    }


@require_http_methods(["GET", "POST"])
@limit_public_posts("series_follow")
def series_detail(request, pk: int, slug: str = ""):
    series = _series_or_404(pk)
    if request.method == "GET" and slug != series.slug:
        return HttpResponsePermanentRedirect(series.get_absolute_url())
    status = 200
    if request.method == "POST" and "add_companion" in request.POST:
        # "+ Ajouter une personne" without JavaScript: the same answers, one more block.
        form = FollowForm(request.POST).as_reopened()
    elif request.method == "POST":
        form = FollowForm(request.POST)
        if form.is_valid():
            try:
                rules.follow(
                    series_id=series.pk,
                    contact=form.contact(),
                    age_band=form.cleaned_data["age_band"],
                    companions=form.companions_data(),
                    guardian_consent=form.cleaned_data["guardian_consent"],
                    consent_text=str(FOLLOW_CONSENT_TEXT),
                )
            except (ValidationError, rules.SeriesError) as exc:
                show_on_form(form, exc)
            else:
                # The same answer for a new and a known follower (events.signup.answers); the
                # follow page's link goes to the address on record.
                return redirect(answers.received_url("cycle", series.pk))
        status = 400 if form.is_bound else 200
    else:
        form = FollowForm()
    return render(
        request, "events/series.html", {**_series_context(series), "form": form}, status=status
    )


def _follow_or_400(request, token: str):
    try:
        return tokens.follow_from_token(token), None
    except signup.BadToken:
        return None, render(request, "events/bad_link.html", status=400)


def _follow_page(request, followed, token, topic_form=None, status=200):
    now = timezone.now()
    registrations = list(
        Registration.objects.filter(
            booking__follow=followed,
            event__start__gt=now,
        )
        .select_related("event", "booking")
        .order_by("event__start")
    )
    supported = set(
        followed.person.topic_supports.filter(topic__series=followed.series).values_list(
            "topic_id", flat=True
        )
    )
    return render(
        request,
        "events/series_follow.html",
        {
            "follow": followed,
            "series": followed.series,
            "token": token,
            "registrations": [
                {"registration": r, "cant_come_url": signup.tokens.cant_come_url(r)}
                for r in registrations
            ],
            "topics": _public_topics(followed.series),
            "my_topics": list(
                Topic.objects.filter(series=followed.series, person=followed.person).exclude(
                    status=Topic.Status.APPROVED
                )
            ),
            "supported": supported,
            "topic_form": topic_form or TopicForm(),
        },
        status=status,
    )


@require_http_methods(["GET"])
def follow_page(request, token: str):
    followed, error = _follow_or_400(request, token)
    if error:
        return error
    return _follow_page(request, followed, token)


@require_POST
@limit_public_posts("series_topics", fields=())
def propose_topic(request, token: str):
    followed, error = _follow_or_400(request, token)
    if error:
        return error
    if followed.stopped_at is not None:
        messages.error(request, _("Vous ne suivez plus ce cycle."))
        return redirect("events:follow", token=token)
    form = TopicForm(request.POST)
    if form.is_valid():
        try:
            rules.propose_topic(
                series_id=followed.series_id, person=followed.person, text=form.cleaned_data["text"]
            )
        except rules.SeriesError as exc:
            show_on_form(form, exc, fallback="text")
        else:
            messages.success(
                request, _("Merci ! Votre sujet sera affiché dès qu'un médiateur l'aura relu.")
            )
            return redirect("events:follow", token=token)
    return _follow_page(request, followed, token, topic_form=form, status=400)


@require_POST
@limit_public_posts("series_topics", fields=())
def support_topic(request, token: str, topic_id: int):
    followed, error = _follow_or_400(request, token)
    if error:
        return error
    if not Topic.objects.filter(pk=topic_id, series=followed.series).exists():
        raise Http404
    try:
        rules.support_topic(topic_id=topic_id, person=followed.person)
    except rules.SeriesError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Votre soutien est enregistré."))
    return redirect("events:follow", token=token)


@require_POST
def stop_following(request, token: str):
    followed, error = _follow_or_400(request, token)
    if error:
        return error
    rules.stop_following(followed.pk)
    messages.success(
        request,
        _("Vous ne suivez plus ce cycle ; vos inscriptions aux prochaines séances sont annulées."),
    )
    return redirect(followed.series.get_absolute_url())


@require_http_methods(["GET", "POST"])
def cant_come(request, token: str, registration_id: int):
    """The reminder's "I can't come" link: one button, which frees the seat (a GET changes
    nothing, so a mail scanner following links cancels no one)."""
    try:
        booking = signup.booking_from_token(token)
    except signup.BadToken:
        return render(request, "events/bad_link.html", status=400)
    registration = booking.registrations.select_related("event").filter(pk=registration_id).first()
    if registration is None:
        raise Http404(_("Cette inscription ne fait pas partie de votre réservation."))
    # The page promises the seat to the next person only when someone is waiting for it.
    had_waitlist = registration.event.registrations.waitlisted().exists()
    if request.method == "POST" and registration.status != Registration.Status.CANCELLED:
        signup.cancel_registration(registration.pk, tell_person=True)
        registration.refresh_from_db()
    session = SeriesSession.objects.filter(event=registration.event).select_related("series")
    return render(
        request,
        "events/cant_come.html",
        {
            "registration": registration,
            "event": registration.event,
            "session": session.first(),
            "manage_url": signup.manage_url(booking),
            "had_waitlist": had_waitlist,
        },
    )


@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    try:
        registration = surveys.registration_from_token(token)
    except signup.BadToken:
        return render(request, "events/bad_link.html", status=400)
    answered = SurveyAnswer.objects.filter(registration=registration).exists()
    status = 200
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and not answered:
        if form.is_valid():
            try:
                surveys.answer(
                    registration_id=registration.pk,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
            except surveys.SurveyError as exc:
                show_on_form(form, exc)
            else:
                return render(
                    request, "events/survey.html", {"event": registration.event, "thanks": True}
                )
        status = 400
    elif request.method == "POST":
        status = 409
    return render(
        request,
        "events/survey.html",
        {"event": registration.event, "form": form, "answered": answered},
        status=status,
    )
