"""The duplicates screen: groups of persons that may be the same, and the merge of two.
Every rule is in community.merging.rules; these views only show and call it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from community.merging import rules as merging


def _require(request):
    if not request.user.has_perm(merging.MERGE_PERMISSION):
        raise PermissionDenied


@require_http_methods(["GET"])
def duplicates(request):
    _require(request)
    return TemplateResponse(
        request,
        "community/admin/duplicates.html",
        {"groups": merging.duplicate_groups(request.user)},
    )


@require_http_methods(["GET", "POST"])
def merge(request, keep_id: int, merged_id: int):
    _require(request)
    keep = merging.person_for(request.user, keep_id)
    merged = merging.person_for(request.user, merged_id)
    if request.method == "POST":
        try:
            merging.merge(request.user, keep_id=keep.pk, merged_id=merged.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Les deux fiches sont fusionnées en « %(name)s ».") % {"name": keep}
            )
            return redirect("community_duplicates:list")
    return TemplateResponse(request, "community/admin/merge.html", {"keep": keep, "merged": merged})


urlpatterns = [
    path("", duplicates, name="list"),
    path("<int:keep_id>/fusionner/<int:merged_id>/", merge, name="merge"),
]
