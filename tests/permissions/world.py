"""The world the generated permission test runs in: the demo site, one user per role, and in
Lyon 8 and Lyon 9 one record of every model that carries personal or territorial data, each
with a marker string in its labels ("MK-l9-voice-KM") and the set of roles allowed to read it.

A page a role may open must show no marker of a record outside its audience; a request a role
may send must leave every record outside its audience as it was (see `fingerprint`).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from tests import factories
from tests.permissions.harness import (
    COMMUNICATION,
    MANAGER,
    MEDIATOR_LYON_8,
    MEDIATOR_LYON_9,
    RESIDENT,
    build_world,
)

LYON_8, LYON_9 = "Lyon 8", "Lyon 9"
CODES = {LYON_8: "l8", LYON_9: "l9"}
MEDIATOR_OF = {LYON_8: MEDIATOR_LYON_8, LYON_9: MEDIATOR_LYON_9}
# The territory whose records a role must not reach, and the one it works in (for the mixed
# `?id=<own>&id=<foreign>` bulk requests). Roles without a territory try Lyon 9's records.
FOREIGN = {MEDIATOR_LYON_8: LYON_9, MEDIATOR_LYON_9: LYON_8}
OWN = {MEDIATOR_LYON_8: LYON_8, MEDIATOR_LYON_9: LYON_9}


def marker(territory: str | None, kind: str) -> str:
    return f"MK-{CODES.get(territory, 'all')}-{kind}-KM"


@dataclass
class Record:
    obj: object
    audience: frozenset[str]
    markers: tuple[str, ...] = ()


@dataclass
class GeneratedWorld:
    users: dict[str, object]
    territories: dict[str, object]
    # (key, territory name or None) -> Record
    records: dict[tuple[str, str | None], Record] = field(default_factory=dict)
    build_seconds: float = 0.0
    media_root: object = None

    def add(self, key, territory, obj, audience, *markers) -> object:
        self.records[(key, territory)] = Record(obj, frozenset(audience), tuple(markers))
        return obj

    def get(self, key: str, territory: str | None = None):
        if (key, territory) in self.records:
            return self.records[(key, territory)].obj
        return self.records[(key, None)].obj

    def foreign(self, key: str, role: str):
        """The `key` record a `role` must not reach: another territory's for a mediator; Lyon 9's
        for everyone else (a manager may reach it: the test then only checks for errors)."""
        return self.get(key, FOREIGN.get(role, LYON_9))

    def own(self, key: str, role: str):
        return self.get(key, OWN.get(role, LYON_8))

    def forbidden_markers(self, role: str) -> list[str]:
        return [m for r in self.records.values() if role not in r.audience for m in r.markers]

    def all_markers(self) -> list[str]:
        return [m for r in self.records.values() for m in r.markers]

    def fingerprint(self, role: str) -> dict[tuple[str, int], str | None]:
        """Every column of every record `role` may not touch, in one query: a digest per row
        (None once the row is gone)."""
        by_table: dict[str, set[int]] = {}
        for record in self.records.values():
            if role in record.audience or not hasattr(record.obj, "_meta"):
                continue
            meta = record.obj._meta
            if meta.proxy or meta.parents:  # pages: several tables, left to the page views
                continue
            by_table.setdefault(meta.db_table, set()).add(record.obj.pk)
        expected = {(table, pk): None for table, pks in by_table.items() for pk in pks}
        if not by_table:
            return expected
        quote = connection.ops.quote_name
        # Table names come from the models' _meta, never from a request.
        selects = [
            f"SELECT %s, t.id, md5(t::text) FROM {quote(table)} t WHERE t.id = ANY(%s)"  # noqa: S608
            for table in by_table
        ]
        sql = " UNION ALL ".join(selects)
        params = [p for table, pks in by_table.items() for p in (table, sorted(pks))]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            expected.update({(table, pk): digest for table, pk, digest in cursor.fetchall()})
        return expected


def build_generated_world() -> GeneratedWorld:
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.log_actions import log
    from wagtail.models import Collection, Locale, Page, Site, Task, Workflow

    from cms.demo import site as demo
    from cms.models import (
        Campaign,
        FormPage,
        NewsletterTopic,
        StandRequest,
        Submission,
        Subscription,
        Testimonial,
    )
    from cms.models.mediation_day import MediationDayPage
    from community import services as community_services
    from community.models import (
        Axis,
        CallForTender,
        CommunicationAction,
        DataRequest,
        ImportJob,
        IndicatorFigure,
        Intervention,
        InterventionKind,
        KnowledgeSurveyAnswer,
        Objective,
        Organisation,
        PartnerFollowUp,
        PartnerMeeting,
        PartnershipAgreement,
        PlanIndicator,
        Project,
        ServicePlan,
        Stake,
        TeamActivity,
        TenantCommittee,
    )
    from events.models import CafeSeries, SeatGroup, SeriesFollow, Topic
    from events.models.bookings import Booking, Participant, Registration
    from events.models.outbox import OutboxMessage
    from events.models.programme import Programme
    from tests.cms.newsletter_helpers import issue_page

    base = build_world()  # territories, one user per role
    home = demo.seed()  # the whole demo site (form pages, mediation day), Communication's rights
    world = GeneratedWorld(users=base.users, territories=base.territories)
    users = base.users
    everyone_staff = {COMMUNICATION, MEDIATOR_LYON_8, MEDIATOR_LYON_9, MANAGER}
    newcomer_page = FormPage.objects.get(kind=FormPage.Kind.NEWCOMER)
    kind = InterventionKind.objects.filter(active=True).order_by("pk").first()
    today = timezone.localdate()

    # The service plan: the agency's, read by mediators and managers; its typed figures belong
    # to a territory.
    field_staff = {MANAGER, MEDIATOR_LYON_8, MEDIATOR_LYON_9}
    plan = ServicePlan.objects.create(title="Projet de service", start_year=2017, end_year=2019)
    stake = Stake.objects.create(plan=plan, title="Faire connaître la médiation sociale")
    axis = Axis.objects.create(stake=stake, title="Auprès des habitants")
    objective = Objective.objects.create(axis=axis, text="Participer aux forums")
    plan_indicator = PlanIndicator.objects.create(
        axis=axis, objective=objective, label="Nombre d'actions de communication"
    )
    issuer = factories.OrganisationFactory(name="Métropole")
    world.add(
        "callfortender",
        None,
        CallForTender.objects.create(title="Médiation santé", issuer=issuer, answered_on=today),
        {MANAGER},
    )
    world.add(
        "teamactivity",
        None,
        TeamActivity.objects.create(kind=TeamActivity.Kind.TRAINING, subject="Formation"),
        {MANAGER},
    )
    for key, obj in (
        ("serviceplan", plan),
        ("stake", stake),
        ("axis", axis),
        ("objective", objective),
        ("planindicator", plan_indicator),
    ):
        world.add(key, None, obj, field_staff)

    for name in (LYON_8, LYON_9):
        territory = base.territories[name]
        audience = {MANAGER, MEDIATOR_OF[name]}
        mediator = users[MEDIATOR_OF[name]]
        world.add("territory", name, territory, everyone_staff)

        def add(key, obj, *markers, audience=audience, name=name):
            return world.add(key, name, obj, audience, *markers)

        residence = add(
            "residence",
            factories.ResidenceFactory(name=marker(name, "residence"), territory=territory),
            marker(name, "residence"),
        )
        person = add(
            "person",
            factories.PersonFactory(
                first_name=marker(name, "person"),
                email=f"mk-{CODES[name]}-person@exemple.fr",
                phone=f"06120000{CODES[name][1]}1",
                territory=territory,
            ),
            marker(name, "person"),
        )
        phone_only = add(
            "phone_person",
            factories.PersonFactory(
                first_name=marker(name, "phoneperson"),
                email=None,
                phone=f"06120000{CODES[name][1]}2",
                territory=territory,
            ),
            marker(name, "phoneperson"),
        )
        tenant_person = add(
            "tenant_person",
            factories.PersonFactory(first_name=marker(name, "tenant"), territory=territory),
            marker(name, "tenant"),
        )
        tenant = add(
            "referencetenant",
            factories.ReferenceTenantFactory(residence=residence, person=tenant_person),
        )
        follow_up = add(
            "followup",
            factories.FollowUpFactory(
                reference_tenant=tenant, note=marker(name, "followup"), mediator=mediator
            ),
            marker(name, "followup"),
        )
        add(
            "indicatorfigure",
            IndicatorFigure.objects.create(
                indicator=plan_indicator,
                year=2016,
                territory=territory,
                value=7,
                source=marker(name, "figure"),
            ),
            marker(name, "figure"),
        )
        # "who opened which follow-up": an audit entry the site history must not show around
        community_services.log_follow_up_opened(follow_up, mediator)
        group = add(
            "workinggroup",
            factories.WorkingGroupFactory(theme=marker(name, "group"), territory=territory),
            marker(name, "group"),
        )
        add(
            "joinrequest",
            factories.JoinRequestFactory(
                working_group=group,
                name=marker(name, "joinrequest"),
                email=f"mk-{CODES[name]}-join@exemple.fr",
            ),
            marker(name, "joinrequest"),
        )
        add(
            "residencediagnosis",
            factories.ResidenceDiagnosisFactory(
                residence=residence, needs=marker(name, "diagnosis")
            ),
            marker(name, "diagnosis"),
        )
        add(
            "voice",
            factories.VoiceFactory(
                text=marker(name, "voice"),
                territory=territory,
                contact_consent=True,
                contact_name=marker(name, "voicecontact"),
            ),
            marker(name, "voice"),
            marker(name, "voicecontact"),
        )
        add(
            "intervention",
            Intervention.objects.create(
                kind=kind, territory=territory, residence=residence, date=today
            ),
        )
        # The plan's activity records (community.activities), one of each per territory.
        partner = factories.OrganisationFactory(name=f"Partenaire {name}")
        add(
            "partnershipagreement",
            PartnershipAgreement.objects.create(
                partner=partner,
                kind=PartnershipAgreement.Kind.BILATERAL,
                title=marker(name, "agreement"),
                territory=territory,
                signed_on=today,
                starts_on=today,
            ),
            marker(name, "agreement"),
        )
        add(
            "project",
            Project.objects.create(
                title=marker(name, "project"),
                kind=Project.Kind.RESIDENCE,
                territory=territory,
                residence=residence,
                starts_on=today,
            ),
            marker(name, "project"),
        )
        add(
            "partnermeeting",
            PartnerMeeting.objects.create(
                kind=PartnerMeeting.Kind.PRESENTATION,
                territory=territory,
                subject=marker(name, "meeting"),
            ),
            marker(name, "meeting"),
        )
        add(
            "partnerfollowup",
            PartnerFollowUp.objects.create(
                partner=partner,
                territory=territory,
                age_band="15-24",
                reason=marker(name, "partnerfollowup"),
                person=person,
                consent_method="oral",
            ),
            marker(name, "partnerfollowup"),
        )
        add(
            "communicationaction",
            CommunicationAction.objects.create(
                kind=CommunicationAction.Kind.POSTERS,
                territory=territory,
                description=marker(name, "communication"),
            ),
            marker(name, "communication"),
        )
        add(
            "tenantcommittee",
            TenantCommittee.objects.create(
                name=marker(name, "committee"), territory=territory, supported_from=today
            ),
            marker(name, "committee"),
        )
        add(
            "knowledgesurveyanswer",
            KnowledgeSurveyAnswer.objects.create(
                territory=territory,
                knows_service=True,
                knows_mediators=False,
                knows_missions=False,
                has_called_on=False,
            ),
        )
        event = add(
            "event",
            factories.EventFactory(title=marker(name, "event"), territory=territory, live=False),
            marker(name, "event"),
            # Events are what Communication publishes (agenda blocks, pages): not personal data.
            audience={*audience, COMMUNICATION},
        )
        # A published event open for sign-ups, where the assisted sign-up's search is shown.
        world.add(
            "open_event",
            name,
            factories.EventFactory(title=f"Café ouvert {name}", territory=territory),
            everyone_staff,
        )
        event.organisers.add(mediator)
        event.save_revision(user=mediator)
        booking = add(
            "booking",
            Booking.objects.create(
                person=person,
                consent_text="J'accepte.",
                access_needs=marker(name, "accessneeds"),
            ),
            marker(name, "accessneeds"),
        )
        registration = add(
            "registration",
            Registration.objects.create(
                booking=booking,
                event=event,
                person=person,
                status=Registration.Status.CONFIRMED,
                seats=1,
            ),
        )
        add(
            "participant",
            Participant.objects.create(
                registration=registration, first_name=marker(name, "participant"), age_band="0-14"
            ),
            marker(name, "participant"),
        )
        add(
            "outbox",
            OutboxMessage.objects.create(
                kind=OutboxMessage.Kind.CONFIRMATION,
                channel=OutboxMessage.Channel.CALL,
                person=phone_only,
                registration=registration,
                to_phone=phone_only.phone,
                subject=marker(name, "outbox"),
                body_text=marker(name, "outboxbody"),
                dedup_key=f"permissions-{CODES[name]}",
            ),
            marker(name, "outbox"),
            marker(name, "outboxbody"),
        )
        series = add(
            "cafeseries",
            CafeSeries.objects.create(
                title=marker(name, "series"),
                territory=territory,
                venue_name="Salle",
                frequency="weekly",
                start_date=today,
                start_time=dt.time(14),
                end_time=dt.time(16),
            ),
            marker(name, "series"),
        )
        add(
            "topic",
            Topic.objects.create(series=series, person=person, text=marker(name, "topic")),
            marker(name, "topic"),
        )
        add(
            "seriesfollow",
            SeriesFollow.objects.create(
                series=series,
                person=add(
                    "follower",
                    factories.PersonFactory(
                        first_name=marker(name, "follower"), territory=territory
                    ),
                    marker(name, "follower"),
                ),
                age_band="25-59",
                consent_text="J'accepte.",
            ),
        )
        add(
            "seatgroup",
            SeatGroup.objects.create(
                event=event, label=marker(name, "seats"), age_bands=["60+"], capacity=4
            ),
            marker(name, "seats"),
        )
        add(
            "submission",
            Submission.objects.create(
                page=newcomer_page,
                territory=territory,
                form_data={
                    "nom_et_prenom": marker(name, "submission"),
                    "telephone": f"06120000{CODES[name][1]}3",
                },
            ),
            marker(name, "submission"),
        )
        subscriber = add(
            "subscriber",
            factories.PersonFactory(first_name=marker(name, "subscriber"), territory=territory),
            marker(name, "subscriber"),
            audience={MANAGER, COMMUNICATION, MEDIATOR_OF[name]},
        )
        add(
            "subscription",
            Subscription.objects.create(
                person=subscriber,
                state=Subscription.State.ACTIVE,
                source=Subscription.Source.ONLINE,
                consent_text="oui",
            ),
            audience={MANAGER, COMMUNICATION},
        )
        add(
            "importjob",
            ImportJob.objects.create(
                kind="residences",
                original_name=f"{marker(name, 'import')}.csv",
                file="imports/x.csv",
                created_by=mediator,
            ),
            marker(name, "import"),
        )
        add(
            "datarequest",
            DataRequest.objects.create(
                person=person, kind="access", channel="letter", details=marker(name, "request")
            ),
            marker(name, "request"),
            audience={MANAGER},
        )
        # Every record in the site history, as the admin would log it.
        for key in ("voice", "referencetenant", "workinggroup", "joinrequest", "event"):
            log(world.get(key, name), "wagtail.create", user=mediator)

    def shared(key, obj, audience=everyone_staff, *markers):
        return world.add(key, None, obj, audience, *markers)

    day_page = MediationDayPage.objects.first()
    shared(
        "standrequest",
        StandRequest.objects.create(
            page=day_page,
            organisation_name=marker(None, "stand"),
            contact_name=marker(None, "standcontact"),
            contact_email="stand@exemple.fr",
            consent_text="ok",
        ),
        {MANAGER, COMMUNICATION},
        marker(None, "stand"),
        marker(None, "standcontact"),
    )
    shared("programme", Programme.objects.order_by("pk").first())
    shared("testimonial", Testimonial.objects.order_by("pk").first() or _testimonial())
    shared("organisation", Organisation.objects.order_by("pk").first())
    shared("newslettertopic", NewsletterTopic.objects.get_or_create(name="Vie locale")[0])
    shared("interventionkind", kind)
    shared("trainingtopic", factories.TrainingTopicFactory(name="Tri sélectif"))
    shared("voicetheme", factories.VoiceThemeFactory(name="Cadre de vie"))
    issue = issue_page(home)
    shared("newsletter_issue", issue)
    shared(
        "campaign",
        Campaign.objects.create(page=issue, state=Campaign.State.SCHEDULED, created_by=None),
    )
    # Page screens act on a plain page: deleting the newcomer form page takes its submissions
    # with it, which is the right to publish pages rather than a way into another territory.
    shared("page", Page.objects.get(slug="mentions-legales"))
    shared("newcomer_page", newcomer_page)
    shared("home_page", home)
    shared("site", Site.objects.get(is_default_site=True))
    shared("locale", Locale.get_default())
    shared("collection", Collection.get_first_root_node())
    shared("workflow", Workflow.objects.order_by("pk").first())
    shared("task", Task.objects.order_by("pk").first())
    shared("group", Group.objects.get(name="Mediator"))
    shared("user", users[RESIDENT])
    shared("redirect", Redirect.objects.create(old_path="/ancienne-page", redirect_link="/"))
    image = get_image_model().objects.create(title="Image", file=get_test_image_file())
    shared("image", image)
    document = get_document_model().objects.create(title="Document", file="documents/x.pdf")
    shared("document", document)
    return world


def _testimonial():
    from cms.models import Testimonial

    return Testimonial.objects.create(first_name="Awa", role="Habitante", quote="Merci.")
