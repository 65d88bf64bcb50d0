"""The accuracy report and its gate: our extraction against the golden pages, and against trafilatura."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsetl_tools.accuracy import char_f1, evaluate, score_page

PAGES = Path(__file__).parent / "fixtures" / "pages"


def test_char_f1() -> None:
    assert char_f1("반도체 수출", "반도체수출") == 1.0  # whitespace does not count
    assert char_f1("", "") == 1.0
    assert char_f1("가나", "") == 0.0
    assert char_f1("가나다라", "가나") == pytest.approx(2 * 0.5 * 1.0 / 1.5)


def test_score_page_reports_mismatches(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_bytes((PAGES / "seed_board_dump.txt").read_bytes())
    expected = json.loads((PAGES / "seed_board_dump.json").read_text(encoding="utf-8"))
    expected["title"] = "다른 제목"
    expected["media"] = expected["media"][:1]
    result = score_page(page, expected, with_trafilatura=False)
    assert result.scores["title"] == 0.0 and result.scores["media"] == 0.0
    assert result.scores["press"] == 1.0
    assert any(m.startswith("title:") for m in result.mismatches)


def test_gate_on_the_golden_pages() -> None:
    report = evaluate(PAGES)
    assert len(report.pages) >= 11
    for name in ("title", "press", "published_at", "media"):
        assert report.field_score(name) == 1.0, name
    body = report.field_score("body_f1")
    assert body is not None and body >= 0.99
    assert report.trafilatura_body_f1 is not None and body > report.trafilatura_body_f1


def test_accuracy_command_last_line() -> None:
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "newsetl-tools"), "accuracy", str(PAGES)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    fields = dict(part.split("=", 1) for part in last.split())
    assert {"title", "body_f1", "media", "trafilatura_body_f1"} <= fields.keys()
    assert fields["title"] == "100.0%" and fields["media"] == "100.0%"


def test_the_report_gives_each_layout_its_own_line() -> None:
    from newsetl_tools.accuracy import accuracy_table

    report = evaluate(PAGES, with_trafilatura=False)
    layouts = report.by_layout()
    assert {"daum-compact", "board", "text", "template", "generic"} <= set(layouts)
    assert sum(len(part.pages) for part in layouts.values()) == len(report.pages)
    lines = accuracy_table(report).splitlines()
    per_layout = [line for line in lines if line.startswith("layout=")]
    assert len(per_layout) == len(layouts)
    text = next(line for line in per_layout if line.startswith("layout=text "))
    assert "pages=1 " in text
