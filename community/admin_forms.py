"""Admin forms of the community records: every choice of territory, residence, person or
record is limited to what the signed-in staff member may see (community.permissions)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminModelForm

from community import permissions
from community.activities import rules as activities
from community.interventions import rules as interventions
from community.models import PartnerFollowUp, Person, Territory
from community.rule_errors import show_on_form


def scope_choices(queryset, user):
    """The part of a choice field's queryset `user` may pick from."""
    model = queryset.model
    if model is Territory:
        return permissions.restrict_to_visible(queryset, user, field="pk")
    if model is Person:
        return permissions.restrict_to_visible(queryset, user)
    if hasattr(model, "territory_field"):
        return permissions.restrict_records(queryset, user)
    return queryset


class ScopedAdminForm(WagtailAdminModelForm):
    """Limits the choices of every territory-bound field to the user's territories, and refuses
    (with a French message) a record whose territory is not theirs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = scope_choices(field.queryset, user)
        if "mediator" in self.fields and not self.instance.pk:
            self.initial.setdefault("mediator", user.pk)
        if "mediator" in self.fields:
            self.fields["mediator"].queryset = permissions.staff_users().filter(is_active=True)

    def save(self, commit=True):
        instance = self.instance
        user = self.for_user
        for attribute in ("recorded_by_id", "author_id"):
            if hasattr(instance, attribute) and getattr(instance, attribute) is None and user:
                setattr(instance, attribute, user.pk)
        return super().save(commit=commit)

    def clean(self):
        cleaned = super().clean()
        user = self.for_user
        territory = cleaned.get("territory")
        if (
            user is not None
            and territory is not None
            and not permissions.can_see_territory(user, territory)
        ):
            self.add_error("territory", _("Ce territoire ne fait pas partie des vôtres."))
        return cleaned


class InterventionAdminForm(ScopedAdminForm):
    """The same rules as the phone form (community.interventions.rules.check)."""

    def clean(self):
        cleaned = super().clean()
        if self.for_user is None or self.errors:
            return cleaned
        data = dict(cleaned)
        if self.instance.pk and data.get("kind") is not None and not data["kind"].active:
            data["kind"].active = True  # a past intervention keeps its retired kind
        try:
            interventions.check(self.for_user, data)
        except ValidationError as exc:
            show_on_form(self, exc)
        return cleaned


class IndicatorFigureForm(ScopedAdminForm):
    """A figure of the service plan typed for a year: only for an indicator the platform does
    not compute."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "indicator" in self.fields:
            self.fields["indicator"].queryset = self.fields["indicator"].queryset.filter(
                computed_key=""
            )


class PartnerFollowUpForm(ScopedAdminForm):
    """A follow-up names a person only with consent (community.activities.rules)."""

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        follow_up = PartnerFollowUp(
            person=cleaned.get("person"),
            consent_method=cleaned.get("consent_method") or "",
            outcome=cleaned.get("outcome") or PartnerFollowUp.Outcome.ONGOING,
            closed_on=cleaned.get("closed_on"),
        )
        try:
            activities.check_follow_up(follow_up)
        except ValidationError as exc:
            show_on_form(self, exc)
        return cleaned
