"""The installed `newsetl` console script: the `parse` contract other tools rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
NEWSETL = str(Path(sys.executable).parent / "newsetl")
CONTRACT = {
    "path",
    "title",
    "url",
    "source_id",
    "press",
    "reporters",
    "published_at",
    "body_text",
    "paragraphs",
    "media",
}
MEDIA_KEYS = {"position", "image_url", "thumbnail_url", "width", "alt", "caption", "credit"}


def newsetl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSETL, *args], capture_output=True, text=True, timeout=120)


def test_parse_seed_dump_prints_the_contract() -> None:
    proc = newsetl(
        "parse",
        str(FIXTURES / "seed_board_dump.txt"),
        "--day",
        "2025-07-03",
        "--url",
        "https://board.example/bbs/board.php?bo_table=news&wr_id=8801",
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 1
    page = json.loads(lines[0])
    assert CONTRACT <= page.keys()
    assert page["path"].endswith("seed_board_dump.txt")
    assert page["source_id"] == "8801"
    assert page["press"] == "헤럴드경제" and page["reporters"] == ["고재우"]
    assert page["published_at"] == "2025-07-03T20:00:00+09:00"
    assert len(page["paragraphs"]) == 16
    assert [set(m) >= MEDIA_KEYS for m in page["media"]] == [True, True, True]
    assert [m["credit"] for m in page["media"]] == ["KT 제공", "KT 제공", "연합"]


def test_parse_folder_reports_bad_pages_and_exits_nonzero(tmp_path: Path) -> None:
    (tmp_path / "a_good.html").write_bytes((FIXTURES / "daum_yonhap_006.html").read_bytes())
    (tmp_path / "b_bad.html").write_text("<html><body><p>로그인이 필요합니다</p></body></html>", encoding="utf-8")
    proc = newsetl("parse", str(tmp_path))
    assert proc.returncode == 1
    good, bad = (json.loads(line) for line in proc.stdout.splitlines())
    assert good["title"] and "error" not in good
    assert bad["path"].endswith("b_bad.html") and bad["error"] and "\n" not in bad["error"]
