"""The activity records' figures in the indicators registry (community.activities.rules)."""

from django.utils.translation import gettext_lazy as _

from community.activities import rules
from community.registries import Indicator, indicators

SECTION_PARTNERS = _("Partenariats et projets")
SECTION_OUTREACH = _("Communication et connaissance du dispositif")
SECTION_TEAM = _("Organisation et équipes")


def partner_indicators() -> list[Indicator]:
    return [
        Indicator(
            "community.agreements_signed",
            _("Conventions de partenariat signées"),
            _("Conventions signées pendant la période (celles de toute l'agence : sans filtre)."),
            rules.agreements_signed,
            SECTION_PARTNERS,
            order=10,
        ),
        Indicator(
            "community.prevention_insertion_agreements",
            _("Conventions avec les acteurs de la prévention et de l'insertion"),
            _(
                "Conventions bilatérales et de partenariat signées pendant la période (Mission "
                "Locale, prévention spécialisée…)."
            ),
            rules.prevention_insertion_agreements_signed,
            SECTION_PARTNERS,
            order=15,
        ),
        Indicator(
            "community.agreement_objectives_met",
            _("Objectifs de conventions atteints"),
            _("Objectifs de conventions évalués comme atteints pendant la période."),
            rules.agreement_objectives_met,
            SECTION_PARTNERS,
            order=20,
        ),
        Indicator(
            "community.projects",
            _("Projets impliquant la médiation sociale"),
            _(
                "Projets en cours pendant la période (hors projets en préparation, abandonnés "
                "et diagnostics de nouveaux champs)."
            ),
            rules.projects,
            SECTION_PARTNERS,
            accepts_residence=True,
            order=30,
        ),
        Indicator(
            "community.projects_by_kind",
            _("Projets par type"),
            _("Projets en cours pendant la période, par type."),
            rules.projects_by_kind,
            SECTION_PARTNERS,
            accepts_residence=True,
            order=40,
        ),
        Indicator(
            "community.residence_projects",
            _("Projets de résidence développés"),
            _("Projets de résidence, de médiation citoyenne et de réhabilitation en cours."),
            rules.residence_projects,
            SECTION_PARTNERS,
            accepts_residence=True,
            order=50,
        ),
        Indicator(
            "community.new_field_diagnoses",
            _("Diagnostics engagés dans de nouveaux champs"),
            _("Diagnostics (santé, logement privé, transport…) commencés pendant la période."),
            rules.new_field_diagnoses,
            SECTION_PARTNERS,
            order=60,
        ),
        Indicator(
            "community.tenant_committees",
            _("Comités de locataires accompagnés"),
            _("Comités de locataires accompagnés à un moment de la période."),
            rules.tenant_committees_supported,
            SECTION_PARTNERS,
            accepts_residence=True,
            order=70,
        ),
        Indicator(
            "community.partner_meetings_by_kind",
            _("Rencontres avec les partenaires, par type"),
            _("Réunions, ateliers, échanges de pratiques, immersions et présentations."),
            rules.partner_meetings_by_kind,
            SECTION_PARTNERS,
            order=80,
        ),
        Indicator(
            "community.presentations_immersions",
            _("Présentations du service et immersions"),
            _("Présentations du service et immersions de terrain avec des partenaires."),
            rules.presentations_and_immersions,
            SECTION_PARTNERS,
            order=90,
        ),
        Indicator(
            "community.practice_exchange_hours",
            _("Heures de formation-échanges de pratiques"),
            _("Durée des échanges de pratiques et ateliers de sensibilisation des partenaires."),
            rules.practice_exchange_hours,
            SECTION_PARTNERS,
            order=100,
        ),
        Indicator(
            "community.practice_exchange_participants",
            _("Bénéficiaires des échanges de pratiques"),
            _("Participants des échanges de pratiques et ateliers de sensibilisation."),
            rules.practice_exchange_participants,
            SECTION_PARTNERS,
            order=110,
        ),
        Indicator(
            "community.partner_follow_ups",
            _("Personnes suivies en lien avec les structures"),
            _("Situations suivies avec une structure partenaire à un moment de la période."),
            rules.partner_follow_ups,
            SECTION_PARTNERS,
            order=120,
        ),
        Indicator(
            "community.young_put_in_touch",
            _("Jeunes mis en relation avec une structure"),
            _("Suivis de jeunes de 0 à 24 ans commencés pendant la période (Mission Locale…)."),
            rules.young_put_in_touch,
            SECTION_PARTNERS,
            order=130,
        ),
        Indicator(
            "community.meetings_and_situations",
            _("Rencontres et suivis de situations"),
            _("Rencontres avec les partenaires et situations suivies avec eux."),
            rules.meetings_and_situations,
            SECTION_PARTNERS,
            order=140,
        ),
        Indicator(
            "community.tenders_answered",
            _("Réponses aux appels d'offre"),
            _("Réponses déposées pendant la période (chiffre de toute l'agence)."),
            rules.tenders_answered,
            SECTION_PARTNERS,
            order=150,
            agency_wide=True,
        ),
        Indicator(
            "community.tenders_won",
            _("Appels d'offre remportés"),
            _("Appels d'offre dont le succès a été connu pendant la période."),
            rules.tenders_won,
            SECTION_PARTNERS,
            order=160,
            agency_wide=True,
        ),
    ]


def outreach_indicators() -> list[Indicator]:
    return [
        Indicator(
            "community.communication_actions",
            _("Actions de communication"),
            _("Porte-à-porte, dépliants, affichages, articles, forums et stands de la période."),
            rules.communication_actions,
            SECTION_OUTREACH,
            accepts_residence=True,
            order=10,
        ),
        Indicator(
            "community.communication_reach",
            _("Portée des actions de communication"),
            _("Portes frappées, dépliants distribués et personnes rencontrées."),
            rules.communication_reach,
            SECTION_OUTREACH,
            accepts_residence=True,
            order=20,
        ),
        Indicator(
            "community.survey_answers",
            _("Personnes interrogées (enquête de connaissance)"),
            _("Réponses à l'enquête de connaissance saisies pendant la période."),
            rules.survey_answers,
            SECTION_OUTREACH,
            order=30,
        ),
        Indicator(
            "community.knows_service_rate",
            _("Taux de connaissance du dispositif (%)"),
            _("Part des personnes interrogées qui connaissent le dispositif."),
            rules.knows_service_rate,
            SECTION_OUTREACH,
            order=40,
        ),
        Indicator(
            "community.knows_mediators_rate",
            _("Taux de connaissance des médiateurs (%)"),
            _("Part des personnes interrogées qui connaissent les médiateurs."),
            rules.knows_mediators_rate,
            SECTION_OUTREACH,
            order=50,
        ),
        Indicator(
            "community.knows_missions_rate",
            _("Taux de connaissance des missions (%)"),
            _("Part des personnes interrogées qui connaissent les missions des médiateurs."),
            rules.knows_missions_rate,
            SECTION_OUTREACH,
            order=60,
        ),
        Indicator(
            "community.solicitation_rate",
            _("Taux de sollicitation des médiateurs (%)"),
            _("Part des personnes interrogées qui ont déjà sollicité les médiateurs."),
            rules.solicitation_rate,
            SECTION_OUTREACH,
            order=70,
        ),
    ]


def team_indicators() -> list[Indicator]:
    return [
        Indicator(
            "community.team_meetings",
            _("Réunions et groupes de travail d'équipe"),
            _("Rencontres inter-équipes et groupes de travail internes (toute l'agence)."),
            rules.team_meetings,
            SECTION_TEAM,
            order=10,
            agency_wide=True,
        ),
        Indicator(
            "community.inter_team_meetings",
            _("Rencontres inter-équipes"),
            _("Rencontres inter-équipes de la période (toute l'agence)."),
            rules.inter_team_meetings,
            SECTION_TEAM,
            order=20,
            agency_wide=True,
        ),
        Indicator(
            "community.inter_team_immersions",
            _("Immersions inter-équipes"),
            _("Immersions d'un médiateur dans une autre équipe (toute l'agence)."),
            rules.inter_team_immersions,
            SECTION_TEAM,
            order=30,
            agency_wide=True,
        ),
        Indicator(
            "community.team_training_hours",
            _("Heures de formation des équipes"),
            _("Durée des formations suivies par les équipes (toute l'agence)."),
            rules.team_training_hours,
            SECTION_TEAM,
            order=40,
            agency_wide=True,
        ),
    ]


def register() -> None:
    for indicator in (*partner_indicators(), *outreach_indicators(), *team_indicators()):
        if indicator.key not in indicators.items:
            indicators.register(indicator)
