"""What reviewers add to the store: users with roles, sessions, API tokens, decisions on findings,
cell corrections and upload jobs; and the report list the web app pages through.

    review = Review(corpus)
    review.add_user("li", "reviewer", "secret")
    review.decide(finding_id, "dismissed", "已在说明中解释", user="li")
    review.correct(report_id, "applications.total.total", "3050", "原表笔误", user="li")
    review.list_reports(year=2024, status="errors", page=1)

A decision is keyed by the document's sha256, the finding's code and its cell keys; it carries
over to a new version of the document (same name) when the same finding — code, cells, expected
and actual — is still there. A correction keeps the parsed value beside the corrected one. A
report is 已审核 (``reviewed``) when every error-level finding has a decision.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

ROLES = ("admin", "reviewer", "viewer")
DECISIONS = {"confirmed": "确认问题", "dismissed": "误报/已说明"}
STATUSES = {"ok": "无问题", "errors": "有错误", "warnings": "有警告", "unreadable": "无法读取", "reviewed": "已审核"}
SESSION_HOURS = 12


class ReviewError(ValueError):
    """A request the store refuses: ``code`` (kebab-case) and a Chinese ``message``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _hasher():
    from argon2 import PasswordHasher
    return PasswordHasher()


def _j(v):
    return None if v is None else json.dumps(v, ensure_ascii=False)


def _same(a: str, b: str) -> str:
    return f"COALESCE({a}, '') = COALESCE({b}, '')"


# The documents that are versions of one report: the same body and year (the store's identity),
# or the same file name (a body or year the parser could not read).
def _lineage(agency: str, year: str, name: str) -> str:
    return (f"SELECT o.sha256 FROM documents o JOIN reports ro ON ro.document_id = o.id WHERE "
            f"ro.agency_norm = {agency} AND ro.year = {year} UNION SELECT n.sha256 FROM documents n WHERE n.name = {name}")


# the latest decision that applies to finding f of a report: made on these bytes, or on another
# version of the report (same body and year, or same file name) for the same finding (code, cells,
# expected, actual); found through the versions' hashes (few) and the index on decisions
def _decision_for(f: str = "f", sha: str = "r.sha256", agency: str = "r.agency_norm", year: str = "r.year",
                  name: str = "r.name") -> str:
    return (f"SELECT dd.id FROM decisions dd WHERE dd.sha256 IN ({_lineage(agency, year, name)}) "
            f"AND dd.code = {f}.code AND dd.keys = {f}.keys AND (dd.sha256 = {sha} OR "
            f"({_same('dd.expected', f + '.expected')} AND {_same('dd.actual', f + '.actual')})) "
            "ORDER BY dd.id DESC LIMIT 1")


_UNDECIDED = ("EXISTS (SELECT 1 FROM findings f WHERE f.report_id = r.id AND f.severity = 'error' AND NOT EXISTS ("
              + _decision_for() + "))")
_STATUS_SQL = ("CASE WHEN EXISTS (SELECT 1 FROM findings p WHERE p.report_id = r.id AND p.code = 'P001') "
               "THEN 'unreadable' WHEN r.errors > 0 AND NOT " + _UNDECIDED + " THEN 'reviewed' "
               "WHEN r.errors > 0 THEN 'errors' WHEN r.warnings > 0 THEN 'warnings' ELSE 'ok' END")
_SORTS = {"name": "x.name", "agency": "x.agency_norm", "year": "x.year", "template": "x.template",
          "errors": "x.errors", "warnings": "x.warnings", "status": "x.status", "ingested": "x.ingested_at"}
_LIST_COLUMNS = ("document_id", "report_id", "name", "sha256", "version", "format", "ingested_at", "error_code",
                 "error_message", "agency", "agency_norm", "year", "template", "errors", "warnings", "infos", "status")


def parse_value(text):
    """A corrected value as exact decimal text (None for blank); refuses what is no number."""
    if text is None or str(text).strip() == "":
        return None
    s = str(text).strip().replace(",", "").replace("，", "")
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise ReviewError("bad-value", f"“{text}”不是数字：请填写数字（如 3050 或 12.5），留空表示空白单元格") from None
    if not d.is_finite():
        raise ReviewError("bad-value", f"“{text}”不是数字")
    return str(int(d)) if d == d.to_integral_value() else str(d.normalize())


def exact_number(text):
    """Exact decimal text back as int or Decimal (None stays None)."""
    if text is None:
        return None
    d = Decimal(str(text))
    return int(d) if d == d.to_integral_value() else d


class Review:
    """Reviewer data in the same database as a :class:`~nianbao.store.Corpus`."""

    def __init__(self, corpus):
        self.corpus = corpus
        self.db = corpus.db

    # ---------------------------------------------------------------- users

    def add_user(self, name: str, role: str, password: str) -> int:
        name = (name or "").strip()
        if not name or len(name) > 64:
            raise ReviewError("bad-name", "用户名不能为空，最多 64 个字符")
        if role not in ROLES:
            raise ReviewError("bad-role", f"角色应为 {' / '.join(ROLES)}")
        if len(password or "") < 8:
            raise ReviewError("weak-password", "密码至少 8 个字符")
        if self.db.one("SELECT 1 FROM users WHERE name = ?", (name,)):
            raise ReviewError("user-exists", f"用户 {name} 已存在")
        with self.db.transaction():
            return self.db.one("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) "
                               "RETURNING id", (name, role, _hasher().hash(password), _now()))[0]

    def set_password(self, name: str, password: str) -> None:
        if len(password or "") < 8:
            raise ReviewError("weak-password", "密码至少 8 个字符")
        with self.db.transaction():
            self.db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (_hasher().hash(password), name))

    def set_role(self, name: str, role: str) -> None:
        if role not in ROLES:
            raise ReviewError("bad-role", f"角色应为 {' / '.join(ROLES)}")
        with self.db.transaction():
            self.db.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))

    def remove_user(self, name: str) -> None:
        with self.db.transaction():
            self.db.execute("UPDATE users SET disabled = 1 WHERE name = ?", (name,))
            uid = self.db.one("SELECT id FROM users WHERE name = ?", (name,))
            if uid:
                self.db.execute("DELETE FROM sessions WHERE user_id = ?", (uid[0],))
                self.db.execute("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                                (_now(), uid[0]))

    def users(self) -> list:
        rows = self.db.query("SELECT id, name, role, created_at, disabled FROM users ORDER BY name")
        return [{"id": i, "name": n, "role": r, "created_at": c, "disabled": bool(d)} for i, n, r, c, d in rows]

    def user(self, user_id) -> dict | None:
        row = self.db.one("SELECT id, name, role FROM users WHERE id = ? AND disabled = 0", (user_id,))
        return None if row is None else {"id": row[0], "name": row[1], "role": row[2]}

    def count_users(self) -> int:
        return self.db.one("SELECT COUNT(*) FROM users WHERE disabled = 0")[0]

    def has_admin(self) -> bool:
        return self.db.one("SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0") is not None

    def authenticate(self, name: str, password: str) -> dict | None:
        """The user if ``password`` is theirs (None otherwise; the hash is checked either way)."""
        row = self.db.one("SELECT id, password_hash FROM users WHERE name = ? AND disabled = 0", ((name or "").strip(),))
        ph = _hasher()
        try:
            if row is None:
                ph.hash(password or "x")  # same work: no timing hint that the name is unknown
                return None
            ph.verify(row[1], password or "")
        except Exception:  # argon2's VerifyMismatchError / InvalidHash
            return None
        return self.user(row[0])

    # ---------------------------------------------------------------- sessions

    def create_session(self, user_id) -> tuple:
        """(session token, CSRF token) for ``user_id`` (None: the open single-user mode)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        expires = (datetime.now(timezone.utc) + timedelta(hours=SESSION_HOURS)).isoformat(timespec="seconds")
        with self.db.transaction():
            self.db.execute("DELETE FROM sessions WHERE expires_at < ?", (_now(),))
            self.db.execute("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) "
                            "VALUES (?, ?, ?, ?, ?)", (_hash_token(token), user_id, csrf, _now(), expires))
        return token, csrf

    def session(self, token: str | None) -> dict | None:
        """``{"user": user or None, "csrf"}`` of a live session, else None."""
        if not token:
            return None
        row = self.db.one("SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = ?", (_hash_token(token),))
        if row is None or row[2] < _now():
            return None
        user = None
        if row[0] is not None:
            user = self.user(row[0])
            if user is None:
                return None
        return {"user": user, "csrf": row[1], "open": row[0] is None}

    def end_session(self, token: str | None) -> None:
        if token:
            with self.db.transaction():
                self.db.execute("DELETE FROM sessions WHERE token_hash = ?", (_hash_token(token),))

    # ---------------------------------------------------------------- API tokens

    def create_token(self, user_id: int, name: str) -> dict:
        """A new personal API token; its secret is returned once and stored only as a hash."""
        name = (name or "").strip()[:64] or "API"
        token = "nb_" + secrets.token_urlsafe(32)
        with self.db.transaction():
            tid = self.db.one("INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) "
                              "VALUES (?, ?, ?, ?, ?) RETURNING id",
                              (user_id, name, _hash_token(token), token[:7], _now()))[0]
        return {"id": tid, "name": name, "token": token}

    def tokens(self, user_id: int) -> list:
        rows = self.db.query("SELECT id, name, prefix, created_at, revoked_at FROM api_tokens WHERE user_id = ? "
                             "ORDER BY id DESC", (user_id,))
        return [{"id": i, "name": n, "prefix": p, "created_at": c, "revoked_at": r} for i, n, p, c, r in rows]

    def revoke_token(self, user_id: int, token_id: int) -> bool:
        with self.db.transaction():
            row = self.db.one("SELECT id FROM api_tokens WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                              (token_id, user_id))
            if row is None:
                return False
            self.db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", (_now(), token_id))
        return True

    def token_user(self, token: str | None) -> dict | None:
        if not token:
            return None
        row = self.db.one("SELECT user_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                          (_hash_token(token),))
        return None if row is None else self.user(row[0])

    # ---------------------------------------------------------------- the report list

    def list_reports(self, *, year=None, template=None, agency=None, status=None, code=None, sort="agency",
                     desc=False, page=1, per_page=50) -> dict:
        """One page of the current reports (the store's ``current_reports``) and of the documents that
        could not be read, filtered and sorted in SQL: ``{"total", "page", "per_page", "rows": [...]}``."""
        if status and status not in STATUSES:
            raise ReviewError("bad-status", f"状态应为 {' / '.join(STATUSES)}")
        where, params = ["1 = 1"], []
        if year:
            where.append("r.year = ?")
            params.append(int(year))
        if template:
            where.append("r.template = ?")
            params.append(str(template))
        if agency:
            where.append("(r.agency LIKE ? OR d.name LIKE ?)")
            params += [f"%{agency}%", f"%{agency}%"]
        if code:
            where.append("EXISTS (SELECT 1 FROM findings c WHERE c.report_id = r.id AND c.code = ?)")
            params.append(code.upper())
        # the status (a few subqueries per report) is computed for the page's rows only, unless the
        # list is filtered or sorted by it
        lazy = not status and sort != "status"
        parts = [("SELECT d.id AS document_id, r.id AS report_id, d.name, d.sha256, r.version, d.format, d.ingested_at, "
                  "d.error_code, d.error_message, r.agency, r.agency_norm, r.year, r.template, r.errors, r.warnings, "
                  "r.infos, " + ("NULL" if lazy else _STATUS_SQL) + " AS status FROM (SELECT cr.*, cr.document_name "
                  "AS name FROM current_reports cr) r JOIN documents d ON d.id = r.document_id WHERE "
                  + " AND ".join(where), params)]
        if not (year or template or code) and status in (None, "unreadable"):
            failed = ["d.status = 'failed'"] + (["d.name LIKE ?"] if agency else [])
            parts.append(("SELECT d.id, NULL, d.name, d.sha256, 1, d.format, d.ingested_at, d.error_code, d.error_message, "
                          "NULL, NULL, NULL, NULL, 0, 0, 0, 'unreadable' FROM documents d WHERE " + " AND ".join(failed),
                          [f"%{agency}%"] if agency else []))
        inner = " UNION ALL ".join(sql for sql, _ in parts)
        params = [p for _, ps in parts for p in ps]
        outer_where, outer_params = "", []
        if status:
            outer_where = " WHERE x.status = ?"
            outer_params.append(status)
        key = _SORTS.get(sort, "x.agency_norm")
        direction = "DESC" if desc else "ASC"
        per_page = max(1, min(int(per_page), 500))
        page = max(1, int(page))
        rows = self.db.query(f"SELECT x.*, COUNT(*) OVER () FROM ({inner}) x{outer_where} ORDER BY {key} {direction}, "
                             f"x.document_id {direction} LIMIT ? OFFSET ?",
                             params + outer_params + [per_page, (page - 1) * per_page])
        total = rows[0][-1] if rows else self.db.one(f"SELECT COUNT(*) FROM ({inner}) x{outer_where}",
                                                      params + outer_params)[0]
        out = [dict(zip(_LIST_COLUMNS, r[:-1])) for r in rows]
        todo = [d["report_id"] for d in out if d["status"] is None and d["report_id"] is not None]
        if todo:
            marks = ", ".join("?" for _ in todo)
            found = dict(self.db.query(
                "SELECT r.id, " + _STATUS_SQL + " FROM (SELECT rr.*, o.sha256, o.name FROM reports rr JOIN documents o "
                f"ON o.id = rr.document_id WHERE rr.id IN ({marks})) r", todo))
            for d in out:
                if d["status"] is None:
                    d["status"] = found.get(d["report_id"], "unreadable")
        for d in out:
            d["status_label"] = STATUSES[d["status"]]
        return {"total": total, "page": page, "per_page": per_page, "rows": out}

    def agencies(self, prefix: str, limit: int = 10) -> list:
        """Agency names containing ``prefix`` (search as you type)."""
        rows = self.db.query("SELECT agency, COUNT(*) FROM reports WHERE agency LIKE ? GROUP BY agency "
                             "ORDER BY COUNT(*) DESC, agency LIMIT ?", (f"%{prefix}%", limit))
        return [a for a, _ in rows]

    def facets(self) -> dict:
        """The years, templates and rule codes present (for the filter choices)."""
        q = self.db.query
        return {"years": [y for (y,) in q("SELECT DISTINCT year FROM reports WHERE year IS NOT NULL ORDER BY year DESC")],
                "templates": [t for (t,) in q("SELECT DISTINCT template FROM reports WHERE template IS NOT NULL "
                                              "ORDER BY template")],
                "codes": [c for (c,) in q("SELECT DISTINCT code FROM findings ORDER BY code")]}

    # ---------------------------------------------------------------- one report

    def report_row(self, report_id: int) -> dict:
        row = self.db.one("SELECT r.id, r.document_id, d.name, d.sha256, d.format, d.size, d.ingested_at, "
                          "r.agency, r.year, r.template, r.title, r.errors, r.warnings, r.infos, r.agency_norm FROM reports r "
                          "JOIN documents d ON d.id = r.document_id WHERE r.id = ?", (report_id,))
        if row is None:
            raise ReviewError("not-found", f"没有编号为 {report_id} 的报告：请回到报告列表重新选择")
        cols = ("id", "document_id", "name", "sha256", "format", "size", "ingested_at", "agency", "year",
                "template", "title", "errors", "warnings", "infos", "agency_norm")
        d = dict(zip(cols, row))
        versions = self.db.query(
            "SELECT o.id, o.sha256, rr.id FROM documents o JOIN reports rr ON rr.document_id = o.id WHERE o.sha256 IN ("
            + _lineage("?", "?", "?") + ") ORDER BY o.id", (d["agency_norm"], d["year"], d["name"]))
        d["versions"] = [{"version": i + 1, "sha256": s, "report_id": rid} for i, (_, s, rid) in enumerate(versions)]
        d["version"] = next((v["version"] for v in d["versions"] if v["report_id"] == report_id), 1)
        return d

    def report_by_sha(self, sha256: str) -> int:
        row = self.db.one("SELECT r.id FROM reports r JOIN documents d ON d.id = r.document_id WHERE d.sha256 = ?",
                          (sha256,))
        if row is None:
            raise ReviewError("not-found", f"没有 sha256 为 {sha256} 的报告")
        return row[0]

    def findings(self, report_id: int) -> list:
        """The report's findings, each with the decision that applies to it (or None)."""
        meta = self.report_row(report_id)
        rows = self.db.query(
            "SELECT f.id, f.code, f.name, f.severity, f.message, f.keys, f.loc, f.expected, f.actual, f.cross_year, "
            "d.id, d.decision, d.comment, d.user_name, d.decided_at, d.sha256 FROM findings f "
            "LEFT JOIN decisions d ON d.id = (" + _decision_for(sha="?", agency="?", year="?", name="?") + ") "
            "WHERE f.report_id = ? ORDER BY f.id", (meta["agency_norm"], meta["year"], meta["name"], meta["sha256"],
                                                    report_id))
        out = []
        for (fid, code, name, sev, msg, keys, loc, exp, act, cy, did, dec, com, user, at, dsha) in rows:
            decision = None if did is None else {
                "id": did, "decision": dec, "label": DECISIONS.get(dec, dec), "comment": com, "user": user,
                "at": at, "carried_over": dsha != meta["sha256"]}
            out.append({"id": fid, "code": code, "name": name, "severity": sev, "message": msg,
                        "keys": json.loads(keys) if keys else [], "loc": json.loads(loc) if loc else None,
                        "expected": json.loads(exp) if exp else None, "actual": json.loads(act) if act else None,
                        "cross_year": bool(cy), "decision": decision})
        return out

    def reviewed(self, report_id: int) -> bool:
        fs = [f for f in self.findings(report_id) if f["severity"] == "error"]
        return bool(fs) and all(f["decision"] for f in fs)

    # ---------------------------------------------------------------- decisions

    def decide(self, finding_id: int, decision: str, comment: str | None, user: str) -> dict:
        """Record a decision on one finding: ``confirmed`` (确认问题) or ``dismissed`` (误报/已说明)."""
        if decision not in DECISIONS:
            raise ReviewError("bad-decision", "决定应为 confirmed（确认问题）或 dismissed（误报/已说明）")
        comment = (comment or "").strip()
        if decision == "dismissed" and not comment:
            raise ReviewError("comment-required", "标为误报/已说明时请填写说明")
        row = self.db.one("SELECT d.sha256, f.code, f.keys, f.expected, f.actual FROM findings f "
                          "JOIN reports r ON r.id = f.report_id JOIN documents d ON d.id = r.document_id "
                          "WHERE f.id = ?", (finding_id,))
        if row is None:
            raise ReviewError("not-found", f"没有编号为 {finding_id} 的问题：页面可能已过期，请刷新")
        with self.db.transaction():
            did = self.db.one("INSERT INTO decisions (sha256, code, keys, expected, actual, decision, comment, "
                              "user_name, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              (*row, decision, comment[:2000] or None, user, _now()))[0]
        return {"id": did, "finding_id": finding_id, "sha256": row[0], "code": row[1], "keys": json.loads(row[2] or "[]"),
                "decision": decision, "label": DECISIONS[decision], "comment": comment or None, "user": user}

    def decide_by_key(self, report_id: int, code: str, keys, decision: str, comment: str | None, user: str) -> list:
        """Decide every finding of a report with ``code`` (and, when given, exactly these cell ``keys``)."""
        found = [f for f in self.findings(report_id) if f["code"] == code.upper()
                 and (not keys or f["keys"] == list(keys))]
        if not found:
            raise ReviewError("not-found", f"报告 {report_id} 没有问题 {code}" + (f"（单元格 {'、'.join(keys)}）" if keys else ""))
        return [self.decide(f["id"], decision, comment, user) for f in found]

    def decisions(self, report_id: int) -> list:
        meta = self.report_row(report_id)
        rows = self.db.query("SELECT id, sha256, code, keys, decision, comment, user_name, decided_at FROM decisions "
                             "WHERE sha256 IN (" + _lineage("?", "?", "?") + ") ORDER BY id",
                             (meta["agency_norm"], meta["year"], meta["name"]))
        return [{"id": i, "sha256": s, "code": c, "keys": json.loads(k or "[]"), "decision": d,
                 "label": DECISIONS.get(d, d), "comment": m, "user": u, "at": a} for i, s, c, k, d, m, u, a in rows]

    # ---------------------------------------------------------------- corrections

    def correct(self, report_id: int, key: str, value, reason: str, user: str, candidate: int | None = None) -> dict:
        """Correct one cell (the parsed value is kept beside it)."""
        reason = (reason or "").strip()
        if not reason:
            raise ReviewError("reason-required", "更正单元格时请填写理由")
        meta = self.report_row(report_id)
        row = self.db.one("SELECT value_exact, raw, value FROM cells WHERE report_id = ? AND key = ?", (report_id, key))
        if row is None and not self._template_key(meta["template"], key):
            raise ReviewError("bad-cell", f"单元格 {key} 不属于这份报告的模板")
        exact = parse_value(value)
        original = None if row is None else (row[0] if row[0] is not None else
                                             (None if row[2] is None else parse_value(row[2])))
        with self.db.transaction():
            cid = self.db.one("INSERT INTO corrections (sha256, key, original_value, original_raw, value, candidate, "
                              "reason, user_name, corrected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              (meta["sha256"], key, original, None if row is None else row[1], exact, candidate,
                               reason[:2000], user, _now()))[0]
        return {"id": cid, "key": key, "value": exact_number(exact), "original": exact_number(original),
                "reason": reason, "user": user, "candidate": candidate}

    def pick_candidate(self, finding_id: int, index: int, reason: str, user: str) -> list:
        """Take reading ``index`` of an ambiguous split (P206) for its cells."""
        row = self.db.one("SELECT report_id, code, keys, actual FROM findings WHERE id = ?", (finding_id,))
        if row is None or row[1] != "P206":
            raise ReviewError("not-found", "只有 P206（数字粘连、可有多种拆分）的问题可以选择候选读法")
        report_id, _, keys, actual = row
        keys, cands = json.loads(keys or "[]"), json.loads(actual or "[]")
        if not 0 <= index < len(cands):
            raise ReviewError("bad-candidate", f"候选读法编号应在 1–{len(cands)} 之间")
        values = dict(zip(self._row_keys(keys, len(cands[index])), cands[index]))
        return [self.correct(report_id, k, values.get(k), reason, user, candidate=index) for k in keys if k in values]

    @staticmethod
    def _row_keys(keys: list, n: int) -> list:
        if len(keys) == n:
            return keys
        from .. import spec
        t, r, _ = keys[0].split(".")
        for tpl in ("2021", "2019"):
            tbl = spec.table(tpl, t)
            for row in tbl.rows:
                if row.key == r and len(row.columns) == n:
                    return tbl.row_keys(row)
        return keys

    @staticmethod
    def _template_key(template, key) -> bool:
        from .. import spec
        return key in spec.all_keys(template if template in spec.TABLES else "2021")

    def corrections(self, report_id: int, latest: bool = False) -> list:
        """The report's corrections, oldest first (``latest``: only the one in force per cell)."""
        meta = self.report_row(report_id)
        rows = self.db.query("SELECT id, key, original_value, original_raw, value, candidate, reason, user_name, "
                             "corrected_at FROM corrections WHERE sha256 = ? ORDER BY id", (meta["sha256"],))
        out = [{"id": i, "key": k, "original": exact_number(o), "original_raw": raw, "value": exact_number(v),
                "candidate": c, "reason": r, "user": u, "at": a} for i, k, o, raw, v, c, r, u, a in rows]
        if latest:
            return list({c["key"]: c for c in out}.values())
        return out

    # ---------------------------------------------------------------- upload jobs

    def create_job(self, user: str, message: str | None = None) -> int:
        with self.db.transaction():
            return self.db.one("INSERT INTO upload_jobs (user_name, created_at, status, message) VALUES (?, ?, ?, ?) "
                               "RETURNING id", (user, _now(), "queued", message))[0]

    def job_items(self, job_id: int, items: list) -> None:
        """``items``: (name, sha256 | None, status, reason | None) in input order."""
        with self.db.transaction():
            self.db.execute("DELETE FROM upload_items WHERE job_id = ?", (job_id,))
            self.db.insert_rows("upload_items", ("job_id", "n", "name", "sha256", "status", "reason"),
                                [(job_id, n, *it) for n, it in enumerate(items)])
            self.db.execute("UPDATE upload_jobs SET total = ?, status = 'running' WHERE id = ?", (len(items), job_id))

    def job_item_done(self, job_id: int, n: int, status: str, reason: str | None, report_id: int | None) -> None:
        with self.db.transaction():
            self.db.execute("UPDATE upload_items SET status = ?, reason = ?, report_id = ? WHERE job_id = ? AND n = ?",
                            (status, reason, report_id, job_id, n))
            self.db.execute("UPDATE upload_jobs SET done = (SELECT COUNT(*) FROM upload_items WHERE job_id = ? AND "
                            "status NOT IN ('queued', 'parsing')) WHERE id = ?", (job_id, job_id))

    def finish_job(self, job_id: int, status: str = "done", message: str | None = None) -> None:
        with self.db.transaction():
            self.db.execute("UPDATE upload_jobs SET status = ?, finished_at = ?, message = COALESCE(?, message) "
                            "WHERE id = ?", (status, _now(), message, job_id))

    def job(self, job_id: int) -> dict:
        row = self.db.one("SELECT id, user_name, created_at, finished_at, status, total, done, message FROM upload_jobs "
                          "WHERE id = ?", (job_id,))
        if row is None:
            raise ReviewError("not-found", f"没有编号为 {job_id} 的上传任务")
        d = dict(zip(("id", "user", "created_at", "finished_at", "status", "total", "done", "message"), row))
        d["items"] = [{"n": n, "name": name, "sha256": s, "status": st, "reason": r, "report_id": rid}
                      for n, name, s, st, r, rid in self.db.query(
                          "SELECT n, name, sha256, status, reason, report_id FROM upload_items WHERE job_id = ? "
                          "ORDER BY n", (job_id,))]
        return d

    def document_result(self, sha256: str | None, name: str) -> tuple:
        """(status, reason, report_id) of a stored document: by its bytes, else by its name."""
        row = None
        if sha256:
            row = self.db.one("SELECT d.status, d.error_message, r.id FROM documents d LEFT JOIN reports r "
                              "ON r.document_id = d.id WHERE d.sha256 = ?", (sha256,))
        if row is None:
            row = self.db.one("SELECT d.status, d.error_message, r.id FROM documents d LEFT JOIN reports r "
                              "ON r.document_id = d.id WHERE d.name = ? ORDER BY d.id DESC LIMIT 1", (name,))
        if row is None:
            return None, None, None  # not (yet) stored
        return row


def dismissed_ids(corpus, run) -> set:
    """The ids (:func:`nianbao.output.findings.finding_id`) of the findings of an audit run that a
    reviewer marked 误报/已说明 on the stored report of the same bytes (``nianbao notice --db``)."""
    from ..output.findings import finding_id
    review = Review(corpus)
    out = set()
    for a in run.tasks:
        if a.report is None:
            continue
        try:
            report_id = review.report_by_sha(a.report.sha256)
        except ReviewError:
            continue
        decided = {(f["code"], tuple(f["keys"]), f["message"]): f["decision"] for f in review.findings(report_id)}
        out |= {finding_id(f) for f in a.findings
                if (decided.get((f.code, tuple(f.keys), f.message)) or {}).get("decision") == "dismissed"}
    return out
