"""Rule documentation pages: /rules (every code) and /rules/CODE."""
from __future__ import annotations

from fastapi import APIRouter, Request

from ...rules import FAMILIES, rules_list
from ...rules.codes import explain
from ..deps import AuthDep, WebError
from ..pages import render
from ..views import SEVERITY

router = APIRouter()


def _rule(code: str) -> dict:
    e = explain(code)
    if e is None:
        raise WebError(404, "not-found", f"没有规则 {code}：请从规则列表中选择")
    d = e.to_dict()
    d["severity_label"] = SEVERITY.get(e.severity, e.severity)
    d["family"] = FAMILIES.get(e.code[0], "") if e.kind != "input" else "输入错误"
    return d


@router.get("/rules", include_in_schema=False)
def rules_page(request: Request, auth: AuthDep):
    rules = [{"code": r.code, "name": r.name, "severity": r.severity, "severity_label": SEVERITY[r.severity],
              "summary": (r.doc.splitlines() or [""])[0], "family": FAMILIES[r.family]} for r in rules_list()]
    return render(request, "rules.html", {"rules": rules})


@router.get("/api/rules", tags=["规则"], summary="全部规则")
def rules_api(auth: AuthDep):
    return {"rules": [{"code": r.code, "name": r.name, "severity": r.severity, "message": r.message,
                       "summary": (r.doc.splitlines() or [""])[0]} for r in rules_list()]}


@router.get("/rules/{code}", include_in_schema=False)
def rule_page(request: Request, code: str, auth: AuthDep):
    return render(request, "rule.html", {"rule": _rule(code)})


@router.get("/api/rules/{code}", tags=["规则"], summary="一条规则的文档")
def rule_api(code: str, auth: AuthDep):
    return _rule(code)
