"""The house's shape (docs/architecture.md): data flows one way through the stages, each stage
imports only the stages before it, test data stays out of the pipeline, and modules stay small."""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "nianbao"

# Stages in pipeline order: a module may import its own stage and earlier ones only.
STAGES = {
    "config": 0, "spec": 0, "errors": 0, "model": 0,
    "ingest": 1,
    "parsing": 2,
    "rules": 3,
    "audit": 4, "store": 4, "output": 4, "isolation": 4, "writing": 4,
    "cli": 5, "web": 5, "__main__": 5, "__init__": 5,
    "testing": 6,  # test data and scoring: for tests and benchmarks only
}


def _stage_of(module: str) -> str:
    return module.split(".")[1] if "." in module else "__init__"


def _imports(path: Path):
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
        package = parts
    else:
        package = parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                if not node.module:  # from .. import spec
                    for alias in node.names:
                        yield f"{mod}.{alias.name}"
                    continue
                yield mod
            elif node.module and node.module.startswith("nianbao"):
                yield node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nianbao"):
                    yield alias.name


def _modules():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        name = ".".join(rel.parts)
        yield path, name


def test_every_top_level_module_has_a_stage():
    tops = {p.name[:-3] if p.suffix == ".py" else p.name for p in PKG.iterdir()
            if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))}
    assert tops <= set(STAGES), tops - set(STAGES)


def test_no_import_runs_back_up_the_pipeline():
    wrong = []
    for path, name in _modules():
        own = STAGES[_stage_of(name if not name.endswith(".__init__") else name[: -len(".__init__")])]
        for target in _imports(path):
            stage = _stage_of(target)
            if stage in STAGES and STAGES[stage] > own:
                wrong.append(f"{name} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_testing_is_imported_only_by_tests_and_benchmarks():
    users = [name for path, name in _modules() if not name.startswith("nianbao.testing")
             for target in _imports(path) if _stage_of(target) == "testing"]
    assert not users, users


def test_modules_stay_small():
    big = {name: n for path, name in _modules() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600}
    assert not big, big
