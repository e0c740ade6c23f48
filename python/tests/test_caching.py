"""Cache(type="local" | "redis" | "disk") with LiteLLM's per-call controls,
on real calls to the fake upstream."""

import asyncio
import os
import socket
import uuid

import pytest

import llmrelay
from llmrelay.caching import Cache

MESSAGES = [{"role": "user", "content": "cache me"}]


def redis_available():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def make_cache(kind, tmp_path):
    if kind == "redis":
        if not redis_available():
            pytest.skip("no Redis on 127.0.0.1:6379")
        return Cache(type="redis", host="127.0.0.1", port=6379, namespace="llmrelay-test-%s" % uuid.uuid4().hex)
    if kind == "disk":
        return Cache(type="disk", disk_cache_dir=str(tmp_path / "cache"))
    return Cache(type="local")


@pytest.fixture(params=["local", "redis", "disk"])
def cache(request, tmp_path, monkeypatch):
    c = make_cache(request.param, tmp_path)
    monkeypatch.setattr(llmrelay, "cache", c)
    return c


def call(fake_url, **kwargs):
    return llmrelay.completion(model="gpt-4o", messages=MESSAGES, api_base=fake_url, **kwargs)


def test_second_call_is_a_hit(cache, mock_server):
    first = call(mock_server, temperature=0.1)
    second = call(mock_server, temperature=0.1)
    assert second.choices[0].message.content == first.choices[0].message.content
    assert second.id == first.id and second._hidden_params["cache_hit"] is True
    assert not first._hidden_params.get("cache_hit")
    other = call(mock_server, temperature=0.9)
    assert other.id != first.id, "a different parameter must be a different key"


def test_per_call_controls(cache, mock_server):
    first = call(mock_server, seed=1)
    assert call(mock_server, seed=1, cache={"no-cache": True}).id != first.id
    skipped = call(mock_server, seed=2, cache={"no-store": True})
    assert call(mock_server, seed=2).id != skipped.id
    assert call(mock_server, seed=1, caching=False).id != first.id


def test_streamed_call_is_cached_and_replayed_as_a_stream(cache, mock_server):
    chunks = list(call(mock_server, stream=True, seed=5))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    replay = list(call(mock_server, stream=True, seed=5))
    assert "".join(c.choices[0].delta.content or "" for c in replay if c.choices) == text
    assert replay[0]._hidden_params["cache_hit"] is True


def test_async_and_embedding_hits(cache, mock_server):
    async def main():
        a = await llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, api_base=mock_server, seed=9)
        b = await llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, api_base=mock_server, seed=9)
        return a, b

    a, b = asyncio.run(main())
    assert a.id == b.id and b._hidden_params["cache_hit"] is True
    e1 = llmrelay.embedding(model="text-embedding-3-small", input=["x"], api_base=mock_server)
    e2 = llmrelay.embedding(model="text-embedding-3-small", input=["x"], api_base=mock_server)
    assert e2._hidden_params["cache_hit"] is True and e2.data[0]["embedding"] == e1.data[0]["embedding"]


def test_cache_hit_reaches_callbacks(cache, mock_server, monkeypatch):
    seen = []
    monkeypatch.setattr(
        llmrelay, "success_callback", [lambda kw, r, s, e: seen.append((kw["cache_hit"], kw["response_cost"]))]
    )
    call(mock_server, seed=11)
    call(mock_server, seed=11)
    assert seen[0][0] is False and seen[0][1] > 0
    assert seen[1] == (True, 0.0)


def test_key_rules():
    c = Cache()
    base = dict(model="gpt-4o", messages=MESSAGES, temperature=0.2)
    key = c.get_cache_key(**base)
    assert len(key) == 64
    assert c.get_cache_key(**base, metadata={"anything": 1}, api_key="sk-a") == key, "non-request args are not keyed"
    assert c.get_cache_key(**base, cache={"namespace": "team"}) == "team:" + key
    assert Cache(namespace="ns").get_cache_key(**base) == "ns:" + key
    assert c.get_cache_key(**base, metadata={"model_group": "g"}) != key
    many = [{"role": "user", "content": str(i)} for i in range(5)]
    assert c.should_use_cache(model="gpt-4o", messages=many) is False, "LiteLLM caches at most 4 messages"
    off = Cache(mode="default_off")
    assert off.should_use_cache(**base) is False and off.should_use_cache(**base, cache={"use-cache": True})


def test_ttl_expires_entries(monkeypatch):
    import time

    c = Cache(type="local")
    c.add_cache({"id": "x"}, model="m", messages=MESSAGES, cache={"ttl": 0.05})
    assert c.get_cache(model="m", messages=MESSAGES) == {"id": "x"}
    time.sleep(0.1)
    assert c.get_cache(model="m", messages=MESSAGES) is None


def test_unsupported_type_and_unreachable_redis_are_clear(mock_server, monkeypatch, caplog):
    with pytest.raises(ValueError, match="s3"):
        Cache(type="s3")
    # A Redis nobody listens on: the call still answers, the failure is logged.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setattr(llmrelay, "cache", Cache(type="redis", host="127.0.0.1", port=port))
    r = call(mock_server, seed=13)
    assert r.choices[0].message.content
    assert "cache read failed" in caplog.text and "cannot reach Redis" in caplog.text


def test_redis_password_is_not_in_repr():
    c = Cache(type="redis", host="127.0.0.1", port=1, password="hunter2-secret")
    assert "hunter2-secret" not in repr(c.cache)
    assert os.environ.get("REDIS_PASSWORD") != "hunter2-secret"


def test_redis_error_reply_is_raised_not_retried():
    if not redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    from llmrelay.caching import CacheBackendError, RedisCache, RedisReplyError

    # A password this Redis does not expect: Redis answers AUTH with an error.
    backend = RedisCache(host="127.0.0.1", port=6379, password="not-the-password")
    with pytest.raises(RedisReplyError) as caught:
        backend.get_cache("llmrelay-test-key")
    assert isinstance(caught.value, CacheBackendError) and "not-the-password" not in str(caught.value)
    good = RedisCache(host="127.0.0.1", port=6379)
    key = "llmrelay-test-key-%s" % uuid.uuid4().hex
    good.set_cache(key, "v", ttl=5)
    assert good.get_cache(key) == "v"
    good.delete_cache(key)
