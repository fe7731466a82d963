"""Account emails (allauth's password resets, address confirmations, sign-in codes, security
notices) as rows: the message is written in the request's transaction and sent by a task or, if
its task message was lost, by recovery (community.account_mail)."""

from django.db import models


class AccountEmail(models.Model):
    to_email = models.EmailField()
    from_email = models.CharField(max_length=320)
    subject = models.CharField(max_length=998)
    # Emptied once sent: a password-reset link or a sign-in code must not outlive its use.
    body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "account email"
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="accountemail_unsent",
            )
        ]

    def __str__(self):
        return f"{self.to_email}: {self.subject}"
