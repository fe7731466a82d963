"""The admin's list and export of form submissions: only the submissions the user may read
(cms.services.visible_submissions), every cell neutralised by community.exports, and every
export written to the audit log (community.privacy.rules)."""

from wagtail.contrib.forms.views import SubmissionsListView

from cms import services
from community.exports import NeutralisingExportMixin
from community.privacy.rules import log_export


class SafeSubmissionsListView(NeutralisingExportMixin, SubmissionsListView):
    def get_base_queryset(self):
        return services.visible_submissions(super().get_base_queryset(), self.request.user)

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            log_export(
                self.form_page,
                by=self.request.user,
                what=f"submissions.{self.request.GET.get('export')}",
            )
        return super().render_to_response(context, **response_kwargs)
