"""When each background process last said it was alive (community.heartbeat writes, /health/
reads): a worker or beat that stopped shows there even when the broker is up."""

from django.db import models


class Heartbeat(models.Model):
    # "worker:<host>" or "beat:<host>"
    name = models.CharField(max_length=200, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = "heartbeat"

    def __str__(self):
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
