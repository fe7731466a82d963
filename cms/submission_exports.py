"""The admin's list and export of form submissions: a cell a spreadsheet would run as a formula
(=, +, -, @) is written as text, in CSV as in XLSX, and every export is written to the audit
log (community.privacy)."""

from wagtail.contrib.forms.views import SubmissionsListView

from community.privacy import log_export

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeSubmissionsListView(SubmissionsListView):
    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            log_export(
                self.form_page,
                by=self.request.user,
                what=f"submissions.{self.request.GET.get('export')}",
            )
        return super().render_to_response(context, **response_kwargs)
