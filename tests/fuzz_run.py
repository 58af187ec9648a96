"""A bounded fuzz run over ``parse``/``check``: mutated corpus files and generated hostile
structures, all made here (nothing large is committed). Run by ``tests/test_fuzz.py`` in a
subprocess, so that a native crash cannot take pytest down.

    python tests/fuzz_run.py --seed 1 --cases 200 [--out DIR]

Every case is audited in isolated workers (as ``check`` does). The run fails (exit 1) when an
exception escapes the parser (``internal-error``), when a limit does not hold (a timeout or the
memory ceiling: the caps should stop hostile inputs first), or when a run's exit code is not
0/1/2. A native crash of a reader is recorded for its input (``worker-crashed``) and reported.
"""
from __future__ import annotations

import argparse
import io
import random
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"


def sources() -> list:
    files = sorted(p for d in (CORPUS, FIXTURES) if d.exists() for p in d.rglob("*")
                   if p.suffix.lower() in (".txt", ".html", ".htm", ".pdf", ".docx", ".md") and p.stat().st_size < 3_000_000)
    return [(p.name, p.read_bytes()) for p in files]


# ---------------------------------------------------------------- mutations of real files

def flip(rng, data):
    b = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def truncate(rng, data):
    return data[: rng.randint(0, len(data))]


def insert(rng, data):
    i = rng.randint(0, len(data))
    junk = rng.choice([b"\x00" * 50, b"<div>" * 500, b"\xff\xfe", b"9" * 40, "万元亿元".encode() * 10,
                       bytes(rng.randrange(256) for _ in range(64)), b"<td rowspan=0 colspan=99999>"])
    return data[:i] + junk + data[i:]


def splice(rng, data, other):
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)):]


def huge_numbers(rng, data):
    out = bytearray()
    for ch in data:
        out.append(ch)
        if 48 <= ch <= 57 and rng.random() < 0.05:
            out += b"9" * rng.randint(5, 30)
    return bytes(out)


def reencode(rng, data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    enc, bom = rng.choice([("utf-16-le", b"\xff\xfe"), ("utf-16-be", b""), ("utf-32-le", b"\xff\xfe\x00\x00"),
                           ("gb18030", b""), ("utf-8", b"\xef\xbb\xbf")])
    return bom + text.encode(enc, errors="replace")


def zip_mutate(rng, data):
    """Mutate one part of a zip package (a .docx) and repack it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
    except Exception:
        return flip(rng, data)
    name = rng.choice(sorted(parts))
    parts[name] = rng.choice([flip, truncate, insert])(rng, parts[name])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return buf.getvalue()


MUTATORS = [flip, truncate, insert, huge_numbers, reencode]


# ---------------------------------------------------------------- hostile structures

def deep_html(rng):
    n = rng.choice([300, 3000, 50000])
    return ("<html><body><p>某某政府信息公开工作年度报告</p>" + "<div>" * n + "正文" + "</div>" * n).encode()


def span_table(rng):
    rows = rng.randint(500, 4000)
    cells = "".join(f"<tr><td rowspan={rng.choice([0, 99999, 2])}>a</td><td colspan={rng.choice([1, 99999])}>{i}</td></tr>"
                    for i in range(rows))
    return f"<html><body><h1>某某县2023年政府信息公开工作年度报告</h1><table>{cells}</table></body></html>".encode()


def zip_bomb_docx(rng):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * rng.choice([10, 80_000_000]))
    return buf.getvalue()


def many_members(rng):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(rng.choice([10, 20000])):
            z.writestr(f"word/p{i}.xml", "x")
    return buf.getvalue()


def tiny(rng):
    return rng.choice([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00\x00\xfe\xff", b"   \n\t", b"\x00" * 100, b"%PDF-",
                       b"PK\x03\x04", b"<html></html>", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600])


def huge_cells(rng):
    vals = "\t".join(str(rng.choice([10 ** 12, 10 ** 30, -5, 3])) for _ in range(7))
    return (f"某某镇2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            f"一、本年新收政府信息公开申请数量\t{vals}\n").encode()


def pdf_odd(rng):
    box = rng.choice(["0 0 -612 -792", "0 0 0 0", "0 0 1e30 1e30", "0 0 612 792"])
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[" + box.encode() + b"]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF")
    return body


HOSTILE = [(deep_html, "deep.html"), (span_table, "spans.html"), (zip_bomb_docx, "bomb.docx"),
           (many_members, "many.docx"), (tiny, "tiny.txt"), (huge_cells, "huge.txt"), (pdf_odd, "odd.pdf")]


def cases(seed: int, n: int):
    rng = random.Random(seed)
    src = sources()
    for i in range(n):
        if not src or rng.random() < 0.3:
            gen, name = rng.choice(HOSTILE)
            yield f"{i:04d}-{name}", gen(rng)
            continue
        name, data = rng.choice(src)
        if name.endswith(".docx") and rng.random() < 0.6:
            data = zip_mutate(rng, data)
        elif rng.random() < 0.15:
            data = splice(rng, data, rng.choice(src)[1])
        else:
            for _ in range(rng.randint(1, 3)):
                data = rng.choice(MUTATORS)(rng, data)
        yield f"{i:04d}-{name}", data


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
    generated = list(cases(args.seed, args.cases))
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
