"""Record snapshots: every field of the parsed record that matters, for a fixed set of documents.

The set is the shared corpus, ``../shared/pages``, this repository's fixtures and a fixed
synthetic set. A snapshot keeps values, raw texts, certainty, locations, tables, metadata, parts,
and each diagnostic's code, severity, keys, candidates, location and parameters — not its
rendered message, which the code catalogue may reword.

    python tests/snapshots/records.py            # compare, print the differences
    python tests/snapshots/records.py --update   # write the snapshots (after a deliberate change)
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared"
SNAP = HERE / "records"


def documents():
    """(snapshot name, bytes, file name) for every document of the fixed set."""
    out = []
    for base, tag in ((SHARED / "corpus", "corpus"), (SHARED / "pages", "pages"), (ROOT / "tests" / "fixtures", "fixtures")):
        if not base.exists():
            continue
        for p in sorted(base.rglob("*")):
            if "rule_bases" in p.parts:  # byte copies of corpus documents, for the rule fixtures
                continue
            if p.is_file() and p.suffix.lower() in (".txt", ".html", ".htm", ".pdf", ".docx", ".md") \
                    and p.name.lower() != "readme.md":
                out.append((f"{tag}/{p.relative_to(base).as_posix()}", p.read_bytes(), p.name))
    out.extend(synthetic_documents())
    return out


def synthetic_documents(n: int = 24, seed: int = 7):
    from nianbao.testing import synth
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        year = 2019 + i % 6
        template = synth.template_for_year(year)
        agency = synth.random_body(rng)[0]
        values = synth.random_values(rng, template)
        if i % 2:
            html = synth.render_html(values, agency=agency, year=year, template=template, rng=rng)
            docs.append((f"synthetic/{i:02d}.html", synth.encode_html(html), f"{i:02d}.html"))
        else:
            shape = synth.TEXT_SHAPES[(i // 2) % len(synth.TEXT_SHAPES)]
            text = synth.render_text(values, agency=agency, year=year, template=template, rng=rng, shape=shape)
            docs.append((f"synthetic/{i:02d}.txt", synth.encode_text(text), f"{i:02d}.txt"))
    return docs


def record_of(data: bytes, filename: str) -> dict:
    """The comparable record of one document (an unreadable input: its error code)."""
    import nianbao
    try:
        report = nianbao.parse(data, filename=filename)
    except nianbao.InputError as e:
        return {"error": e.code}
    d = report.to_dict(full=True)
    for x in d["diagnostics"]:
        x.pop("message", None)
    d.pop("cells")  # repeated in cell_details
    return d


def snapshot_path(name: str) -> Path:
    return SNAP / (name.replace("/", "__") + ".json")


def compare(update: bool = False) -> list:
    """Differences between the current records and the stored ones (or write them)."""
    diffs = []
    seen = set()
    SNAP.mkdir(exist_ok=True)
    for name, data, filename in documents():
        rec = record_of(data, filename)
        path = snapshot_path(name)
        seen.add(path.name)
        text = json.dumps(rec, ensure_ascii=False, sort_keys=True, indent=0)
        if update:
            path.write_text(text + "\n", encoding="utf-8")
            continue
        if not path.exists():
            diffs.append(f"{name}: no snapshot")
            continue
        old = json.loads(path.read_text(encoding="utf-8"))
        if old != json.loads(text):
            diffs.append(f"{name}: " + _first_difference(old, json.loads(text)))
    if update:
        for p in SNAP.glob("*.json"):
            if p.name not in seen:
                p.unlink()
    return diffs


def _first_difference(a, b, path="") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return _first_difference(a.get(k), b.get(k), f"{path}.{k}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {json.dumps(a, ensure_ascii=False)[:200]} → {json.dumps(b, ensure_ascii=False)[:200]}"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    result = compare(update="--update" in sys.argv)
    print("\n".join(result) or "records identical")
    sys.exit(1 if result else 0)
