"""The evaluation annex's categories of interventions: the kinds a fresh installation starts
with (a data migration creates them; managers edit the list afterwards)."""

# (code, name, mission, parent code or None)
DEFAULT_KINDS = [
    ("gestion-conflits", "Gestion de conflits", "conflict", None),
    ("conflit-temps-reel", "Gestion de conflit en temps réel", "conflict", "gestion-conflits"),
    ("conflit-temps-differe", "Suivi de conflit en temps différé", "conflict", "gestion-conflits"),
    ("table-ronde", "Table ronde", "conflict", "gestion-conflits"),
    ("rappel-regle", "Rappel à la règle", "conflict", None),
    ("sensibilisation", "Sensibilisation", "conflict", None),
    ("concertation", "Concertation d'habitants", "conflict", None),
    ("fiche-liaison", "Fiche de liaison", "conflict", None),
    ("mise-en-relation", "Mise en relation", "partnership", None),
    ("facilitation-projet", "Facilitation de projet", "partnership", None),
    ("aide-physique", "Aide physique", "assistance", None),
    ("aide-morale", "Aide morale", "assistance", None),
    ("aide-administrative", "Aide administrative", "assistance", None),
    ("ecoute-active", "Écoute active", "assistance", None),
    ("veille-technique", "Veille technique", "technical_watch", None),
    ("transmission-bailleur", "Transmission au bailleur", "technical_watch", "veille-technique"),
    ("securisation", "Sécurisation", "technical_watch", "veille-technique"),
]


def create_default_kinds(kind_model) -> dict:
    """Create the missing default kinds; return {code: kind}. Safe to run twice."""
    kinds = {}
    for order, (code, name, mission, parent) in enumerate(DEFAULT_KINDS):
        kinds[code], _ = kind_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "mission": mission,
                "parent": kinds.get(parent),
                "sort_order": order * 10,
            },
        )
    return kinds
