"""What the community app contributes to the registries: the person's own fields, and the
count of persons the agency got in touch with."""

from django.utils.translation import gettext_lazy as _

from .registries import Indicator, indicators, personal_data


def export_person(person) -> dict:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "age_band": person.age_band,
        "territory": person.territory.name if person.territory_id else None,
        "created_at": person.created_at.isoformat(),
    }


def erase_person(person) -> None:
    # The Person row itself is blanked by services.anonymise_person, after every other eraser.
    return None


def count_new_persons(period, territory_ids=None) -> int:
    from .models import Person

    queryset = Person.objects.filter(
        created_at__date__gte=period.start, created_at__date__lte=period.end
    )
    if territory_ids is not None:
        queryset = queryset.filter(territory_id__in=list(territory_ids))
    return queryset.count()


def register_community() -> None:
    if "community.person" not in personal_data.handlers:
        personal_data.register("community.person", export=export_person, erase=erase_person)
    if "community.new_persons" not in indicators.items:
        indicators.register(
            Indicator(
                key="community.new_persons",
                label=_("Personnes nouvellement en contact"),
                definition=_(
                    "Nombre de personnes enregistrées pour la première fois pendant la période."
                ),
                compute=count_new_persons,
                section=_("Bénéficiaires"),
            )
        )
