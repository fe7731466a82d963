"""factory_boy factories for the core records."""

from django.contrib.auth.models import Group

import factory

from community import roles
from community.models import AgeBand, Organisation, Person, Residence, Territory, User

PASSWORD = "un-mot-de-passe-solide-42"  # noqa: S105


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Territoire {n}")
    slug = factory.Sequence(lambda n: f"territoire-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.PARTNER


class LandlordFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Bailleur {n}")
    kind = Organisation.Kind.LANDLORD


class ResidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Residence

    name = factory.Sequence(lambda n: f"Résidence {n}")
    territory = factory.SubFactory(TerritoryFactory)
    landlord = factory.SubFactory(LandlordFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Alex"
    last_name = "Martin"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class StaffFactory(UserFactory):
    """A staff user in a role (roles.MEDIATOR by default) working in `territories`."""

    is_staff = True

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            roles.sync_roles()
            obj.groups.add(Group.objects.get(name=extracted or roles.MEDIATOR))

    @factory.post_generation
    def territories(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.territories.set(extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = "Habitant"
    email = factory.Sequence(lambda n: f"habitant{n}@exemple.fr")
    age_band = AgeBand.ADULT
    territory = factory.SubFactory(TerritoryFactory)


# -- events -------------------------------------------------------------------------------------
import datetime as _dt  # noqa: E402

from django.utils import timezone as _timezone  # noqa: E402

from events.models import Audience, Event, EventKind  # noqa: E402


class EventFactory(factory.django.DjangoModelFactory):
    """A published event next week (pass live=False for a draft)."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Café médiation n° {n}")
    kind = EventKind.CAFE_MEDIATION
    audience = Audience.EVERYONE
    territory = factory.SubFactory(TerritoryFactory)
    venue_name = "Salle des fêtes"
    venue_address = "1 rue de la Paix, 69008 Lyon"
    start = factory.LazyFunction(lambda: _timezone.now() + _dt.timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + _dt.timedelta(hours=2))
    live = True


# --- Community records -------------------------------------------------------------------------
from community.models import (  # noqa: E402
    FollowUp,
    JoinRequest,
    ReferenceTenant,
    ResidenceDiagnosis,
    TrainingTopic,
    Voice,
    VoiceTheme,
    WorkingGroup,
)


class TrainingTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingTopic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Sensibilisation {n}")


class VoiceThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoiceTheme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Thème {n}")


class ReferenceTenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceTenant

    residence = factory.SubFactory(ResidenceFactory)
    person = factory.SubFactory(
        PersonFactory, territory=factory.SelfAttribute("..residence.territory")
    )


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    reference_tenant = factory.SubFactory(ReferenceTenantFactory)
    kind = FollowUp.Kind.MEETING
    note = factory.Sequence(lambda n: f"Note de suivi {n}")


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        skip_postgeneration_save = True

    theme = factory.Sequence(lambda n: f"Groupe {n}")
    territory = factory.SubFactory(TerritoryFactory)
    status = WorkingGroup.Status.ACTIVE


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    working_group = factory.SubFactory(WorkingGroupFactory)
    name = factory.Sequence(lambda n: f"Demandeur {n}")
    email = factory.Sequence(lambda n: f"demande{n}@exemple.fr")
    consent = True


class ResidenceDiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidenceDiagnosis

    residence = factory.SubFactory(ResidenceFactory)
    needs = factory.Sequence(lambda n: f"Besoins relevés {n}")


class VoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Voice

    text = factory.Sequence(lambda n: f"Parole d'habitant {n}")
    territory = factory.SubFactory(TerritoryFactory)
