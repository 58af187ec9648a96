from pathlib import Path

import pytest

from nianbao.evaluate import answer_files as _answer_files

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"


def answer_files():
    """Every NAME.expected.json beside a document, in the shared corpus and our own fixtures."""
    return _answer_files(CORPUS, FIXTURES)


@pytest.fixture(scope="session")
def shared():
    if not SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    return SHARED
