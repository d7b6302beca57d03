"""The layering rule of docs/architecture.md §2, enforced with import-linter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_imports_respect_the_layers():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_domain_imports_only_stdlib_eventsourcing_and_itself():
    allowed = {"domain", "eventsourcing", "__future__"}
    stdlib = set(sys.stdlib_module_names)
    offenders = []
    for path in (ROOT / "domain").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("import", "from") and not line.startswith(" "):
                top = words[1].split(".")[0]
                if top not in allowed and top not in stdlib:
                    offenders.append(f"{path.relative_to(ROOT)}: {line}")
    assert offenders == []
