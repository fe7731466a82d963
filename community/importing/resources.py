"""The two spreadsheet imports as django-import-export resources: residences, and reference
tenants.

The library runs the import: it turns each row into a model instance through the fields'
widgets, finds the existing record by the import key, leaves a row alone when nothing in it
differs (`skip_unchanged`: importing the same file twice changes nothing), saves the others and
their many-to-many links, reports each row as new, update, skip or invalid, and wraps the run in
a transaction (rolled back for a preview, a `dry_run`).

What stays ours, and why:

- Every cell is checked before the row is looked up (`before_import_row`), in column order, each
  error in French with the column it belongs to: the library checks cells only after the
  instance lookup, keys its errors by field (one per field, in no column order), and its
  widgets' messages are English.
- The import key of a residence is its name compared without case or accents on its territory;
  the library's instance loader compares values exactly.
- The import key of a reference tenant is (person, residence), and who the person is can only
  be decided by `community.identity` (the one function that decides it): the lookup calls it,
  once the row is known to be valid so that a row in error never creates anyone.
- Rows repeated within the file are errors: the library would import the second as an update
  of the first.
- The territory rule: a row outside the importing user's territories is an error (the
  territory widget asks `community.permissions`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from import_export import fields, resources, widgets

from community import identity, permissions
from community.importing.table import Column, fold
from community.models import (
    ConsentMethod,
    Organisation,
    ReferenceTenant,
    Residence,
    Territory,
    TrainingTopic,
)
from community.normalise import normalise_email, normalise_phone

YES = ("oui", "o", "yes", "1", "vrai", "x")
NO = ("", "non", "n", "no", "0", "faux")
PROGRESS_EVERY = 50


class CellError(ValueError):
    """A cell that cannot be imported: its French messages, and the column they are shown
    against when it is not the cell's own (a missing identifier is reported on the email)."""

    def __init__(self, *messages, column: str | None = None):
        self.messages = [str(message) for message in messages]
        self.column = column
        super().__init__("; ".join(self.messages))


class Lookups:
    """Everything the widgets need from the database, read in a few queries per import."""

    def __init__(self, user):
        self.user = user
        self.territories = {}
        for territory in Territory.objects.all():
            self.territories[fold(territory.name)] = territory
            self.territories[fold(territory.slug)] = territory
        self.landlords = {
            fold(org.name): org
            for org in Organisation.objects.filter(kind=Organisation.Kind.LANDLORD)
        }
        self.residences = {
            (fold(residence.name), residence.territory_id): residence
            for residence in Residence.objects.all()
        }
        self.topics = {fold(topic.name): topic for topic in TrainingTopic.objects.all()}

    def territory(self, value):
        return self.territories.get(fold(value or ""))

    def own_territory(self, value):
        """The territory named, when the user may import into it."""
        territory = self.territory(value)
        if territory is None or not permissions.can_see_territory(self.user, territory):
            return None
        return territory


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def parse_date(value: str) -> datetime.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def choice(value: str, choices) -> str | None:
    folded = fold(value)
    for choice_value, label in choices:
        if folded in (fold(choice_value), fold(label)):
            return choice_value
    return None


def consents(row) -> bool:
    return fold(_text(row.get("consent"))) in YES


# --- Widgets: one cell to one value, or a French error -------------------------------------------


class Parsed(widgets.Widget):
    """A cell read by `parse`, which answers None when it cannot read it (the error is then
    `message`, the cell as %(v)s); an empty cell is `empty`."""

    def __init__(self, parse, message, empty=None):
        super().__init__()
        self.parse, self.message, self.empty = parse, message, empty

    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            return self.empty
        parsed = self.parse(value)
        if parsed is None:
            raise CellError(self.message % {"v": value})
        return parsed


def _homes(value: str) -> int | None:
    digits = value.replace(" ", "")
    return int(digits) if digits.isdigit() else None


def _email(value: str) -> str | None:
    try:
        validate_email(value)
    except ValidationError:
        return None
    return normalise_email(value)


def _date(value: str) -> datetime.date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


class Text(widgets.Widget):
    def __init__(self, required=None):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value and self.required:
            raise CellError(self.required)
        return value


class LookupWidget(widgets.Widget):
    """A widget that reads the import's `Lookups` (bound by the resource before the import)."""

    lookups: Lookups


class TerritoryWidget(LookupWidget):
    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            raise CellError(_("Le territoire est obligatoire."))
        territory = self.lookups.territory(value)
        if territory is None:
            raise CellError(_("Territoire inconnu : « %(v)s ».") % {"v": value})
        if not permissions.can_see_territory(self.lookups.user, territory):
            raise CellError(
                _("Le territoire « %(v)s » ne fait pas partie des vôtres.") % {"v": territory.name}
            )
        return territory


class LandlordWidget(LookupWidget):
    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            return None
        landlord = self.lookups.landlords.get(fold(value))
        if landlord is None:
            raise CellError(_("Bailleur inconnu : « %(v)s ».") % {"v": value})
        return landlord


class ResidenceWidget(LookupWidget):
    """A tenant's residence, named on the row's territory (whose own errors are the
    territory's)."""

    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            raise CellError(_("La résidence est obligatoire."))
        territory = self.lookups.own_territory(_text(row.get("territory")))
        if territory is None:
            return None
        residence = self.lookups.residences.get((fold(value), territory.pk))
        if residence is None:
            raise CellError(_("Résidence inconnue sur ce territoire : « %(v)s ».") % {"v": value})
        return residence


class PhoneWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value and not _text(row.get("email")):
            raise CellError(
                _(
                    "Une adresse électronique ou un téléphone est nécessaire pour reconnaître la personne."
                ),
                column="email",
            )
        try:
            return normalise_phone(value) or ""
        except ValidationError as exc:
            raise CellError(
                _("%(reason)s (« %(v)s »)") % {"reason": exc.messages[0], "v": value}
            ) from exc


class TopicsWidget(widgets.ManyToManyWidget, LookupWidget):
    def __init__(self):
        super().__init__(TrainingTopic, separator=";")

    def clean(self, value, row=None, **kwargs):
        topics, unknown = {}, []
        for name in _text(value).replace(",", ";").split(";"):
            if not name.strip():
                continue
            topic = self.lookups.topics.get(fold(name))
            if topic is None:
                unknown.append(
                    _("Thème de sensibilisation inconnu : « %(v)s ».") % {"v": name.strip()}
                )
            else:
                topics[topic.pk] = topic
        if unknown:
            raise CellError(*unknown)
        return [topics[pk] for pk in sorted(topics)]


class ConsentWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        folded = fold(_text(value))
        if folded in YES:
            return True
        if folded in NO:
            return False
        raise CellError(_("Répondez « oui » ou « non »."))


class ConsentDateWidget(widgets.Widget):
    """Required when the row says the person consents; blanked when it says they do not."""

    def clean(self, value, row=None, **kwargs):
        if not consents(row):
            return None
        try:
            return parse_date(_text(value))
        except ValueError as exc:
            raise CellError(
                _("Date du consentement manquante ou illisible (attendu JJ/MM/AAAA).")
            ) from exc


class ConsentMethodWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if not consents(row):
            return ""
        value = _text(value)
        method = choice(value, ConsentMethod.choices) or choice(
            value, [(v, v) for v, _label in ConsentMethod.choices]
        )
        if method is None:
            raise CellError(
                _(
                    "Mode de consentement manquant ou inconnu (oral, téléphone, écrit, en ligne, courriel)."
                )
            )
        return method


# --- Resources ------------------------------------------------------------------------------------


class _NoDiff:
    """The report names the changed columns (`changes`); the library's HTML diff, which exports
    every field of every row twice, is not shown anywhere."""

    def __init__(self, *args, **kwargs):
        pass

    def compare_with(self, *args, **kwargs):
        pass

    def as_html(self):
        return []


class SpreadsheetResource(resources.ModelResource):
    """What both imports share: cells checked in column order before the lookup, the changed
    columns of each updated row, the row labels and the progress callback."""

    columns: list[Column] = []

    class Meta:
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        clean_model_instances = False
        use_transactions = True

    def __init__(self, user, lines: list[int], progress=None):
        super().__init__()
        self.user = user
        self.lines = lines  # the spreadsheet line of each dataset row
        self.progress = progress
        self.cleaned: dict = {}
        self.labels: list[str] = []
        self.changes: dict[int, list[str]] = {}
        self.seen: dict[tuple, int] = {}

    def get_diff_class(self):
        return _NoDiff

    def before_import(self, dataset, **kwargs):
        self.lookups = Lookups(self.user)
        for field in self.fields.values():
            if isinstance(field.widget, LookupWidget):
                field.widget.lookups = self.lookups

    def after_import(self, dataset, result, **kwargs):
        """Nothing: ModelResource resets the table's id sequence here, which only matters when
        a file carries ids, and ours never do."""

    def label(self, row) -> str:
        raise NotImplementedError

    def check_row(self, row, line: int) -> list[tuple[str, str]]:
        """Errors that involve more than one cell or more than one row."""
        return []

    def before_import_row(self, row, row_number=None, **kwargs):
        self.labels.append(self.label(row))
        if self.progress and row_number % PROGRESS_EVERY == 0:
            self.progress(row_number)
        self.cleaned, errors = {}, []
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            try:
                self.cleaned[field.column_name] = field.clean(row)
            except CellError as exc:
                errors += [(exc.column or field.column_name, message) for message in exc.messages]
        errors += self.check_row(row, self.lines[row_number - 1])
        if errors:
            raise ValidationError([ValidationError(message, code=key) for key, message in errors])

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if original is None or original.pk is None:
            return False  # a new record is written even when every value is a default
        self.changes[len(self.labels)] = self.changed_columns(instance, original, row)
        return super().skip_row(instance, original, row, import_validation_errors)

    def changed_columns(self, instance, original, row) -> list[str]:
        """The names of the fields this row changes, many-to-many links last."""
        keys = set(self.get_import_id_fields())
        names, links = [], []
        for field in self.get_import_fields():
            if not field.attribute or field.column_name not in row or field.column_name in keys:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                before = sorted(item.pk for item in field.get_value(original).all())
                if before != [item.pk for item in self.cleaned[field.column_name]]:
                    links.append(self.verbose_name(field))
            elif field.get_value(instance) != field.get_value(original):
                names.append(self.verbose_name(field))
        return names + links

    def verbose_name(self, field) -> str:
        return str(self._meta.model._meta.get_field(field.attribute).verbose_name)


def _field(key, widget, attribute=None, **kwargs) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=key, widget=widget, **kwargs)


class ResidenceResource(SpreadsheetResource):
    columns = [
        Column("name", "nom", required=True, aliases=("residence", "nom de la residence")),
        Column("territory", "territoire", required=True, aliases=("secteur", "equipe")),
        Column("landlord", "bailleur"),
        Column("address", "adresse"),
        Column("homes", "logements", aliases=("nombre de logements",)),
        Column("renovation_project", "projet de réhabilitation", aliases=("rehabilitation",)),
        Column("notes", "notes"),
    ]
    name = _field(
        "name", Text(required=gettext_lazy("Le nom de la résidence est obligatoire.")), "name"
    )
    territory = _field("territory", TerritoryWidget(), "territory")
    landlord = _field("landlord", LandlordWidget(), "landlord")
    address = _field("address", Text(), "address")
    homes = _field(
        "homes",
        Parsed(_homes, gettext_lazy("« %(v)s » n'est pas un nombre de logements.")),
        "homes",
    )
    renovation_project = _field("renovation_project", Text(), "renovation_project")
    notes = _field("notes", Text(), "notes")

    class Meta(SpreadsheetResource.Meta):
        model = Residence
        fields = (
            "name",
            "territory",
            "landlord",
            "address",
            "homes",
            "renovation_project",
            "notes",
        )
        import_order = fields
        # The import key, compared without case or accents (get_instance).
        import_id_fields = ("name", "territory")

    def label(self, row) -> str:
        return _text(row.get("name"))

    def key(self):
        return fold(self.cleaned["name"]), self.cleaned["territory"].pk

    def check_row(self, row, line):
        if not self.cleaned.get("name") or not self.cleaned.get("territory"):
            return []
        if self.key() in self.seen:
            message = _("Ligne en double : cette résidence est déjà à la ligne %(line)s.")
            return [("name", message % {"line": self.seen[self.key()]})]
        self.seen[self.key()] = line
        return []

    def get_instance(self, instance_loader, row):
        return self.lookups.residences.get(self.key())

    def import_instance(self, instance, row, **kwargs):
        name = instance.name
        super().import_instance(instance, row, **kwargs)
        if instance.pk:
            instance.name = name  # matched without case or accents: it keeps its spelling


class ReferenceTenantResource(SpreadsheetResource):
    columns = [
        Column("first_name", "prénom"),
        Column("last_name", "nom", required=True),
        Column("email", "email", aliases=("courriel", "adresse electronique", "e-mail")),
        Column("phone", "téléphone", aliases=("telephone", "tel")),
        Column("residence", "résidence", required=True),
        Column("territory", "territoire", required=True, aliases=("secteur",)),
        Column("since", "depuis", aliases=("referent depuis",)),
        Column("status", "statut"),
        Column("topics", "sensibilisations", aliases=("formations", "sensibilise a")),
        Column("consent", "consentement"),
        Column("consent_date", "date du consentement", aliases=("date consentement",)),
        Column("consent_method", "mode de consentement", aliases=("mode consentement",)),
    ]
    # The person's cells are no tenant field: community.identity turns them into the person.
    first_name = _field("first_name", Text())
    last_name = _field("last_name", Text(required=gettext_lazy("Le nom est obligatoire.")))
    email = _field(
        "email",
        Parsed(_email, gettext_lazy("Adresse électronique mal formée : « %(v)s »."), empty=""),
    )
    phone = _field("phone", PhoneWidget())
    residence = _field("residence", ResidenceWidget(), "residence")
    territory = _field("territory", TerritoryWidget())
    # An empty cell leaves the date and the status as they are.
    since = _field(
        "since",
        Parsed(_date, gettext_lazy("Date illisible : « %(v)s » (attendu JJ/MM/AAAA).")),
        "since",
        saves_null_values=False,
    )
    status = _field(
        "status",
        Parsed(
            lambda value: choice(value, ReferenceTenant.Status.choices),
            gettext_lazy("Statut inconnu : « %(v)s » (actif, en pause ou arrêté)."),
        ),
        "status",
        saves_null_values=False,
    )
    topics = _field("topics", TopicsWidget(), "topics")
    consent = _field("consent", ConsentWidget(), "contact_consent")
    consent_date = _field("consent_date", ConsentDateWidget(), "contact_consent_date")
    consent_method = _field("consent_method", ConsentMethodWidget(), "contact_consent_method")

    class Meta(SpreadsheetResource.Meta):
        model = ReferenceTenant
        fields = (
            "first_name",
            "last_name",
            "email",
            "phone",
            "residence",
            "territory",
            "since",
            "status",
            "topics",
            "consent",
            "consent_date",
            "consent_method",
        )
        import_order = fields

    def label(self, row) -> str:
        return f"{_text(row.get('first_name'))} {_text(row.get('last_name'))}".strip()

    def before_import_row(self, row, **kwargs):
        # No email column is an empty email (a phone is then required); the consent's date and
        # method follow the consent: without a consent column they are left as they are.
        row.setdefault("email", "")
        row.setdefault("phone", "")
        if "consent" in row:
            row.setdefault("consent_date", "")
            row.setdefault("consent_method", "")
        else:
            row.pop("consent_date", None)
            row.pop("consent_method", None)
        super().before_import_row(row, **kwargs)

    def check_row(self, row, line):
        email, phone = self.cleaned.get("email"), self.cleaned.get("phone")
        residence = self.cleaned.get("residence")
        if not (email or phone) or residence is None:
            return []
        key = (email or phone, residence.pk)
        if key in self.seen:
            message = _(
                "Ligne en double : cette personne est déjà à la ligne %(line)s pour cette résidence."
            )
            return [("email" if email else "phone", message % {"line": self.seen[key]})]
        self.seen[key] = line
        return []

    def get_instance(self, instance_loader, row):
        """The import key is (person, residence); community.identity decides who the person is
        (a staff entry: it may fill in an identifier the person lacks, never renames)."""
        self.person = identity.identify(
            identity.Contact(
                self.cleaned.get("first_name", ""),
                self.cleaned["last_name"],
                self.cleaned["email"],
                self.cleaned["phone"],
            ),
            entered_by=self.user,
            territory=self.cleaned["territory"],
            require_names=False,
        )
        return (
            ReferenceTenant.objects.filter(person=self.person, residence=self.cleaned["residence"])
            .prefetch_related("topics")
            .first()
        )

    def init_instance(self, row=None):
        return ReferenceTenant(person=self.person)
