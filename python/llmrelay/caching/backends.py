"""Where ``Cache`` keeps entries: in process, in a SQLite file, in Redis.

Every back end stores text values under text keys with an optional
lifetime in seconds; ``Cache`` does the (de)serialising. None needs a
third-party package: Redis is spoken directly (RESP over a socket), as only
GET, SET with EX, DEL and FLUSHDB of a namespace are needed."""

import os
import socket
import threading
import time

__all__ = ["DiskCache", "InMemoryCache", "RedisCache", "CacheBackendError"]


class CacheBackendError(RuntimeError):
    """The cache's store failed (Redis unreachable or answered an error,
    the disk cache file unusable)."""


class RedisReplyError(CacheBackendError):
    """Redis answered the command with an error (no reconnect helps)."""


class InMemoryCache:
    """Entries in a dict of this process; the oldest entries go first when
    ``max_size_in_memory`` is reached."""

    def __init__(self, default_ttl=None, max_size_in_memory=200):
        self.default_ttl = default_ttl
        self.max_size = max_size_in_memory
        self._entries = {}
        self._lock = threading.Lock()

    def get_cache(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            value, expires = entry
            if expires is not None and time.monotonic() >= expires:
                del self._entries[key]
                return None
            return value

    def set_cache(self, key, value, ttl=None):
        ttl = ttl if ttl is not None else self.default_ttl
        expires = time.monotonic() + float(ttl) if ttl is not None else None
        with self._lock:
            self._entries.pop(key, None)
            while self.max_size and len(self._entries) >= self.max_size:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = (value, expires)

    def flush_cache(self):
        with self._lock:
            self._entries.clear()


class DiskCache:
    """Entries in a SQLite file under ``disk_cache_dir`` (default
    ``.litellm_cache``, LiteLLM's directory), shared by processes."""

    def __init__(self, disk_cache_dir=None, default_ttl=None):
        import sqlite3

        directory = disk_cache_dir or ".litellm_cache"
        try:
            os.makedirs(directory, exist_ok=True)
            self._db = sqlite3.connect(os.path.join(directory, "llmrelay-cache.sqlite3"), check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT, expires REAL)")
            self._db.commit()
        except (OSError, sqlite3.Error) as err:
            raise CacheBackendError("disk cache at %r is unusable: %s" % (directory, err)) from err
        self.default_ttl = default_ttl
        self._lock = threading.Lock()

    def get_cache(self, key):
        with self._lock:
            row = self._db.execute("SELECT value, expires FROM entries WHERE key = ?", (key,)).fetchone()
        if row is None or (row[1] is not None and time.time() >= row[1]):
            return None
        return row[0]

    def set_cache(self, key, value, ttl=None):
        ttl = ttl if ttl is not None else self.default_ttl
        expires = time.time() + float(ttl) if ttl is not None else None
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (key, value, expires))
            self._db.commit()

    def flush_cache(self):
        with self._lock:
            self._db.execute("DELETE FROM entries")
            self._db.commit()


class RedisCache:
    """Entries in Redis (one connection, reopened after a failure).

    ``host``/``port``/``password`` default to ``REDIS_HOST``,
    ``REDIS_PORT``, ``REDIS_PASSWORD``; a ``REDIS_URL``-style ``url``
    (``redis://[:password@]host:port[/db]``) is accepted too."""

    def __init__(self, host=None, port=None, password=None, default_ttl=None, url=None, db=None, timeout=5.0, **_):
        url = url or os.environ.get("REDIS_URL")
        if url and not host:
            host, port, password, db = _parse_redis_url(url)
        self.host = host or os.environ.get("REDIS_HOST") or "127.0.0.1"
        self.port = int(port or os.environ.get("REDIS_PORT") or 6379)
        self._password = password if password is not None else os.environ.get("REDIS_PASSWORD")
        self.db = int(db or 0)
        self.default_ttl = default_ttl
        self.timeout = timeout
        self._sock = None
        self._reader = None
        self._lock = threading.Lock()

    def __repr__(self):
        # The password never appears in a repr.
        return "RedisCache(host=%r, port=%r, db=%r)" % (self.host, self.port, self.db)

    def _connect(self):
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as err:
            raise CacheBackendError("cannot reach Redis at %s:%s: %s" % (self.host, self.port, err)) from err
        self._sock, self._reader = sock, sock.makefile("rb")
        if self._password:
            self._send("AUTH", self._password)
        if self.db:
            self._send("SELECT", str(self.db))

    def _send(self, *parts):
        data = b"*%d\r\n" % len(parts)
        for part in parts:
            raw = part.encode() if isinstance(part, str) else part
            data += b"$%d\r\n%s\r\n" % (len(raw), raw)
        self._sock.sendall(data)
        return self._read()

    def _read(self):
        line = self._reader.readline()
        if not line.endswith(b"\r\n"):
            raise CacheBackendError("Redis closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RedisReplyError("Redis answered an error: %s" % rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            value = self._reader.read(size + 2)[:-2]
            return value.decode()
        if kind == b"*":
            return [self._read() for _ in range(max(int(rest), 0))]
        raise CacheBackendError("unexpected Redis reply %r" % line[:40])

    def _command(self, *parts):
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._sock is None:
                        self._connect()
                    return self._send(*parts)
                except RedisReplyError:
                    raise
                except (OSError, CacheBackendError):
                    # A dropped connection: reconnect once and resend.
                    self._close()
                    if attempt == 2:
                        raise
        return None

    def _close(self):
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        self._sock = self._reader = None

    def get_cache(self, key):
        return self._command("GET", key)

    def set_cache(self, key, value, ttl=None):
        ttl = ttl if ttl is not None else self.default_ttl
        if ttl is not None:
            self._command("SET", key, value, "EX", str(max(1, int(ttl))))
        else:
            self._command("SET", key, value)

    def flush_cache(self):
        self._command("FLUSHDB")


def _parse_redis_url(url):
    from urllib.parse import urlparse

    parsed = urlparse(url)
    db = parsed.path.lstrip("/") or None
    return parsed.hostname, parsed.port, parsed.password, db
