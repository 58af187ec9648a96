from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"


def answer_files():
    """Every NAME.expected.json beside a document, in the shared corpus and our own fixtures."""
    out = []
    for base in (CORPUS, FIXTURES):
        if not base.exists():
            continue
        for ans in sorted(base.rglob("*.expected.json")):
            stem = ans.name[: -len(".expected.json")]
            docs = [p for p in ans.parent.iterdir() if p.stem == stem and not p.name.endswith(".json")]
            if docs:
                out.append((ans, docs[0]))
    return out


@pytest.fixture(scope="session")
def shared():
    if not SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    return SHARED
