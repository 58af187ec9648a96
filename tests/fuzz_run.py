"""A bounded fuzz run over ``parse``/``check``: mutated corpus files and generated hostile
structures, all made here (nothing large is committed) by Hypothesis strategies, with a fixed seed
so that a run is reproducible. Run by ``tests/test_fuzz.py`` in a subprocess, so that a native
crash cannot take pytest down.

    python tests/fuzz_run.py --seed 1 --cases 200 [--out DIR]

Hypothesis draws each case (which file and which mutations — bit flips, cuts, inserted junk, digit
runs, re-encodings, splices, a mutated part of a .docx — or a hostile structure and its sizes);
the cases are then audited together in isolated workers (as ``check`` does: a hang or a native
crash is one input's failure, and the workers run in parallel). The run fails (exit 1) when an
exception escapes the parser (``internal-error``), when a limit does not hold (a timeout or the
memory ceiling: the caps should stop hostile inputs first), or when a run's exit code is not
0/1/2. A native crash of a reader is recorded for its input (``worker-crashed``) and reported.
"""
from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings as hypothesis_settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"


def sources() -> list:
    files = sorted(p for d in (CORPUS, FIXTURES) if d.exists() for p in d.rglob("*")
                   if p.suffix.lower() in (".txt", ".html", ".htm", ".pdf", ".docx", ".md") and p.stat().st_size < 3_000_000)
    return [(p.name, p.read_bytes()) for p in files]


# ---------------------------------------------------------------- mutations of real files
# Each mutation is drawn as data (positions as large integers taken modulo the length) and applied
# here, so Hypothesis's own buffer stays small whatever the file's size.

POS = st.integers(min_value=0, max_value=2 ** 31)
JUNK = [b"\x00" * 50, b"<div>" * 500, b"\xff\xfe", b"9" * 40, "万元亿元".encode() * 10,
        b"<td rowspan=0 colspan=99999>", b"\xef\xbb\xbf", "\t\t一、本年新收\t".encode()]
ENCODINGS = [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b""), ("utf-32-le", b"\xff\xfe\x00\x00"),
             ("gb18030", b""), ("utf-8", b"\xef\xbb\xbf")]

MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.lists(st.tuples(POS, st.integers(0, 255)), min_size=1, max_size=20)),
    st.tuples(st.just("truncate"), POS),
    st.tuples(st.just("insert"), POS, st.one_of(st.sampled_from(JUNK), st.binary(min_size=1, max_size=64))),
    st.tuples(st.just("huge_numbers"), st.lists(st.tuples(POS, st.integers(5, 30)), min_size=1, max_size=20)),
    st.tuples(st.just("reencode"), st.sampled_from(ENCODINGS)),
    st.tuples(st.just("splice"), POS, POS, POS),
)


def mutate(data: bytes, op, src: list) -> bytes:
    kind, *args = op
    if kind == "flip":
        b = bytearray(data)
        for pos, value in args[0]:
            if b:
                b[pos % len(b)] = value
        return bytes(b)
    if kind == "truncate":
        return data[: args[0] % (len(data) + 1)]
    if kind == "insert":
        i = args[0] % (len(data) + 1)
        return data[:i] + args[1] + data[i:]
    if kind == "huge_numbers":
        digits = [i for i, ch in enumerate(data) if 48 <= ch <= 57]
        if not digits:
            return data
        out, last = [], 0
        for i, n in sorted((digits[pos % len(digits)], n) for pos, n in args[0]):
            out += [data[last: i + 1], b"9" * n]
            last = i + 1
        return b"".join(out) + data[last:]
    if kind == "reencode":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data
        enc, bom = args[0]
        return bom + text.encode(enc, errors="replace")
    if kind == "splice":
        other = src[args[0] % len(src)][1]
        return data[: args[1] % (len(data) + 1)] + other[args[2] % (len(other) + 1):]
    raise ValueError(kind)


def _put(z: zipfile.ZipFile, name: str, data) -> None:
    """A member with a fixed time stamp: the same case is the same bytes in every run."""
    z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=z.compression)


def zip_mutate(data: bytes, part: int, ops: list, src: list) -> bytes:
    """Mutate one part of a zip package (a .docx) and repack it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
    except Exception:
        return mutate(data, ops[0], src)
    name = sorted(parts)[part % len(parts)]
    for op in ops:
        parts[name] = mutate(parts[name], op, src)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            _put(z, n, b)
    return buf.getvalue()


# ---------------------------------------------------------------- hostile structures

def deep_html(n):
    return ("<html><body><p>某某政府信息公开工作年度报告</p>" + "<div>" * n + "正文" + "</div>" * n).encode()


def span_table(rows, rowspans, colspans):
    cells = "".join(f"<tr><td rowspan={rowspans[i % len(rowspans)]}>a</td>"
                    f"<td colspan={colspans[i % len(colspans)]}>{i}</td></tr>" for i in range(rows))
    return f"<html><body><h1>某某县2023年政府信息公开工作年度报告</h1><table>{cells}</table></body></html>".encode()


def zip_bomb_docx(spaces):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        _put(z, "[Content_Types].xml", "<Types/>")
        _put(z, "word/document.xml", b"<w:document>" + b" " * spaces)
    return buf.getvalue()


def many_members(n):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(n):
            _put(z, f"word/p{i}.xml", "x")
    return buf.getvalue()


TINY = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00\x00\xfe\xff", b"   \n\t", b"\x00" * 100, b"%PDF-",
        b"PK\x03\x04", b"<html></html>", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600]


def huge_cells(vals):
    vals = "\t".join(str(v) for v in vals)
    return (f"某某镇2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            f"一、本年新收政府信息公开申请数量\t{vals}\n").encode()


def pdf_page(box: str) -> bytes:
    """A one-page PDF with this MediaBox and no content."""
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[" + box.encode() + b"]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF")


_NUM = st.one_of(st.sampled_from(["0", "-612", "-792", "1e30", "612", "792"]),
                 st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda f: f"{f:g}"))
HOSTILE = st.one_of(
    st.builds(lambda n: ("deep.html", deep_html(n)), st.one_of(st.sampled_from([300, 3000, 50000]),
                                                               st.integers(1, 60000))),
    st.builds(lambda r, rs, cs: ("spans.html", span_table(r, rs, cs)), st.integers(1, 4000),
              st.lists(st.sampled_from([0, 1, 2, 99999]), min_size=1, max_size=6),
              st.lists(st.sampled_from([1, 2, 1000, 99999]), min_size=1, max_size=6)),
    st.builds(lambda n: ("bomb.docx", zip_bomb_docx(n)), st.sampled_from([10, 80_000_000])),
    st.builds(lambda n: ("many.docx", many_members(n)), st.one_of(st.sampled_from([10, 20000]),
                                                                  st.integers(0, 30000))),
    st.builds(lambda b: ("tiny.txt", b), st.one_of(st.sampled_from(TINY), st.binary(max_size=16))),
    st.builds(lambda v: ("huge.txt", huge_cells(v)),
              st.lists(st.one_of(st.sampled_from([10 ** 12, 10 ** 30, -5, 3]), st.integers()), min_size=7, max_size=7)),
    st.builds(lambda box: ("odd.pdf", pdf_page(" ".join(box))), st.lists(_NUM, min_size=4, max_size=4)),
)


def case_strategy(src: list):
    def mutated(draw_index, ops, part):
        name, data = src[draw_index % len(src)]
        if name.endswith(".docx") and part is not None:
            return name, zip_mutate(data, part, ops, src)
        for op in ops:
            data = mutate(data, op, src)
        return name, data

    real = st.builds(mutated, POS, st.lists(MUTATION, min_size=1, max_size=3), st.none() | POS)
    if not src:
        return HOSTILE
    # about 3 in 10 a hostile structure, the others a mutated real file
    return st.sampled_from(range(10)).flatmap(lambda k: HOSTILE if k < 3 else real)


def cases(seed: int, n: int) -> list:
    """``n`` cases drawn by Hypothesis with this seed: [(name, bytes)], the same for the same seed."""
    src = sources()
    drawn: list = []

    @hypothesis_settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
                         suppress_health_check=list(HealthCheck))
    @hypothesis_seed(seed)
    @given(case_strategy(src))
    def draw(case):
        if len(drawn) < n:
            drawn.append(case)

    draw()
    return [(f"{i:04d}-{name}", data) for i, (name, data) in enumerate(drawn)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--out", type=Path, help="also write the cases here and run the check CLI on them")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from nianbao.audit import audit_inputs
    from nianbao.config import DEFAULT

    settings = DEFAULT.replace(time_limit=60, memory_limit=1500, max_bytes=50 * 1024 * 1024)
    generated = cases(args.seed, args.cases)
    run = audit_inputs(generated, workers=4, settings=settings)
    bad, crashed = [], []
    for a in run.tasks:
        code = a.error.code if a.error is not None else None
        if code in ("internal-error", "timeout", "memory-limit"):
            bad.append((a.name, code, a.error.zh))
        elif code == "worker-crashed":
            crashed.append((a.name, a.error.zh))
    counts: dict = {}
    for a in run.tasks:
        counts[a.status] = counts.get(a.status, 0) + 1
    print(f"fuzz seed={args.seed} cases={len(run.tasks)} {counts} exit={run.exit_code}")
    for name, why in crashed:
        print(f"native crash (recorded, batch went on): {name}: {why}")
    if run.exit_code not in (0, 1, 2):
        bad.append(("run", "exit", run.exit_code))
    if args.out:
        import subprocess
        args.out.mkdir(parents=True, exist_ok=True)
        for name, data in generated[:60]:
            (args.out / name).write_bytes(data)
        p = subprocess.run([sys.executable, "-m", "nianbao", "check", "--json", str(args.out)],
                           capture_output=True, text=True, timeout=300)
        if p.returncode not in (0, 1, 2) or "Traceback" in p.stderr:
            bad.append(("check CLI", p.returncode, p.stderr[-2000:]))
    for b in bad:
        print("FAIL", *b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
