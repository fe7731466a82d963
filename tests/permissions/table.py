"""Who may open what: one row per URL, the status each role gets.

Every new page or staff screen appends its rows to ROWS (a URL may be a
callable taking the World of tests/permissions/harness.py, for URLs with ids). A row marked
`scoped` is a page whose content depends on territories: for every role that gets a 200, its body
is checked to carry no data of a territory the role may not see.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.permissions.harness import (
    ANONYMOUS,
    COMMUNICATION,
    MANAGER,
    MEDIATOR_LYON_8,
    MEDIATOR_LYON_9,
    RESIDENT,
)


@dataclass(frozen=True)
class Row:
    url: str | Callable
    expected: dict[str, int]
    scoped: bool = False
    method: str = "get"
    name: str = ""

    def id(self) -> str:
        return self.name or (self.url if isinstance(self.url, str) else self.url.__name__)


def every(status: int, **overrides: int) -> dict[str, int]:
    """The same status for every role, with per-role exceptions."""
    statuses = dict.fromkeys(
        (ANONYMOUS, RESIDENT, COMMUNICATION, MEDIATOR_LYON_8, MEDIATOR_LYON_9, MANAGER), status
    )
    statuses.update(overrides)
    return statuses


def staff_only(status: int = 200, **overrides: int) -> dict[str, int]:
    """Staff get `status`; anonymous visitors and residents are sent to the login."""
    return every(status, anonymous=302, resident=302, **overrides)


def signed_in(status: int = 200, **overrides: int) -> dict[str, int]:
    return every(status, anonymous=302, **overrides)


def data_request_url(world) -> str:
    from community.models import DataRequest
    from tests import factories

    person = factories.PersonFactory(territory=world.territories["Lyon 9"])
    data_request = DataRequest.objects.create(person=person, kind="access", channel="letter")
    return f"/admin/confidentialite/demandes/{data_request.pk}/"


ROWS: list[Row] = [
    # Public site and the single login door.
    Row("/", every(200)),
    Row("/accounts/login/", every(302, anonymous=200)),
    Row("/accounts/signup/", every(302, anonymous=200)),
    Row("/accounts/login/code/", every(302, anonymous=200)),
    Row("/accounts/password/reset/", every(200)),
    Row("/admin/login/", every(302)),
    Row("/accounts/email/", signed_in()),
    Row("/accounts/2fa/", signed_in()),
    # The admin (Wagtail): staff in a role only.
    Row("/admin/", staff_only(), scoped=True),
    Row(
        "/admin/snippets/community/residence/",
        staff_only(communication=302),
        scoped=True,
    ),
    Row("/admin/snippets/community/territory/", staff_only(communication=302), scoped=True),
    Row("/admin/pages/", staff_only(302, communication=200)),
    # Sign-up: a resident's own registrations; staff get theirs (usually none).
    Row("/evenements/mes-inscriptions/", signed_in()),
    # Mediators' pages: staff in a role with the registration permissions.
    Row("/equipe/", every(200, anonymous=302, resident=403, communication=403), scoped=True),
    Row("/equipe/appels/", every(200, anonymous=302, resident=403, communication=403), scoped=True),
    # Community records: no personal data for Communication.
    Row(
        "/admin/snippets/community/referencetenant/",
        staff_only(communication=302),
        scoped=True,
    ),
    Row("/admin/snippets/community/voice/", staff_only(communication=302), scoped=True),
    Row("/admin/community/import/", staff_only(communication=302)),
    # Privacy: the resident's account area; the data requests, retention preview and
    # audit list are for managers only.
    Row("/compte/", signed_in()),
    Row("/compte/supprimer/", signed_in()),
    Row("/compte/mes-donnees.json", every(302), method="post", name="download my data"),
    Row("/admin/confidentialite/", staff_only(302, manager=200)),
    Row("/admin/confidentialite/conservation/", staff_only(302, manager=200)),
    Row("/admin/confidentialite/journal/", staff_only(302, manager=200)),
    Row(data_request_url, staff_only(302, manager=200)),
    # Indicators: mediators see their territories' figures, managers all.
    Row("/admin/indicateurs/", staff_only(communication=302), scoped=True),
    Row("/admin/indicateurs/export.csv", staff_only(communication=302), scoped=True),
    Row("/admin/indicateurs/rapport/", staff_only(communication=302), scoped=True),
    Row("/admin/indicateurs/rapport.csv", staff_only(communication=302), scoped=True),
    Row("/admin/indicateurs/rapport.pdf", staff_only(communication=302)),
    Row("/admin/indicateurs/projet-de-service/", staff_only(communication=302), scoped=True),
    Row(
        "/admin/indicateurs/rapport/commentaire/",
        staff_only(405),
        name="report comment (GET)",
    ),
    Row("/admin/snippets/community/intervention/", staff_only(communication=302), scoped=True),
    Row("/admin/snippets/community/interventionkind/", staff_only(communication=302)),
    Row(
        "/equipe/interventions/",
        every(200, anonymous=302, resident=403, communication=403),
        scoped=True,
    ),
    # Café Médiation series, workshops' seats and satisfaction.
    Row("/admin/snippets/events/cafeseries/", staff_only(communication=302), scoped=True),
    Row("/admin/snippets/events/seatgroup/", staff_only(communication=302), scoped=True),
    Row("/equipe/cafes/", every(200, anonymous=302, resident=403, communication=403), scoped=True),
    Row(
        "/equipe/satisfaction/",
        every(200, anonymous=302, resident=403, communication=403),
        scoped=True,
    ),
    # The annual mediation day: Communication and managers run it.
    Row(
        "/admin/snippets/events/programme/",
        staff_only(mediator_lyon_8=302, mediator_lyon_9=302),
    ),
    Row(
        "/admin/snippets/cms/standrequest/",
        staff_only(mediator_lyon_8=302, mediator_lyon_9=302),
    ),
    # The newsletter: anyone subscribes; a resident manages theirs; communications
    # staff and managers send; every staff role types in paper sign-ups.
    Row("/lettre/abonnement/", every(200)),
    Row("/lettre/mon-abonnement/", signed_in()),
    Row("/admin/lettre/", staff_only(mediator_lyon_8=302, mediator_lyon_9=302)),
    Row("/admin/lettre/bulletins/", staff_only()),
    Row("/admin/snippets/cms/subscription/", staff_only(mediator_lyon_8=302, mediator_lyon_9=302)),
]
