"""The public site's rules, one function per action: recording a form submission, emailing it
to the right staff, erasing submissions past their retention period."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from dateutil.relativedelta import relativedelta

from cms.models import Submission
from community import permissions, queue
from community.registries import RetentionRule, retention

logger = logging.getLogger(__name__)

VIEW_SUBMISSION_PERMISSION = "cms.view_submission"


def visible_submissions(queryset, user):
    """The submissions of `queryset` that `user` may read: a newcomer request to the staff of
    its territory (community.permissions: the mediators there, managers), a contact or service
    request (no territory) to those who see every territory (managers), who answer them.
    Communication reads none: publishing needs no one's request."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(
        VIEW_SUBMISSION_PERMISSION
    ):
        return queryset.none()
    return permissions.restrict_records(queryset, user)


def form_pages_with_readable_submissions(user, pages):
    """Of the form `pages`, those whose submissions `user` may read through Wagtail's form
    submission screens (/admin/forms/), which list and export a page's submissions whole: only
    for those who may read every submission (managers). Mediators read their territories'
    newcomer requests on the scoped "Demandes des habitants" screen."""
    if user.has_perm(VIEW_SUBMISSION_PERMISSION) and permissions.sees_all_territories(user):
        return pages
    return pages.none()


# Form answers that are not stored in the JSON of answers but in their own columns.
_OWN_COLUMNS = ("territory", "consent")


@transaction.atomic
def record_submission(page, form) -> Submission:
    """Store a valid form's answers with the consent text shown, then queue the email to staff
    once the transaction commits."""
    data = {k: v for k, v in form.cleaned_data.items() if k not in _OWN_COLUMNS}
    territory = form.cleaned_data.get("territory")
    if territory is not None:
        data["territory"] = territory.name
    submission = Submission.objects.create(
        page=page,
        form_data=data,
        territory=territory,
        consent_text=page.consent_text if form.cleaned_data.get("consent") else "",
    )
    queue.after_commit("cms.email_submission", submission.pk)
    return submission


def email_submission(submission_id: int) -> bool:
    """Email a submission to the people its page names (for a newcomer request, the mediators of
    the resident's territory). Safe to run twice: returns False when already sent or gone."""
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("page", "territory")
            .filter(pk=submission_id)
            .first()
        )
        if submission is None or submission.emailed_at is not None:
            return False
        page = submission.page.specific
        recipients = page.submission_recipients(submission)
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "page": page,
                    "submission": submission,
                    "answers": answers(page, submission),
                    "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                    + f"/admin/forms/submissions/{page.pk}/",
                }
                subject = page.subject or f"[{page.title}] Nouvelle demande"
                message = EmailMultiAlternatives(
                    subject=subject,
                    body=render_to_string("cms/emails/submission.txt", context),
                    from_email=page.from_address or settings.DEFAULT_FROM_EMAIL,
                    to=recipients,
                    reply_to=reply_to(page, submission),
                )
                message.attach_alternative(
                    render_to_string("cms/emails/submission.html", context), "text/html"
                )
                message.send()
        else:
            logger.warning("Submission %s of page %s has no recipient", submission.pk, page.pk)
        submission.recipients = ", ".join(recipients)
        submission.emailed_at = timezone.now()
        submission.save(update_fields=["recipients", "emailed_at"])
    return True


def send_unsent_submissions(now=None) -> int:
    """Email the submissions whose task never ran (the broker was down when it was queued):
    sent more than UNSENT_EMAIL_GRACE_SECONDS ago, within UNSENT_EMAIL_WINDOW_DAYS, not yet
    emailed. Run by beat; safe to run twice (`email_submission` locks the row)."""
    unsent = Submission.objects.filter(
        emailed_at__isnull=True, submit_time__range=queue.lost_task_window(now or timezone.now())
    ).values_list("pk", flat=True)
    return queue.send_each(unsent, email_submission, "submission")


def reply_to(page, submission) -> list[str] | None:
    """The address the person gave in the form's first email field, if any."""
    for field in page.get_form_fields():
        if field.field_type == "email" and submission.form_data.get(field.clean_name):
            return [submission.form_data[field.clean_name]]
    return None


def answers(page, submission) -> list[tuple[str, str]]:
    """(label, answer) pairs of a submission, in the order of the form's fields."""
    labels = dict(page.get_data_fields())
    rows = []
    for key, value in submission.form_data.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        label = labels.get(key) or ("Territoire" if key == "territory" else key)
        rows.append((str(label), str(value)))
    return rows


def _expired_submissions(now):
    cutoff = now - relativedelta(months=settings.RETENTION_SUBMISSIONS_MONTHS)
    return Submission.objects.filter(submit_time__lt=cutoff)


def preview_expired_submissions(now) -> int:
    return _expired_submissions(now).count()


def erase_expired_submissions(now=None) -> int:
    """Delete form submissions older than RETENTION_SUBMISSIONS_MONTHS; returns how many were
    deleted. Registered as the retention rule "cms.submissions" (community.registries)."""
    now = now or timezone.now()
    deleted, _ = _expired_submissions(now).delete()
    return deleted


def register_retention() -> None:
    if "cms.submissions" in retention.rules:
        return
    retention.register(
        RetentionRule(
            key="cms.submissions",
            label=gettext_lazy(
                "Messages des formulaires (contact, nouveaux arrivants, prestations)"
            ),
            setting="RETENTION_SUBMISSIONS_MONTHS",
            preview=preview_expired_submissions,
            run=erase_expired_submissions,
            description=gettext_lazy("supprimés après leur envoi"),
        )
    )
