from pathlib import Path

import pytest

from nianbao.testing.scoring import answer_files as _answer_files

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
PAGES = SHARED / "pages"  # web-page copies cut after ~2,000 bytes (see its README)
FIXTURES = ROOT / "tests" / "fixtures"


def answer_files():
    """Every NAME.expected.json beside a document: the shared corpus, the shared web-page copies
    and our own fixtures."""
    return _answer_files(CORPUS, PAGES, FIXTURES)


@pytest.fixture(scope="session")
def shared():
    if not SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


def _pg_admin_url():
    import os
    url = os.environ.get("NIANBAO_TEST_PG_URL")
    if not url:
        if os.environ.get("NIANBAO_REQUIRE_PG"):
            pytest.fail("NIANBAO_REQUIRE_PG is set but NIANBAO_TEST_PG_URL is not")
        pytest.skip("no PostgreSQL server (set NIANBAO_TEST_PG_URL; .ci/run starts one)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database of each kind: a temporary SQLite file, a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corpus.db'}"
        return
    import uuid

    import psycopg
    admin = _pg_admin_url()
    name = f"nianbao_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
