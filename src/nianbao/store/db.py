"""The one place that talks to a database: SQLite (embedded, default) or PostgreSQL (shared)."""
from __future__ import annotations

import os
import re
import sqlite3
from contextlib import contextmanager

DEFAULT_URL = "sqlite:///nianbao.db"


def resolve_url(url: str | None) -> str:
    return url or os.environ.get("NIANBAO_DB") or DEFAULT_URL


class StoreError(Exception):
    """The database cannot be used: a bad URL, a missing directory or database, no driver, no
    connection. ``zh`` says what to do (the CLI prints it and exits 2)."""

    def __init__(self, zh: str):
        super().__init__(zh)
        self.zh = zh


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")


class Database:
    """A thin connection wrapper: ``?`` placeholders everywhere, one transaction at a time.

    ``url``: ``sqlite:///path.db``, a plain file path, or ``postgresql://user:pw@host/db``.
    ``must_exist``: refuse (instead of creating) a SQLite file that does not exist yet.
    """

    def __init__(self, url: str | None = None, *, must_exist: bool = False):
        self.url = resolve_url(url)
        scheme = _SCHEME.match(self.url)
        if scheme and scheme.group(1).lower() not in ("sqlite", "postgresql", "postgres"):
            raise StoreError(f"不支持的数据库地址“{self.url}”：请用 SQLite 文件路径（如 nianbao.db 或 "
                             "sqlite:///nianbao.db）或 postgresql://用户:密码@主机/数据库")
        if self.url.startswith(("postgresql://", "postgres://")):
            try:
                import psycopg
            except ImportError:
                raise StoreError("使用 PostgreSQL 需要安装驱动：pip install 'nianbao[postgres]'") from None
            self.dialect = "postgresql"
            try:
                self.conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            except psycopg.Error as e:
                raise StoreError(f"无法连接 PostgreSQL 数据库（{_first_line(e)}）：请检查地址、用户名、密码和服务器是否在运行") from None
            # a commit need not wait for the WAL flush: a transaction is still all-or-nothing, and a
            # server crash can only lose the last few documents, which a re-run ingests again
            self.conn.execute("SET synchronous_commit TO off")
        else:
            path = re.sub(r"^sqlite:///?", "", self.url) if self.url.startswith("sqlite:") else self.url
            self.dialect = "sqlite"
            self.path = path
            folder = os.path.dirname(os.path.abspath(path))
            if not os.path.isdir(folder):
                raise StoreError(f"数据库所在的文件夹“{folder}”不存在：请先创建该文件夹，或换一个 --db 路径")
            if must_exist and not os.path.exists(path):
                raise StoreError(f"数据库“{path}”不存在：请先用 nianbao ingest 入库，或用 --db 指定已有的数据库")
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
            try:  # WAL is a property of the file: another process may be setting it right now
                self.conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:  # busy: it is (or will be) set by that process
                pass
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgresql" else sql

    def execute(self, sql: str, params=()):
        return self.conn.execute(self._sql(sql), params)

    def executemany(self, sql: str, rows: list) -> None:
        if self.dialect == "postgresql":
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(sql), rows)
        else:
            self.conn.executemany(sql, rows)

    def insert_rows(self, table: str, columns: tuple, rows: list) -> None:
        """Bulk insert (PostgreSQL: COPY; SQLite: executemany)."""
        if not rows:
            return
        if self.dialect == "postgresql":
            with self.conn.cursor() as cur:
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
                    for row in rows:
                        cp.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def query(self, sql: str, params=()) -> list:
        cur = self.execute(sql, params)
        return cur.fetchall()

    def one(self, sql: str, params=()):
        rows = self.query(sql, params)
        return rows[0] if rows else None

    @contextmanager
    def transaction(self):
        """All or nothing: an exception (or a killed process) leaves no partial write."""
        if self.dialect == "postgresql":
            with self.conn.transaction():
                yield self
        else:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def lock(self, key: int) -> None:
        """Inside a transaction: hold lock ``key`` until it ends (PostgreSQL advisory lock;
        SQLite's BEGIN IMMEDIATE already serialises writers)."""
        if self.dialect == "postgresql":
            self.execute("SELECT pg_advisory_xact_lock(?)", (key,))

    def close(self) -> None:
        self.conn.close()

    def size_bytes(self) -> int:
        if self.dialect == "postgresql":
            return int(self.one("SELECT pg_database_size(current_database())")[0])
        return sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))


def _first_line(e) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]
