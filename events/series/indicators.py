"""The Café Médiation and satisfaction figures of the events app (community.registries):
sessions and intergenerational workshops held, average satisfaction and survey response rate,
per period and optional territories, each aggregated in the database. The other events
figures are in events/indicators.py, whose period bounds these share."""

from django.db.models import Avg
from django.utils.translation import gettext_lazy as _

from community.registries import Indicator, Period, indicators
from events.indicators import bounds as _bounds
from events.indicators import held_by_kind
from events.models import EventKind, SurveyAnswer
from events.models.outbox import OutboxMessage

SECTION = _("Café Médiation, ateliers et satisfaction")


def cafe_sessions_held(period: Period, territory_ids=None) -> int:
    """Sessions that took place in the period: published, not cancelled, started (the count
    of events by kind the actions' figures share)."""
    return held_by_kind(period, territory_ids).get(EventKind.CAFE_MEDIATION, 0)


def workshops_held(period: Period, territory_ids=None) -> int:
    return held_by_kind(period, territory_ids).get(EventKind.INTERGENERATIONAL, 0)


def _answers(period: Period, territory_ids):
    start, end = _bounds(period)
    answers = SurveyAnswer.objects.filter(event__start__gte=start, event__start__lt=end)
    if territory_ids is not None:
        answers = answers.filter(event__territory_id__in=list(territory_ids))
    return answers


def average_satisfaction(period: Period, territory_ids=None) -> float | None:
    value = _answers(period, territory_ids).aggregate(avg=Avg("rating"))["avg"]
    return round(value, 2) if value is not None else None


def survey_response_rate(period: Period, territory_ids=None) -> float | None:
    """Online answers over surveys sent, for the events of the period (paper answers are not
    counted: they were never sent)."""
    start, end = _bounds(period)
    sent = OutboxMessage.objects.filter(
        kind=OutboxMessage.Kind.SURVEY,
        registration__event__start__gte=start,
        registration__event__start__lt=end,
    )
    if territory_ids is not None:
        sent = sent.filter(registration__event__territory_id__in=list(territory_ids))
    count = sent.count()
    if not count:
        return None
    answered = _answers(period, territory_ids).filter(source=SurveyAnswer.Source.ONLINE).count()
    return round(answered / count, 3)


def register() -> None:
    indicators.register_section(SECTION, 40)
    items = [
        Indicator(
            "events.cafe_sessions_held",
            _("Séances de Café Médiation tenues"),
            _("Séances de Café Médiation publiées, non annulées, commencées dans la période."),
            cafe_sessions_held,
            str(SECTION),
        ),
        Indicator(
            "events.intergenerational_workshops_held",
            _("Ateliers intergénérationnels tenus"),
            _("Ateliers intergénérationnels publiés, non annulés, commencés dans la période."),
            workshops_held,
            str(SECTION),
        ),
        Indicator(
            "events.average_satisfaction",
            _("Satisfaction moyenne (sur 5)"),
            _("Moyenne des notes (en ligne et papier) des événements de la période."),
            average_satisfaction,
            str(SECTION),
        ),
        Indicator(
            "events.survey_response_rate",
            _("Taux de réponse aux questionnaires"),
            _("Réponses en ligne sur questionnaires envoyés, pour les événements de la période."),
            survey_response_rate,
            str(SECTION),
        ),
    ]
    for indicator in items:
        if indicator.key not in indicators.items:
            indicators.register(indicator)
