"""The Airflow 3 REST API of a stack scripts/airflow.sh started (its local admin login), for scripts and tests."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

DAG_ID = "news_daily"


class Api:
    """The Airflow 3 REST API of the stack, with the local admin login scripts/airflow.sh sets up."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._token: str | None = None

    def call(self, path: str, body: dict[str, Any] | None = None, method: str | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if path != "/auth/token":
            self._token = self._token or self.call("/auth/token", {"username": "admin", "password": "admin"})[
                "access_token"]
            headers["Authorization"] = f"Bearer {self._token}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, headers=headers,
                                     method=method or ("POST" if body is not None else "GET"))
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def wait_for_dag(self, timeout_s: float = 180) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if self.call(f"/api/v2/dags/{DAG_ID}")["dag_id"] == DAG_ID:
                    return
            except urllib.error.HTTPError:
                pass
            time.sleep(1)
        raise RuntimeError(f"the DAG processor never registered {DAG_ID}")
