"""The console loads nothing from outside: vendored files match the hashes their README lists."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ADMIN = Path(__file__).resolve().parents[2] / "admin"
VENDOR = ADMIN / "static" / "vendor"


def test_vendored_files_match_the_listed_sha256():
    rows = re.findall(r"^\| `([^`]+\.js)` .*\| `([0-9a-f]{64})` \|$", (VENDOR / "README.md").read_text(), re.M)
    assert {name for name, _ in rows} == {p.name for p in VENDOR.glob("*.js")}
    for name, digest in rows:
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_no_template_or_script_loads_from_another_host():
    for path in [*ADMIN.glob("templates/*.html"), *ADMIN.glob("static/*.js"), *ADMIN.glob("static/*.css")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), path
        assert "@import" not in text and "url(http" not in text, path


def test_the_console_serves_its_vendored_scripts(client):
    for name in ("echarts-6.1.0.min.js", "htmx-2.0.11.min.js"):
        response = client.get(f"/admin/static/vendor/{name}")
        assert response.status_code == 200 and len(response.content) > 10_000
