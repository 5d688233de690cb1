"""The build cache, `.dossier-cache/` next to `content/`: one SQLite file.

It keeps what the next build can reuse: the stat and hash of every input file, the
compiled record of every source file (under a key that names everything the record
depends on), memoised results (verified quotes, summaries, graph layouts), and for
every output file its hash and the keys of what it read.

The cache is a pure optimisation. Every value carries its own checksum; anything
that fails to open, to read or to decode raises `StoreError`, and the build then
starts again without it. Writes happen in one transaction at the end of a build,
so an interrupted build leaves the previous cache as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

CACHE_DIR = ".dossier-cache"
FEW = 200  # keys to look up one by one rather than in one pass
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS inputs (path TEXT PRIMARY KEY, mtime_ns INT, size INT, digest BLOB,
                                   record BLOB);
CREATE TABLE IF NOT EXISTS records (key BLOB PRIMARY KEY, fingerprint BLOB, light BLOB,
                                    heavy BLOB, snippets BLOB);
CREATE TABLE IF NOT EXISTS articles (key BLOB PRIMARY KEY, fingerprint BLOB, id TEXT,
                                     title TEXT, date TEXT, updated TEXT, draft INT,
                                     topics TEXT, entities TEXT, counts TEXT, links TEXT,
                                     dek TEXT, publisher TEXT, exported BLOB, flagged INT,
                                     listed BLOB, authors TEXT, url TEXT, license TEXT,
                                     export TEXT, seal BLOB);
CREATE TABLE IF NOT EXISTS memo (key BLOB PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS outputs (url TEXT PRIMARY KEY, digest BLOB, mtime_ns INT, size INT,
                                    plan BLOB, reads BLOB);
CREATE TABLE IF NOT EXISTS keys (id INTEGER PRIMARY KEY, key TEXT, fingerprint BLOB);
"""


FORMAT = "dossier-cache " + hashlib.blake2b(_SCHEMA.encode(), digest_size=8).hexdigest()


class StoreError(Exception):
    """The cache cannot be used: damaged, truncated, or not a cache at all."""


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _seal(data: bytes) -> bytes:
    return digest(data) + data


def seal_row(fields: tuple[object, ...]) -> bytes:
    """The checksum of a row kept in plain columns."""
    return digest("\x1f".join(map(str, fields)).encode())


def _blob(value: object) -> bytes:
    if not isinstance(value, bytes):
        raise StoreError("a damaged key")
    return value


def _open(sealed: object) -> bytes:
    if not isinstance(sealed, bytes) or len(sealed) < 16 or digest(sealed[16:]) != sealed[:16]:
        raise StoreError("a cached value does not match its checksum")
    return sealed[16:]


class InputRow(NamedTuple):
    """What an input file looked like when it was last read (a tuple, not a dataclass:
    a build compares one per input file, twice, and tuples compare in C)."""

    mtime_ns: int
    size: int
    digest: bytes
    record: bytes = b""  # the key of the record compiled from it, if it is a source


class OutputRow(NamedTuple):
    """What a build wrote to one output file (a tuple, as `InputRow`)."""

    digest: bytes  # of the file's bytes
    mtime_ns: int  # of the written file, to notice a hand edit
    size: int
    plan: bytes  # what the plan of the site said about it (the build's salt is apart)
    reads: array[int]  # the ids of the keys it read (see `deps.KeyTable`)


class Store:
    """One open cache file."""

    def __init__(self, path: Path, readonly: bool = False, frozen: bool = False) -> None:
        """`readonly`: for a reader beside the build that owns the cache (`build
        serve`'s page threads, the no-change check); `frozen`: for a reader while
        nobody writes (a render worker), which SQLite then spares every lock and
        journal check."""
        self.path = path
        try:
            if readonly or frozen:
                uri = f"file:{path.absolute()}?mode=ro" + ("&immutable=1" if frozen else "")
                self.db = sqlite3.connect(
                    uri, uri=True, isolation_level=None, check_same_thread=False
                )  # autocommit: a reader must never keep a lock between statements
                found = self.meta("format")
            else:
                self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
                self.db.executescript(
                    "PRAGMA synchronous=OFF; PRAGMA journal_mode=DELETE; PRAGMA cache_size=-16384;"
                )
                self.db.executescript(_SCHEMA)
                found = self.meta("format")
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc
        if found != FORMAT.encode():
            if readonly or frozen:
                raise StoreError("not a cache of this version of Dossier")
            self.clear()
            self.set_meta("format", FORMAT.encode())

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()

    def sync(self) -> None:
        """Put what was written on disk (the cache is written with `synchronous=OFF`),
        for readers on other machines of a shared file system (a cluster's workers)."""
        with open(self.path, "rb") as handle:
            os.fsync(handle.fileno())

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            self.db.execute("BEGIN")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc

    def _rows(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc

    def _write(self, sql: str, rows: Iterable[tuple[object, ...]]) -> None:
        try:
            self.db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc

    def clear(self) -> None:
        """Empty the cache, its tables made again as this version defines them."""
        tables = ("meta", "inputs", "records", "articles", "memo", "outputs", "keys")
        dropped = (*tables, "snippets")  # a table of older versions
        try:
            self.db.executescript("".join(f"DROP TABLE IF EXISTS {t};" for t in dropped) + _SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc

    # --- meta -----------------------------------------------------------------------

    def meta(self, name: str) -> bytes | None:
        rows = self._rows("SELECT value FROM meta WHERE name = ?", (name,))
        return _open(rows[0][0]) if rows else None

    def set_meta(self, name: str, value: bytes) -> None:
        self._write("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(name, _seal(value))])

    # --- inputs: what each input file looked like when it was last read -------------

    def inputs(self) -> dict[str, InputRow]:
        found = {}
        for path, mtime, size, data, record in self._rows(
            "SELECT path, mtime_ns, size, digest, record FROM inputs"
        ):
            if not (isinstance(mtime, int) and isinstance(size, int) and isinstance(data, bytes)):
                raise StoreError("a damaged input row")
            found[str(path)] = InputRow(mtime, size, data, _blob(record))
        return found

    def update_inputs(self, old: dict[str, InputRow], new: dict[str, InputRow]) -> None:
        """From `old` to `new`, writing only the difference."""
        self._write("DELETE FROM inputs WHERE path = ?", ((p,) for p in old if p not in new))
        self._write(
            "INSERT OR REPLACE INTO inputs VALUES (?, ?, ?, ?, ?)",
            (
                (p, r.mtime_ns, r.size, r.digest, r.record)
                for p, r in new.items()
                if old.get(p) != r
            ),
        )

    # --- compiled records ------------------------------------------------------------

    def _wanted(self, keys: Iterable[bytes]) -> None:
        """Fill the temporary table that the lookups below join with."""
        self._write("CREATE TEMP TABLE IF NOT EXISTS wanted (key BLOB PRIMARY KEY)", [()])
        self._write("DELETE FROM wanted", [()])
        self._write("INSERT OR IGNORE INTO wanted VALUES (?)", ((k,) for k in keys))

    def lights(self, keys: Iterable[bytes]) -> dict[bytes, tuple[bytes, bytes]]:
        """The fingerprint and light part of the records under `keys` that it holds."""
        keys = list(keys)
        if len(keys) < FEW:
            sql = "SELECT key, fingerprint, light FROM records WHERE key = ?"
            rows = [row for key in keys for row in self._rows(sql, (key,))]
        else:
            self._wanted(keys)
            rows = self._rows("SELECT key, fingerprint, light FROM records JOIN wanted USING (key)")
        found = {}
        for key, fingerprint, light in rows:
            if isinstance(key, bytes) and isinstance(fingerprint, bytes):
                found[key] = (fingerprint, _open(light))
        return found

    def light(self, key: bytes) -> bytes:
        return self._one("SELECT light FROM records WHERE key = ?", (key,))

    def article_rows(self, keys: Iterable[bytes]) -> dict[bytes, tuple[bytes, tuple[object, ...]]]:
        """The fingerprint and index columns of the articles under `keys` that it holds,
        checked against their seal (`seal_row`): id, title, date, updated, draft, topics,
        entities, counts, links, dek, publisher, exported, flagged, listed, authors, url,
        license."""
        wanted = set(keys)
        seal_of = seal_row
        columns = "id, title, date, updated, draft, topics, entities, counts, links, dek"
        sql = (
            f"SELECT key, fingerprint, seal, {columns}, publisher, exported, flagged, listed, "
            "authors, url, license FROM articles"
        )
        if len(wanted) < FEW:  # a rebuild after an edit: a few lookups
            rows = [row for key in wanted for row in self._rows(sql + " WHERE key = ?", (key,))]
        else:  # nearly all of them: one pass, no temporary table to join with
            rows = self._rows(sql)
        found: dict[bytes, tuple[bytes, tuple[object, ...]]] = {}
        for row in rows:
            key, fingerprint, seal, fields = row[0], row[1], row[2], row[3:]
            if key in wanted:
                if seal != seal_of(fields) or not isinstance(fingerprint, bytes):
                    raise StoreError("an article row does not match its checksum")
                found[_blob(key)] = (fingerprint, fields)
        return found

    def article_keys(self) -> set[bytes]:
        """The keys of the articles whose index rows and records it holds."""
        return {_blob(key) for (key,) in self._rows("SELECT key FROM articles")}

    def exports(self, keys: Iterable[bytes]) -> dict[bytes, str]:
        self._wanted(keys)
        found: dict[bytes, str] = {}
        for key, sealed in self._rows("SELECT key, export FROM articles JOIN wanted USING (key)"):
            found[_blob(key)] = _open(sealed).decode()
        return found

    def heavy(self, key: bytes) -> bytes:
        return self._one("SELECT heavy FROM records WHERE key = ?", (key,))

    def snippets(self, keys: list[bytes]) -> dict[bytes, bytes]:
        """The snippets of the records under `keys`, all of them there."""
        sql = "SELECT snippets FROM records WHERE key = ?"
        return {key: self._one(sql, (key,)) for key in keys}

    def _one(self, sql: str, args: tuple[object, ...]) -> bytes:
        rows = self._rows(sql, args)
        if not rows:
            raise StoreError("a record is missing")
        return _open(rows[0][0])

    def put_records(
        self,
        rows: Iterable[tuple[bytes, bytes, bytes, bytes, bytes]],
        articles: Iterable[tuple[object, ...]],
    ) -> None:
        """(key, fingerprint, light, heavy, snippets) rows, and the index columns of
        articles (key and fingerprint first, export last)."""
        self._write(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)",
            ((k, f, _seal(light), _seal(heavy), _seal(s)) for k, f, light, heavy, s in rows),
        )
        self._write(
            "INSERT OR REPLACE INTO articles VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((*a[:-1], _seal(str(a[-1]).encode()), seal_row(a[2:-1])) for a in articles),
        )  # key, fingerprint, the index columns, the export (sealed), the columns' seal

    def forget_records(self, keys: Iterable[bytes]) -> None:
        """Delete the records under `keys` (replaced by newer ones)."""
        rows = [(k,) for k in keys]
        for table in ("records", "articles"):
            self._write(f"DELETE FROM {table} WHERE key = ?", rows)

    def keep_records(self, keys: Iterable[bytes]) -> None:
        """Forget every record but these: only when there are others, left by a build
        that was stopped before it said which records it replaced."""
        live = set(keys)
        rows = self._rows("SELECT count(*) FROM records")
        if rows and rows[0][0] == len(live):
            return
        self._wanted(live)
        for table in ("records", "articles"):
            self._write(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM wanted)", [()])

    # --- memo ------------------------------------------------------------------------

    def memo(self, key: bytes) -> bytes | None:
        rows = self._rows("SELECT value FROM memo WHERE key = ?", (key,))
        return _open(rows[0][0]) if rows else None

    def put_memo(self, rows: Iterable[tuple[bytes, bytes]]) -> None:
        self._write("INSERT OR REPLACE INTO memo VALUES (?, ?)", ((k, _seal(v)) for k, v in rows))

    def keep_memo(self, keys: Iterable[bytes]) -> None:
        self._write("CREATE TEMP TABLE IF NOT EXISTS live_memo (key BLOB PRIMARY KEY)", [()])
        self._write("DELETE FROM live_memo", [()])
        self._write("INSERT OR IGNORE INTO live_memo VALUES (?)", ((k,) for k in keys))
        self._write("DELETE FROM memo WHERE key NOT IN (SELECT key FROM live_memo)", [()])

    # --- outputs and the keys they read ----------------------------------------------

    def outputs(self) -> dict[str, OutputRow]:
        rows = self._rows("SELECT url, digest, mtime_ns, size, plan, reads FROM outputs")
        found = {}
        for url, data, mtime, size, plan, reads in rows:
            if not isinstance(data, bytes):
                raise StoreError("a damaged output row")
            if not (isinstance(mtime, int) and isinstance(size, int)):
                raise StoreError("a damaged output row")
            if not isinstance(plan, bytes):
                raise StoreError("a damaged output row")
            ids = array("I")
            ids.frombytes(_open(reads))
            found[str(url)] = OutputRow(data, mtime, size, plan, ids)
        return found

    def output_stats(self) -> list[tuple[str, int, int]]:
        """(url, mtime_ns, size) of every output: all that a no-change check needs."""
        found = []
        for url, mtime, size in self._rows("SELECT url, mtime_ns, size FROM outputs"):
            if not (isinstance(url, str) and isinstance(mtime, int) and isinstance(size, int)):
                raise StoreError("a damaged output row")
            found.append((url, mtime, size))
        return found

    def set_outputs(self, rows: dict[str, OutputRow], removed: Iterable[str]) -> None:
        self._write("DELETE FROM outputs WHERE url = ?", ((url,) for url in removed))
        self._write(
            "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?, ?)",
            (
                (u, r.digest, r.mtime_ns, r.size, r.plan, _seal(r.reads.tobytes()))
                for u, r in rows.items()
            ),
        )

    def clear_outputs(self) -> None:
        self._write("DELETE FROM outputs", [()])
        self._write("DELETE FROM keys", [()])

    def keys(self) -> dict[str, tuple[int, bytes]]:
        """The id and the fingerprint in the last build of every key an output read.
        (The table has no unique index on the key, which a build's 400,000 keys at
        100,000 articles took seconds to keep: a build gives each new key the next id.
        Were a key stored twice, the id it loses here would count as changed.)"""
        found = {}
        for number, key, fingerprint in self._rows("SELECT id, key, fingerprint FROM keys"):
            if not (
                isinstance(number, int) and isinstance(key, str) and isinstance(fingerprint, bytes)
            ):
                raise StoreError("a damaged key row")
            found[key] = (number, fingerprint)
        return found

    def update_keys(self, rows: Iterable[tuple[int, str, bytes]]) -> None:
        """(id, key, fingerprint) rows that are new or changed."""
        self._write("INSERT OR REPLACE INTO keys VALUES (?, ?, ?)", rows)


def open_store(path: Path) -> Store:
    """The cache at `path`, made anew if it is damaged (it only ever costs time)."""
    try:
        return Store(path)
    except StoreError:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{path}{suffix}")
        return Store(path)
