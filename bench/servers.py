"""The processes a bench starts: the API under uvicorn, and the read models' follower.

Each is a Python subprocess of its own (its own interpreter and lock), with its output kept in
a log file in the bench's working directory for the report when something fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent

SERVER = """
import sys, uvicorn
app = "api.app:create_app"
if sys.argv[2] == "no-runner":  # diagnostic only: the API without its projection runner
    from api.app import create_app
    app = lambda: create_app(start_runner=False)
config = uvicorn.Config(app, factory=True, host="127.0.0.1", port=int(sys.argv[1]),
                        log_level="warning", access_log=False)
uvicorn.Server(config).run()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Child:
    """A Python subprocess of the bench, its output kept in a log file in ``workdir``."""

    def __init__(self, args: list[str], workdir: str, env: dict[str, str], log_name: str) -> None:
        self.log = open(Path(workdir) / log_name, "w+b")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, *args], cwd=workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class ApiServer(Child):
    """``api.app:create_app`` under uvicorn in a subprocess (its own interpreter, its own GIL)."""

    def __init__(
        self, database_url: str, workdir: str, *, runner: bool = True, env: dict[str, str] | None = None,
        ready_path: str = "/openapi.json",
    ) -> None:  # fmt: skip
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.ready_path = ready_path  # answers 200 once the app has started
        env = {
            **os.environ,
            "MARKET_DATABASE_URL": database_url,
            "MARKET_RUN_SCHEDULER": "false",
            "MARKET_CHECKPOINT_KEY_FILE": str(Path(workdir) / "checkpoint-key.pem"),
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }
        super().__init__(["-c", SERVER, str(self.port), "runner" if runner else "no-runner"], workdir, env, "server.log")

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the API server exited ({self.process.returncode}): {self.output()}")
            try:
                if httpx.get(f"{self.base_url}{self.ready_path}", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the API server did not start within {timeout:.0f} s: {self.output()}")


class Follower(Child):
    """``market projections follow`` in a subprocess: the read models' own process."""

    def __init__(self, database_url: str, workdir: str) -> None:
        env = {**os.environ, "MARKET_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
        super().__init__(["-c", "from market.cli import main; main()", "projections", "follow"], workdir, env,
                         "follower.log")  # fmt: skip
