"""A newsletter campaign to 1,000 then 10,000 subscribers, sent by one Celery worker (one
process) on Redis and PostgreSQL into a local aiosmtpd server, the rate limit off: messages per
second, total time, duplicates, and the worker's peak memory (RSS of the process that sends) for
each size, so one can see that memory does not grow with the list."""

import os
import threading
import time
from pathlib import Path

from benchmarks.harness import print_table, setup_django

SIZES = (1_000, 10_000)
BATCH = 100


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class PeakMemory:
    """Samples the RSS of every process of the worker's group; keeps the largest."""

    def __init__(self, pgid: int):
        self.pgid, self.peak, self.running = pgid, 0, True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while self.running:
            for pid in group_pids(self.pgid):
                self.peak = max(self.peak, rss_kib(pid))
            time.sleep(0.1)

    def stop(self) -> int:
        self.running = False
        self.thread.join()
        return self.peak


def subscribers(count: int, tag: str):
    from django.utils import timezone

    from cms.models import NewsletterTopic, Subscription
    from community.models import Person

    topic = NewsletterTopic.objects.create(name=f"Banc d'essai {tag}")
    now = timezone.now()
    for start in range(0, count, 5_000):
        persons = Person.objects.bulk_create(
            [
                Person(email=f"{tag}-{n}@banc.exemple.fr", first_name=f"Habitant{n}")
                for n in range(start, min(start + 5_000, count))
            ]
        )
        subs = Subscription.objects.bulk_create(
            [
                Subscription(
                    person=p,
                    state=Subscription.State.ACTIVE,
                    source=Subscription.Source.ONLINE,
                    consent_text="banc d'essai",
                    confirmed_at=now,
                    token=f"{tag}-{p.pk}",
                )
                for p in persons
            ]
        )
        Subscription.topics.through.objects.bulk_create(
            [
                Subscription.topics.through(subscription_id=s.pk, newslettertopic_id=topic.pk)
                for s in subs
            ]
        )
    return topic


def issue(tag: str):
    import json

    from cms.demo import site as demo
    from cms.models import NewsletterIndexPage, NewsletterIssuePage

    home = demo.seed()
    index = NewsletterIndexPage.objects.first()
    if index is None:
        index = NewsletterIndexPage(title="La lettre", slug="lettre")
        home.add_child(instance=index)
        index.save_revision().publish()
    page = NewsletterIssuePage(
        title=f"La lettre (banc d'essai {tag})",
        slug=f"banc-{tag}",
        summary="La journée annuelle de la médiation sociale, le Café Médiation, le tri.",
        body=json.dumps(
            [
                {
                    "type": "editorial",
                    "value": {
                        "heading": "Édito",
                        "text": "<p>" + "Bonjour les voisins. " * 40 + "</p>",
                    },
                },
                {
                    "type": "upcoming_events",
                    "value": {"heading": "Agenda", "territories": [], "count": 6},
                },
            ]
        ),
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def run(size: int) -> dict:
    from django.db import connection

    from cms.models import Campaign, Delivery
    from cms.newsletter import rules as newsletter
    from community.models import User
    from tests.support.smtp import SmtpSink
    from tests.support.worker import CeleryWorker

    tag = f"n{size}-{int(time.time())}"
    topic = subscribers(size, tag)
    page = issue(tag)
    editor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        email=f"banc-{tag}@exemple.fr", password=None
    )
    sink = SmtpSink().start()
    worker = CeleryWorker(
        os.environ["REDIS_URL"],
        extra_env={
            "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "false",
            "NEWSLETTER_RATE_PER_SECOND": "0",
            "NEWSLETTER_BATCH_SIZE": str(BATCH),
            "NEWSLETTER_SENDERS": "1",
            "CELERY_VISIBILITY_TIMEOUT": "3600",
            "LOG_LEVEL": "WARNING",
        },
    )
    worker.start(timeout=60)
    memory = PeakMemory(worker.process.pid)
    try:
        started = time.perf_counter()
        campaign = newsletter.request_send(page, editor, audience_all=False, topics=[topic])
        deadline = time.monotonic() + 1800
        while time.monotonic() < deadline:
            state = Campaign.objects.filter(pk=campaign.pk).values_list("state", flat=True).get()
            if state == Campaign.State.DONE and len(sink.messages) >= size:
                break
            time.sleep(0.25)
        total = time.perf_counter() - started
    finally:
        peak = memory.stop()
        worker.stop()
        sink.stop()
    campaign.refresh_from_db()
    received = [m.message_id for m in sink.messages]
    expected = set(Delivery.objects.filter(campaign=campaign).values_list("message_id", flat=True))
    sending = (campaign.finished_at - campaign.started_at).total_seconds()
    connection.close()
    return {
        "subscribers": size,
        "delivered": len(set(received) & expected),
        "duplicates": len(received) - len(set(received)),
        "failed": Delivery.objects.filter(campaign=campaign, state="failed").count(),
        "total_s": total,
        "sending_s": sending,
        "msg/s": size / sending if sending else 0.0,
        "worker_peak_MiB": peak / 1024,
    }


def main():
    setup_django()
    rows = [run(size) for size in SIZES]
    print_table(
        f"Newsletter send: one worker process, batches of {BATCH}, rate limit off, aiosmtpd sink",
        rows,
    )


if __name__ == "__main__":
    main()
