"""Public pages of the community app: a working group's page with its "I want to join" form,
and the form where a resident sends an idea or a need. Nothing personal is shown."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from community import services
from community.forms import JoinRequestForm, VoiceForm
from community.ratelimit import limit_public_posts
from community.rule_errors import show_on_form


def working_groups(request):
    groups = list(services.public_working_groups())
    return render(request, "community/working_group_list.html", {"groups": groups})


@limit_public_posts("join_request")
def working_group(request, pk, slug):
    group = get_object_or_404(services.public_working_groups(), pk=pk)
    if slug != group.slug:
        return redirect(group.get_absolute_url(), permanent=True)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_to_join(
                group,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                message=data["message"],
                consent=data["consent"],
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Merci ! Votre demande est transmise à l'équipe de médiation, qui vous recontactera."
                ),
            )
            return redirect(group.get_absolute_url())
    meetings = services.upcoming_meetings([group.pk]).get(group.pk, [])
    return render(
        request,
        "community/working_group.html",
        {"group": group, "form": form, "meetings": meetings},
    )


@limit_public_posts("voice", fields=("contact_email", "contact_phone"))
def voice(request):
    form = VoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        keep_contact = data["consent"]
        try:
            services.submit_voice(
                text=data["text"],
                territory=data["territory"],
                theme=data["theme"],
                age_band=data["age_band"],
                contact_consent=keep_contact,
                contact_name=data["contact_name"] if keep_contact else "",
                contact_email=data["contact_email"] if keep_contact else "",
                contact_phone=data["contact_phone"] if keep_contact else "",
                contact_consent_method="online" if keep_contact else "",
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request, _("Merci ! Votre message est transmis à l'équipe de votre quartier.")
            )
            return redirect("community:voice")
    return render(request, "community/voice_form.html", {"form": form})
