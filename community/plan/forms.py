"""Admin forms of the service plan's records."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminModelForm

from community.registries import indicators


def computed_choices() -> list[tuple[str, str]]:
    """Every registered indicator, by section then label (read when the form is drawn: the
    registry is filled by every app's ready())."""
    items = sorted(indicators, key=lambda i: (str(i.section), i.order, str(i.label)))
    return [("", _("— saisi chaque année —"))] + [
        (i.key, f"{i.section} · {i.label}" if i.section else str(i.label)) for i in items
    ]


class PlanIndicatorForm(WagtailAdminModelForm):
    computed_key = forms.ChoiceField(
        label=gettext_lazy("calculé par la plateforme"),
        choices=computed_choices,
        required=False,
        help_text=gettext_lazy("Vide : le chiffre est saisi chaque année, avec sa source."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "objective" in self.fields:
            self.fields["objective"].queryset = self.fields["objective"].queryset.select_related(
                "axis"
            )

    def is_valid(self):
        valid = super().is_valid()
        # Two new targets for the same year and place would each pass their own checks and
        # meet only in the database: refuse them here, with a message.
        formset = getattr(self, "formsets", {}).get("targets")
        if formset is None:
            return valid
        seen = set()
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or data.get("year") is None:
                continue
            place = (data["year"], getattr(data.get("territory"), "pk", None))
            if place in seen:
                form.add_error(
                    "year", _("Cet indicateur a déjà une cible pour cette année et ce territoire.")
                )
                valid = False
            seen.add(place)
        return valid
