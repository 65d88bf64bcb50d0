"""The Debian tools scripts/setup.sh installs for the tests (.run/<command> holds the path, or why not)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def installed(command: str) -> str:
    """The path the set-up recorded; a failed install fails the test, an impossible one skips it."""
    record = ROOT / ".run" / command
    status = record.read_text().strip() if record.exists() else "not-recorded: run make setup"
    if status.startswith("/") and Path(status).exists():
        return status
    if status.startswith("not-installable"):
        pytest.skip(status)
    pytest.fail(f"{command} should be here but is not: {status}")
