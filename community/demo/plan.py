"""The agency's 2017-2019 service plan, as the seed writes it: every part, stake, axis,
operational objective and result indicator, in its own French wording. Indicators the platform
computes are linked to their registry key; the others get a typed 2016 figure (the year before
the plan, the demo's baseline). Targets are plausible ones for 2016 to 2019. Idempotent."""

from django.db import transaction

from community.models import (
    Axis,
    CorrectiveAction,
    IndicatorFigure,
    IndicatorTarget,
    Objective,
    PlanIndicator,
    ServicePlan,
    Stake,
)

TITLE = "Projet de service 2017-2019"
YEARS = (2016, 2017, 2018, 2019)
BASELINE_YEAR = 2016
BASELINE_SOURCE = "Évaluation du projet de service 2014-2016 (tableaux de suivi internes)"

PART_1 = (
    "Partie 1. La reconnaissance de la médiation sociale, corollaire de la mobilisation des "
    "habitants"
)
PART_2 = (
    "Partie 2. La médiation sociale, outil d'une politique territoriale et réponse à des "
    "besoins ponctuels"
)
PART_3 = "Partie 3. La structuration d'un dispositif dans une finalité commune d'utilité sociale"

COUNT, RATE = PlanIndicator.Kind.COUNT, PlanIndicator.Kind.RATE

# An indicator: (label, computed key or "", kind, index of the objective it measures or None,
# 2016 target, typed 2016 figure or None for a computed one).
# A stake: (part, number, title, [axes]); an axis: (number, title, why, [objectives], [indicators]).
PLAN = [
    (
        PART_1,
        1,
        "Faire davantage connaître et reconnaître la médiation sociale",
        [
            (
                1,
                "Auprès des habitants",
                "Faire connaître le métier et permettre une meilleure identification de "
                "l'Agence et de ses champs d'interventions",
                [
                    "diversifier les modalités d'accueil des publics et mettre en œuvre un "
                    "protocole d'accueil pour les nouveaux arrivants",
                    "assister et participer aux forums des associations",
                    "créer des animations (stands de présentation, lieu repère...)",
                    "programmer une journée annuelle de la médiation sociale à Lyon",
                    "développer de nouveaux outils de communication : réseau internet, "
                    "affichage dans les résidences, journaux des partenaires...",
                ],
                [
                    (
                        "nombre d'actions de communication",
                        "community.communication_actions",
                        COUNT,
                        4,
                        40,
                        None,
                    ),
                    (
                        "taux de sollicitation des médiateurs sociaux",
                        "community.solicitation_rate",
                        RATE,
                        0,
                        60,
                        None,
                    ),
                    (
                        "taux de connaissance du dispositif",
                        "community.knows_service_rate",
                        RATE,
                        2,
                        55,
                        None,
                    ),
                    (
                        "taux de connaissance des médiateurs sociaux et des missions",
                        "community.knows_mediators_rate",
                        RATE,
                        1,
                        50,
                        None,
                    ),
                ],
            ),
            (
                2,
                "Auprès des partenaires publics et privés",
                "Favoriser une culture commune de la médiation sociale dans les politiques "
                "publiques et dans le cadre de la responsabilité sociétale des entreprises",
                [
                    "organiser des réunions d'informations, des ateliers de sensibilisation et "
                    "d'acculturation à la médiation sociale, des échanges de pratiques",
                    "développer de nouveaux outils de communication : flyers, rédaction "
                    "d'articles dans les journaux des partenaires, catalogue de prestations de "
                    "médiation sociale...",
                    "permettre la découverte opérationnelle des missions de médiation sociale "
                    "lors d'immersions de terrain",
                ],
                [
                    (
                        "nombre de conventions de partenariat signées",
                        "community.agreements_signed",
                        COUNT,
                        None,
                        6,
                        None,
                    ),
                    (
                        "nombre de rencontres et de suivis de situations",
                        "community.meetings_and_situations",
                        COUNT,
                        0,
                        80,
                        None,
                    ),
                    (
                        "taux de connaissance des missions",
                        "community.knows_missions_rate",
                        RATE,
                        1,
                        60,
                        None,
                    ),
                    (
                        "nombre de présentations, d'immersions",
                        "community.presentations_immersions",
                        COUNT,
                        2,
                        15,
                        None,
                    ),
                ],
            ),
        ],
    ),
    (
        PART_1,
        2,
        "Mobiliser les habitants dans la construction de liens sociaux durables",
        [
            (
                1,
                "L'implication des plus jeunes dans une dynamique de prévention de la "
                "délinquance et de prévention sociale",
                "Mobiliser les moins de 25 ans afin qu'ils soient acteurs de leur avenir et de "
                "leur quartier",
                [
                    "développer de nouvelles approches d'aller-vers pour mieux sensibiliser : "
                    "ateliers citoyenneté sur l'espace public, stand de présentation...",
                    "mobiliser les jeunes à s'investir dans les conseils citoyens, conseils de "
                    "quartier, fêtes de quartiers",
                    "animer des ateliers à destination des plus jeunes en partenariat avec les "
                    "structures des territoires : centres sociaux, MJC, missions locales, "
                    "prévention spécialisée, bibliothèques...",
                ],
                [
                    ("nombre d'actions de mobilisation", "", COUNT, 1, 12, 9),
                    (
                        "nombre d'ateliers citoyenneté",
                        "events.citizenship_workshops",
                        COUNT,
                        0,
                        10,
                        None,
                    ),
                    ("nombre de sensibilisations", "events.awareness_actions", COUNT, 0, 20, None),
                    (
                        "nombre de jeunes bénéficiaires",
                        "events.young_beneficiaries",
                        COUNT,
                        2,
                        150,
                        None,
                    ),
                ],
            ),
            (
                2,
                "Le développement d'actions intergénérationnelles",
                "Contribuer à la création de liens durables et solidaires entre les générations",
                [
                    "réaliser un diagnostic des besoins en recueillant les paroles et "
                    "initiatives d'habitants",
                    "animer des groupes d'échanges type « café médiation »",
                    "animer des ateliers de sensibilisation à la communication",
                ],
                [
                    ("nombre de diagnostics réalisés", "", COUNT, 0, 2, 1),
                    (
                        "traitement des données du diagnostic",
                        "community.voices_to_action",
                        COUNT,
                        0,
                        10,
                        None,
                    ),
                    (
                        "nombre d'actions mises en place",
                        "events.intergenerational_workshops_held",
                        COUNT,
                        2,
                        8,
                        None,
                    ),
                    (
                        "nombre de bénéficiaires",
                        "events.beneficiaries_intergenerational",
                        COUNT,
                        None,
                        300,
                        None,
                    ),
                ],
            ),
            (
                3,
                "La coconstruction d'actions de participation citoyenne",
                "Accompagner les habitants à s'impliquer dans les projets de leurs territoires",
                [
                    "accompagner les habitants à se mobiliser dans des instances collectives : "
                    "promouvoir les actions type « café médiation » ...",
                    "proposer des ateliers pédagogiques de sensibilisation aux techniques de "
                    "médiation sociale (communication, prévention des conflits ...)",
                    "développer les animations citoyennes : sensibilisation au tri, "
                    "encombrants, propreté...",
                ],
                [
                    (
                        "nombre de rencontres avec les habitants",
                        "events.cafe_sessions_held",
                        COUNT,
                        0,
                        20,
                        None,
                    ),
                    (
                        "nombre d'actions/projets mis en place",
                        "events.participation_actions",
                        COUNT,
                        2,
                        20,
                        None,
                    ),
                    (
                        "nombre de bénéficiaires",
                        "events.beneficiaries_participation",
                        COUNT,
                        None,
                        300,
                        None,
                    ),
                ],
            ),
        ],
    ),
    (
        PART_2,
        1,
        "Consolider et développer la médiation sociale comme outil d'une politique de "
        "gestion d'un territoire",
        [
            (
                1,
                "La complémentarité d'action par la formalisation des partenariats",
                "Promouvoir la médiation sociale comme outil complémentaire d'une politique de "
                "prévention sociale et permettre un suivi des actions de médiation sociale avec "
                "les partenaires de l'insertion sociale et professionnelle dans l'intérêt des "
                "publics",
                [
                    "associer et intégrer la médiation sociale dans la construction des projets "
                    "de territoire",
                    "établir un processus de suivi des actions de médiation sociale, en "
                    "particulier pour la mise en relation des publics jeunes",
                    "identifier la médiation sociale au sein des projets de structures "
                    "socioéducatives",
                    "formaliser des conventions de partenariat avec les acteurs de la "
                    "prévention spécialisée et plus largement avec les acteurs de l'insertion "
                    "sociale et professionnelle",
                    "suivre l'application des objectifs fixés dans les conventions",
                ],
                [
                    (
                        "nombre de projets impliquant la médiation sociale",
                        "community.projects",
                        COUNT,
                        0,
                        8,
                        None,
                    ),
                    (
                        "nombre de personnes suivies en lien avec les structures",
                        "community.partner_follow_ups",
                        COUNT,
                        1,
                        120,
                        None,
                    ),
                    (
                        "nombre de conventions signées",
                        "community.prevention_insertion_agreements",
                        COUNT,
                        3,
                        4,
                        None,
                    ),
                    (
                        "nombre d'objectifs atteints",
                        "community.agreement_objectives_met",
                        COUNT,
                        4,
                        10,
                        None,
                    ),
                ],
            ),
            (
                2,
                "La médiation sociale, moteur des projets de résidence",
                "Permettre l'investissement des habitants dans des projets favorisant "
                "l'amélioration du cadre de vie dans leur résidence",
                [
                    "diagnostiquer les besoins de résidences en lien avec nos partenaires "
                    "bailleurs et collectivités",
                    "valoriser la médiation sociale dans le cadre des projets de réhabilitation "
                    "du bâti",
                    "développer les projets de médiation citoyenne dans le cadre des projets de "
                    "résidences",
                    "accompagner la mobilisation des habitants en lien avec les comités de "
                    "locataires",
                    "identifier des locataires référents et les sensibiliser sur les démarches "
                    "de gestion de projets",
                    "impulser la création de groupes de travail thématiques animés par des "
                    "habitants",
                ],
                [
                    (
                        "nombre de projets développés",
                        "community.residence_projects",
                        COUNT,
                        2,
                        4,
                        None,
                    ),
                    ("nombre d'habitants locataires sensibilisés", "", COUNT, 3, 200, 164),
                    (
                        "nombre d'habitants référents suivis",
                        "community.reference_tenants_followed",
                        COUNT,
                        4,
                        15,
                        None,
                    ),
                    (
                        "nombre de groupes de travail engagés",
                        "community.working_groups_engaged",
                        COUNT,
                        5,
                        4,
                        None,
                    ),
                ],
            ),
        ],
    ),
    (
        PART_2,
        2,
        "S'adapter aux besoins des partenaires et des territoires",
        [
            (
                1,
                "Explorer de nouveaux besoins",
                "Innover dans les réponses aux besoins sociaux et de tranquillité",
                [
                    "diagnostiquer des besoins dans de nouveaux domaines (santé, logements "
                    "privés, transport...)",
                    "faire reconnaître la médiation comme solution alternative utile",
                    "répondre aux appels d'offre locaux et régionaux",
                    "formaliser une offre de prestations de médiation « à la demande » dans un "
                    "catalogue dédié",
                ],
                [
                    (
                        "nombre de diagnostics engagés",
                        "community.new_field_diagnoses",
                        COUNT,
                        0,
                        3,
                        None,
                    ),
                    ("nombre de projets développés", "", COUNT, 1, 2, 1),
                    (
                        "nombre de réponses aux appels d'offre",
                        "community.tenders_answered",
                        COUNT,
                        2,
                        4,
                        None,
                    ),
                    (
                        "nombre d'appels d'offre remportés",
                        "community.tenders_won",
                        COUNT,
                        2,
                        2,
                        None,
                    ),
                ],
            ),
            (
                2,
                "Développer les échanges de pratiques autour de thématiques communes",
                "Sensibiliser aux pratiques de médiation favorisant une communication non "
                "violente, responsable et une gestion apaisée des conflits",
                [
                    "développer les axes d'échanges de pratiques auprès de services accueillant "
                    "des publics (CAF, entreprises, bailleurs sociaux et privés...)",
                    "animer des temps d'échanges de pratiques avec les acteurs de territoire "
                    "(personnel de proximité bailleurs, personnel d'accueil service public)",
                ],
                [
                    (
                        "nombre d'heures de formation-échanges de pratiques",
                        "community.practice_exchange_hours",
                        COUNT,
                        1,
                        60,
                        None,
                    ),
                    (
                        "nombre de bénéficiaires",
                        "community.practice_exchange_participants",
                        COUNT,
                        0,
                        120,
                        None,
                    ),
                ],
            ),
        ],
    ),
    (
        PART_3,
        1,
        "Une organisation en mouvement...",
        [
            (
                1,
                "Confirmer et accompagner la nouvelle stratégie managériale",
                "Permettre l'épanouissement des salariés dans une organisation au service de "
                "l'intérêt général et de ses partenaires",
                [
                    "s'appuyer sur le projet de service comme support à l'action de médiation "
                    "sociale et au management des équipes",
                    "développer des pratiques managériales communes et les mettre en œuvre avec "
                    "les équipes",
                    "assurer l'adaptation de la formation professionnelle des médiateurs "
                    "sociaux aux besoins de montée en compétences",
                    "animer des temps de travail inter-équipes",
                ],
                [
                    (
                        "nombre de réunions et groupes de travail",
                        "community.team_meetings",
                        COUNT,
                        3,
                        24,
                        None,
                    ),
                    ("nombre de bénéficiaires", "", COUNT, 2, 40, 34),
                    ("taux de satisfaction", "", RATE, None, 75, 70),
                ],
            ),
            (
                2,
                "Homogénéiser les pratiques et outils",
                "Construire des processus communs répondant aux enjeux de la norme métier",
                [
                    "répertorier les outils existants et les adapter à l'évolution de "
                    "l'activité de médiation sociale (guide des processus, consignes de "
                    "sécurité...)",
                    "créer une charte de règlement des conflits",
                    "organiser des réunions inter-équipes sur la maîtrise et le fonctionnement "
                    "des outils",
                ],
                [
                    ("nombre d'outils adaptés et créés", "", COUNT, 0, 6, 4),
                    (
                        "nombre de rencontres inter-équipes",
                        "community.inter_team_meetings",
                        COUNT,
                        2,
                        6,
                        None,
                    ),
                    ("taux d'utilisation des outils", "", RATE, None, 80, 68),
                ],
            ),
        ],
    ),
    (
        PART_3,
        2,
        "...promouvant la professionnalisation de ses salariés et l'utilité sociale de ses actions",
        [
            (
                1,
                "Accroître les compétences métier en lien avec le référentiel de certification "
                "national",
                "Permettre l'adaptation des compétences à l'évolution du métier et des besoins",
                [
                    "vérifier l'adéquation du référentiel métier interne au référentiel de "
                    "certification national",
                    "perfectionner l'évaluation continue des médiateurs sociaux et créer les "
                    "outils d'évaluation des managers (indicateurs précis)",
                    "assurer la mobilité des médiateurs sociaux dans tous les domaines de "
                    "médiation sociale",
                    "se conformer au référentiel de certification national",
                    "qualifier les médiateurs sociaux dans le domaine de la médiation sociale "
                    "(ex : diplôme TMS en VAE)",
                ],
                [
                    ("taux d'évolution des domaines de compétences acquis", "", RATE, 1, 20, 14),
                    (
                        "nombre d'immersions inter-équipes",
                        "community.inter_team_immersions",
                        COUNT,
                        2,
                        8,
                        None,
                    ),
                    ("nombre de salariés ayant évolué dans les compétences", "", COUNT, 4, 10, 7),
                    (
                        "taux de satisfaction, de motivation et de reconnaissance",
                        "",
                        RATE,
                        None,
                        75,
                        71,
                    ),
                ],
            ),
            (
                2,
                "Favoriser une dynamique d'évaluation de l'utilité sociale en continu",
                "Montrer l'impact et la valeur ajoutée de la médiation sociale",
                [
                    "engager une évaluation sur la base des enjeux du projet de service",
                    "identifier des indicateurs précis et mesurables dans les domaines de la "
                    "prévention de la délinquance et de la cohésion sociale",
                    "permettre un suivi de l'action en continu",
                    "adapter les actions de médiation",
                ],
                [
                    (
                        "nombre d'indicateurs identifiés",
                        "community.plan_indicators",
                        COUNT,
                        1,
                        40,
                        None,
                    ),
                    (
                        "taux d'objectifs opérationnels atteints",
                        "community.plan_objectives_reached",
                        RATE,
                        None,
                        50,
                        None,
                    ),
                    (
                        "nombre d'actions correctives mises en place",
                        "community.corrective_actions",
                        COUNT,
                        3,
                        3,
                        None,
                    ),
                ],
            ),
        ],
    ),
]

# (objective text, decided on, who, what, outcome): decided in 2016 after the evaluation.
CORRECTIVE_ACTIONS = [
    (
        "assister et participer aux forums des associations",
        "2016-09-15",
        "Managers Lyon 8 et Lyon 9",
        "Présence renforcée aux forums des associations de rentrée, avec un stand de "
        "présentation tenu par deux médiateurs.",
        "Deux forums couverts en septembre 2016.",
    ),
    (
        "animer des groupes d'échanges type « café médiation »",
        "2016-11-08",
        "Équipe Lyon 8",
        "Déplacer le Café Médiation des États-Unis en fin d'après-midi pour toucher les "
        "habitants qui travaillent.",
        "",
    ),
]


def target_for(base, kind, offset: int):
    """The 2016 target grown each year of the plan: +10 % for a count, +2 points for a rate."""
    if kind == RATE:
        return min(100, base + 2 * offset)
    return max(base + offset, round(base * 1.1**offset))


@transaction.atomic
def seed() -> ServicePlan:
    plan, _ = ServicePlan.objects.get_or_create(
        title=TITLE, defaults={"start_year": 2017, "end_year": 2019}
    )
    objectives_by_text = {}
    for stake_order, (part, number, title, axes) in enumerate(PLAN):
        stake, _ = Stake.objects.update_or_create(
            plan=plan,
            part=part,
            number=number,
            defaults={"title": title, "sort_order": stake_order},
        )
        for axis_order, (axis_number, axis_title, why, objectives, indicators) in enumerate(axes):
            axis, _ = Axis.objects.update_or_create(
                stake=stake,
                number=axis_number,
                defaults={"title": axis_title, "why": why, "sort_order": axis_order},
            )
            objective_rows = []
            for order, text in enumerate(objectives):
                objective, _ = Objective.objects.update_or_create(
                    axis=axis, text=text, defaults={"sort_order": order}
                )
                objective_rows.append(objective)
                objectives_by_text.setdefault(text, objective)
            for order, (label, key, kind, measured, target, figure) in enumerate(indicators):
                indicator, _ = PlanIndicator.objects.update_or_create(
                    axis=axis,
                    label=label,
                    defaults={
                        "computed_key": key,
                        "kind": kind,
                        "objective": None if measured is None else objective_rows[measured],
                        "sort_order": order,
                    },
                )
                for offset, year in enumerate(YEARS):
                    IndicatorTarget.objects.get_or_create(
                        indicator=indicator,
                        year=year,
                        territory=None,
                        defaults={"value": target_for(target, kind, offset)},
                    )
                if key:
                    # Now computed from the records: a figure typed by an earlier demo goes.
                    IndicatorFigure.objects.filter(indicator=indicator).delete()
                if figure is not None:
                    IndicatorFigure.objects.get_or_create(
                        indicator=indicator,
                        year=BASELINE_YEAR,
                        territory=None,
                        defaults={"value": figure, "source": BASELINE_SOURCE},
                    )
    for text, date, who, what, outcome in CORRECTIVE_ACTIONS:
        CorrectiveAction.objects.get_or_create(
            objective=objectives_by_text[text],
            what=what,
            defaults={"decided_on": date, "who": who, "outcome": outcome},
        )
    return plan
