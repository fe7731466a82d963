"""Load the demo content from the agency's service plan. Safe to run again: nothing doubles."""

import os

from django.core.management.base import BaseCommand

from cms.demo import site as cms_demo
from cms.demo.newsletter import seed_newsletter
from cms.models.agenda import seed_agenda
from community.demo import activities as demo_activities
from community.demo import interventions as demo_interventions
from community.demo import plan as demo_plan
from community.demo import records as community_demo
from events.demo import activity as demo_activity
from events.demo import events as events_demo

DEFAULT_PASSWORD = "demo-vivre-ensemble"  # noqa: S105 -- demo accounts of the embedded default


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (territoires, bailleurs, résidences, comptes, site)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD),
            help="Password of the demo accounts created now (existing ones keep theirs).",
        )

    def handle(self, *args, password, **options):
        community = community_demo.seed(password)
        events_demo.seed()
        demo_interventions.seed()
        demo_plan.seed()
        demo_activities.seed()
        demo_activity.seed()
        events_demo.seed_series()
        home = cms_demo.seed()
        agenda = seed_agenda(home)
        seed_newsletter(home, agenda)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(community['territories'])} territories, "
                f"{len(community['organisations'])} organisations."
            )
        )
        self.stdout.write(f"Admin login: {community_demo.ADMIN_EMAIL} / password: {password}")
