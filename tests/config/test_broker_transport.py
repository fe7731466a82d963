"""A worker that loses Redis reconnects instead of exiting: the state kombu leaves when Celery
collects a broken connection (the transport's link to its connection dropped, the pool emptied)
and then closes a channel holding an unacknowledged message. kombu's transport raised
AttributeError ("'NoneType' object has no attribute 'hostname'") out of that close, which ended
the worker (benchmarks/worker_redis_loss.py reproduces it with a real worker); the project's
transport (config.broker) raises a connection error, which the close ignores, and the message
stays in Redis for the visibility timeout to give back."""

import redis
from kombu import Connection, Exchange, Producer, Queue
from kombu.common import ignore_errors

from config.broker import Transport


def test_closing_a_channel_after_its_connection_was_collected_keeps_the_message(redis_url):
    url = redis_url.rsplit("/", 1)[0] + "/9"  # a database of its own
    redis.Redis.from_url(url).flushdb()
    connection = Connection(url, transport=Transport)
    channel = connection.channel()
    queue = Queue("essai", Exchange("essai"), "essai", channel=channel)
    queue.declare()
    Producer(channel).publish({"n": 1}, exchange="essai", routing_key="essai")
    assert queue.get(no_ack=False).payload == {"n": 1}  # delivered, not acknowledged

    # What Redis going away leaves once Celery has collected the connection.
    channel._disconnect_pools()
    connection._do_close_transport()
    ignore_errors(connection, channel.close)

    assert redis.Redis.from_url(url).hlen("unacked") == 1
