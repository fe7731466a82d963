"""The permission harness: the roles every access rule is checked for, the world they are
checked in, and the helper that proves a page carries no data of a territory its reader may not
see. Rows of (URL, role -> expected status) live in tests/permissions/table.py."""

from dataclasses import dataclass, field

from community import permissions, roles
from community.models import Territory
from tests import factories

ANONYMOUS = "anonymous"
RESIDENT = "resident"
COMMUNICATION = "communication"
MEDIATOR_LYON_8 = "mediator_lyon_8"
MEDIATOR_LYON_9 = "mediator_lyon_9"
MANAGER = "manager"
ROLES = (ANONYMOUS, RESIDENT, COMMUNICATION, MEDIATOR_LYON_8, MEDIATOR_LYON_9, MANAGER)
STAFF_ROLES = (COMMUNICATION, MEDIATOR_LYON_8, MEDIATOR_LYON_9, MANAGER)


@dataclass
class World:
    """The territories of the service plan, one user per role, and per territory some records
    whose names must never reach a reader who may not see that territory."""

    territories: dict[str, Territory]
    users: dict[str, object]
    # territory name -> strings that belong to that territory (its records' names)
    markers: dict[str, list[str]] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def add_marker(self, territory: str, text: str) -> None:
        self.markers.setdefault(territory, []).append(text)


def build_world() -> World:
    territories = {
        name: factories.TerritoryFactory(name=name, slug=slug)
        for name, slug in [
            ("Lyon 7", "lyon-7"),
            ("Lyon 8", "lyon-8"),
            ("Lyon 9", "lyon-9"),
            ("EMH", "emh"),
        ]
    }
    users = {
        ANONYMOUS: None,
        RESIDENT: factories.UserFactory(email="habitante@exemple.fr"),
        COMMUNICATION: factories.StaffFactory(
            email="communication@exemple.fr", role=roles.COMMUNICATION
        ),
        MEDIATOR_LYON_8: factories.StaffFactory(
            email="mediatrice8@exemple.fr", role=roles.MEDIATOR, territories=[territories["Lyon 8"]]
        ),
        MEDIATOR_LYON_9: factories.StaffFactory(
            email="mediateur9@exemple.fr", role=roles.MEDIATOR, territories=[territories["Lyon 9"]]
        ),
        MANAGER: factories.StaffFactory(email="direction@exemple.fr", role=roles.MANAGER),
    }
    world = World(territories=territories, users=users)
    for name, residence in [
        ("Lyon 7", "Résidence André Bollier"),
        ("Lyon 8", "Résidence Albert Laurent"),
        ("Lyon 9", "Résidence Le Château"),
        ("EMH", "Résidence Cours Bayard"),
    ]:
        world.objects[residence] = factories.ResidenceFactory(
            name=residence, territory=territories[name]
        )
        world.add_marker(name, residence)
    return world


def login_as(client, world: World, role: str):
    user = world.users[role]
    client.logout()
    if user is not None:
        client.force_login(user)
    return user


def foreign_strings(world: World, user) -> list[str]:
    """What `user` must never read: the names and records of the territories they may not see."""
    forbidden = []
    for name, territory in world.territories.items():
        if user is None or not permissions.can_see_territory(user, territory):
            forbidden.append(name)
            forbidden.extend(world.markers.get(name, []))
    return forbidden


def assert_no_foreign_territory_data(response, user, world: World | None = None, forbidden=()):
    """Fail when the response body names a territory `user` may not see (from the database when
    no world is given), or any of the extra `forbidden` strings."""
    body = response.content.decode()
    if world is not None:
        strings = foreign_strings(world, user)
    else:
        visible = (
            set(permissions.visible_territories(user).values_list("pk", flat=True))
            if user
            else set()
        )
        strings = [t.name for t in Territory.objects.exclude(pk__in=visible)]
    strings = [*strings, *forbidden]
    leaked = [text for text in strings if text in body]
    assert not leaked, (
        f"{response.request['PATH_INFO']} shows {leaked} to "
        f"{getattr(user, 'email', 'an anonymous visitor')}"
    )
