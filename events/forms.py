"""The agenda's filter form: a plain GET form that never fails. A value it does not know (a
territory that does not exist, a malformed date) is ignored, and the page says so."""

from dataclasses import dataclass, field

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from community.models import Territory
from events.models import Audience, EventKind
from events.queries import EARLIEST_DATE, LATEST_DATE

# A date outside these years is ignored like a malformed one.
DATE_BOUNDS = [MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)]


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        # <input type="date"> wants ISO dates whatever the language.
        return value.isoformat() if hasattr(value, "isoformat") else value


class FrenchNamesSelect(forms.Select):
    """A list of names that stay French on English and Arabic pages (territories): each
    option but the blank one is marked lang="fr"."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = "fr"
        return option


class AgendaFilterForm(forms.Form):
    territoire = forms.ChoiceField(label=_("Territoire"), required=False, widget=FrenchNamesSelect)
    type = forms.ChoiceField(
        label=_("Type d'événement"),
        required=False,
        choices=[("", _("Tous les types")), *EventKind.choices],
    )
    public = forms.ChoiceField(
        label=_("Public"),
        required=False,
        choices=[("", _("Tous les publics")), *Audience.choices],
    )
    du = forms.DateField(
        label=_("À partir du"),
        required=False,
        widget=DateInput,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        validators=DATE_BOUNDS,
    )
    au = forms.DateField(
        label=_("Jusqu'au"),
        required=False,
        widget=DateInput,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        validators=DATE_BOUNDS,
    )

    def __init__(self, *args, territories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if territories is None:
            territories = Territory.objects.all()
        self.fields["territoire"].choices = [
            ("", _("Tous les territoires")),
            *((territory.slug, territory.name) for territory in territories),
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and end < start:
            self.add_error("au", _("La date de fin précède la date de début."))
        return cleaned


FIELDS_HTML_ENTRIES = 512
_fields_html: dict[tuple, str] = {}


@dataclass
class AgendaFilters:
    """What the agenda applies, what it ignored, and the form to show (with only what applies)."""

    territory: str | None = None
    kind: str | None = None
    audience: str | None = None
    start: object = None
    end: object = None
    ignored: list[str] = field(default_factory=list)
    form: AgendaFilterForm | None = None

    @property
    def query_kwargs(self) -> dict:
        return {
            "territory": self.territory,
            "kinds": [self.kind] if self.kind else None,
            "audience": self.audience,
            "start": self.start,
            "end": self.end,
        }

    @property
    def fields_html(self) -> str:
        """The form's fields as HTML. Django writes each select option through a template (3 ms
        of CPU for the agenda's form); the same language, territories and applied filters always
        give the same HTML, so each process keeps what it wrote (a bounded number of entries)."""
        territories = tuple(self.form.fields["territoire"].choices[1:])
        key = (get_language(), territories, tuple(sorted(self.form.initial.items())))
        html = _fields_html.get(key)
        if html is None:
            html = render_to_string(
                "events/includes/agenda_filter_fields.html", {"form": self.form}
            )
            if len(_fields_html) >= FIELDS_HTML_ENTRIES:
                _fields_html.clear()  # any typed date makes a key: a flood only empties it
            _fields_html[key] = html
        return html

    @property
    def active(self) -> bool:
        return any((self.territory, self.kind, self.audience, self.start, self.end))

    def querystring(self) -> str:
        """The applied filters as a query string (for pagination and the archive link)."""
        query = QueryDict(mutable=True)
        for name, value in (
            ("territoire", self.territory),
            ("type", self.kind),
            ("public", self.audience),
            ("du", self.start.isoformat() if self.start else None),
            ("au", self.end.isoformat() if self.end else None),
        ):
            if value:
                query[name] = value
        return query.urlencode()


def read_filters(query, territories=None) -> AgendaFilters:
    """Read the agenda's filters from a GET query; never raises on what a person typed."""
    territories = list(territories if territories is not None else Territory.objects.all())
    submitted = AgendaFilterForm(query, territories=territories)
    submitted.is_valid()
    applied = {
        name: value
        for name, value in submitted.cleaned_data.items()
        if name not in submitted.errors and value not in (None, "")
    }
    ignored = [
        str(submitted.fields[name].label)
        for name in submitted.errors
        if name in submitted.fields and query.get(name)
    ]
    shown = AgendaFilterForm(initial=applied, territories=territories)
    return AgendaFilters(
        territory=applied.get("territoire"),
        kind=applied.get("type"),
        audience=applied.get("public"),
        start=applied.get("du"),
        end=applied.get("au"),
        ignored=ignored,
        form=shown,
    )
