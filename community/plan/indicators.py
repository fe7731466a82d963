"""The service plan's own figures in the indicators registry: corrective actions decided,
result indicators identified, and the share of operational objectives reached."""

from django.utils.translation import gettext_lazy as _

from community.plan import rules
from community.registries import Indicator, indicators

SECTION = _("Projet de service")


def register() -> None:
    indicators.register_section(SECTION, 70)
    items = [
        Indicator(
            "community.plan_objectives_reached",
            _("Taux d'objectifs opérationnels atteints (%)"),
            _(
                "Objectifs opérationnels atteints sur ceux qui ont une cible, pour une année "
                "civile (les cibles sont annuelles)."
            ),
            rules.objectives_reached_rate,
            str(SECTION),
            order=10,
        ),
        Indicator(
            "community.corrective_actions",
            _("Actions correctives mises en place"),
            _("Actions correctives décidées dans la période (chiffre de toute l'agence)."),
            rules.corrective_actions,
            str(SECTION),
            order=20,
            agency_wide=True,
        ),
        Indicator(
            "community.plan_indicators",
            _("Indicateurs identifiés"),
            _("Indicateurs de résultat des projets de service couvrant la période."),
            rules.plan_indicators,
            str(SECTION),
            order=30,
            agency_wide=True,
        ),
    ]
    for indicator in items:
        if indicator.key not in indicators.items:
            indicators.register(indicator)
