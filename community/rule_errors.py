"""The one type a rule raises to refuse an action, and the one way a form shows a refusal.

Every feature's error (sign-up, series, surveys, attendance, events, newsletter, stands, profile)
is a RuleError, so a view catches one shape and `show_on_form` puts it, or the ValidationError a
model's `full_clean` raised, where the person reads it: beside the field it names, else on top
of the form. It lives in `community`, the lowest layer, so that every app can use it."""

from django.core.exceptions import ValidationError


class RuleError(Exception):
    """A rule refused the action. `message` is French, for the person who asked; `field` names
    the form field it belongs to, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def messages_by_field(error: RuleError | ValidationError) -> list[tuple[str | None, list[str]]]:
    """The refusal's messages grouped by the field they name (None: no field)."""
    if isinstance(error, RuleError):
        return [(error.field, [error.message])]
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return list(error.message_dict.items())
        return [(None, error.messages)]
    raise TypeError(f"not a rule's refusal: {error!r}")


def show_on_form(form, error: RuleError | ValidationError, *, fallback: str | None = None) -> None:
    """Put a refused rule's messages on `form`: each on the field it names when the form has that
    field, else on `fallback` (a field of the form the caller chooses; None: the form's non-field
    errors, shown on top). A field that receives an error leaves `cleaned_data`, as with
    `add_error`."""
    for field, messages in messages_by_field(error):
        target = field if field in form.fields else fallback
        for message in messages:
            form.add_error(target, message)
