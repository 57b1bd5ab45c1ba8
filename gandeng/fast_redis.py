"""Redis options for calls made while someone waits (rate limits, enqueueing a run): a Redis that is
down or hung costs at most half a second, once, instead of seconds on every request."""
FAST_TIMEOUT_S = 0.5


def fast_redis_options() -> dict:
    """Keyword arguments for `redis.Redis.from_url`: short timeouts and no retries (redis-py retries
    ten times by default, which multiplies any timeout)."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {"socket_connect_timeout": FAST_TIMEOUT_S, "socket_timeout": FAST_TIMEOUT_S,
            "retry": Retry(NoBackoff(), 0)}
