"""The Redis transport of the Celery broker, with one repair to kombu's.

When a worker loses Redis, Celery collects the broken connection (kombu's `Connection.collect`
drops the transport's link to its connection) and then closes it; closing a channel restores
its unacknowledged messages, and when the channel needs a new Redis client for that, kombu's
`Channel._connparams` reads the host from the link that is gone: `AttributeError: 'NoneType'
object has no attribute 'hostname'`, which Celery does not treat as a connection error, so the
worker's main process exits ("Unrecoverable error"). Here that case raises Redis's
ConnectionError instead, which Celery ignores while closing and then reconnects. Nothing is lost
by not restoring at that moment: the messages stay in Redis's unacknowledged set and kombu's
visibility timeout gives them back (CELERY_VISIBILITY_TIMEOUT)."""

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection.client is None:
            raise RedisConnectionError("broker connection already closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
