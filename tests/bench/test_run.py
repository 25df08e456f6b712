"""The measuring harness: child wall time, peak memory, time limits, and the targets judged from the numbers."""

import json
import sys
from pathlib import Path

from telegrams.bench import report
from telegrams.bench.run import measure

FIXTURES = Path(__file__).parent / "fixtures"


def test_measure_reads_the_peak_memory_of_the_child():
    run = measure("alloc", 1, [sys.executable, "-c", "b = bytearray(150 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"])
    assert run.status == "ok" and run.exit == 0
    assert 150 < run.rss_mb < 400
    assert run.wall > 0


def test_measure_reads_the_cpu_time_of_the_child_and_its_children():
    burn = "sum(range(3 * 10 ** 7))"
    busy = measure("busy", 1, [sys.executable, "-c", burn])
    idle = measure("idle", 1, [sys.executable, "-c", "import time; time.sleep(0.6)"])
    nested = measure("nested", 1, [sys.executable, "-c", f"import subprocess, sys; "
                                   f"subprocess.run([sys.executable, '-c', '{burn}'], check=True)"])
    assert busy.cpu > 0.2 and nested.cpu > 0.2  # a pool's workers and Pagefind count, as the command itself
    assert idle.wall >= 0.6 and idle.cpu < 0.4  # processor time, not the time that passed


def test_measure_stops_a_child_at_its_time_limit():
    run = measure("hang", 1, [sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert run.status == "timeout"
    assert run.wall < 5


def test_measure_reports_failure_with_the_last_lines_of_stderr():
    run = measure("fail", 1, [sys.executable, "-c", "import sys; sys.exit('broken input')"])
    assert run.status == "failed" and run.exit == 1
    assert "broken input" in run.note


def test_measure_skips_an_absent_tool():
    run = measure("absent", 1, ["/nonexistent/tool"])
    assert run.status == "skipped"


def test_targets_are_judged_from_the_numbers():
    results = json.loads((FIXTURES / "results-10000.json").read_text())
    verdicts = {t["target"]: t for t in report.targets(results)}
    assert verdicts["validate 10,000 documents (all layers), cold"]["status"] == "met"
    assert verdicts["validate cold within 3x the bare parse"]["status"] == "not met"  # 14 s / 4 s = 3.5x
    assert verdicts["validate cold within 3x the bare parse"]["measured"] == "3.50 x"
    assert verdicts["validate 10,000 documents, warm (cache)"]["status"] == "met"
    assert verdicts["validate after one file changed"]["status"] == "not met"
    both = verdicts["HTML + text editions of 10,000 documents"]  # one run writes both, as `make` does
    assert (both["status"], both["measured"]) == ("met", "40.00 s")
    assert both["note"].endswith("; 75.0 CPU-s")  # what the build costs, whatever the machine's load
    assert verdicts["ODD compile"]["status"] == "met"
    assert (verdicts["largest page of the HTML edition"]["status"],
            verdicts["largest page of the HTML edition"]["measured"]) == ("not met", "2.50 MB")
    peak = verdicts["peak RSS of any project command"]
    assert (peak["status"], peak["measured"]) == ("not met", "520.50 MB")  # Jing's 900 MB is not the project's


def test_markdown_has_header_targets_and_one_table_per_size():
    results = json.loads((FIXTURES / "results-10000.json").read_text())
    results["targets"] = report.targets(results)
    page = report.markdown(results)
    assert "Test CPU, 2 cores, 8.0 GB memory" in page
    assert "## 10,000 documents" in page
    assert "| validate, one file given | ok | 0.30 |  | 3 |" in page  # measured before CPU time was: left blank
    assert "| text edition | skipped |  |  |  |  |  |  | not available yet |" in page
    # 14 s, 26 CPU-s; 14 s / Jing 9 s, / parse 4 s
    assert "| validate (all layers), cold | ok | 14.00 | 26.00 | 714 | 520 | 1.6 | 3.5 |" in page


def test_cold_validation_is_judged_against_jing_at_every_size():
    results = json.loads((FIXTURES / "results-10000.json").read_text())
    verdict = {t["target"]: t for t in report.targets(results)}["validate cold within 1.5x Jing's single run (RELAX NG only)"]
    assert (verdict["status"], verdict["measured"]) == ("not met", "1.56 x")
    assert verdict["note"] == "Jing 9.00 s at 10,000 documents; 26.0 CPU-s"


def test_cost_per_document_is_the_slope_between_sizes():
    results = json.loads((FIXTURES / "results-two-sizes.json").read_text())
    costs = report.per_document_costs(results)
    assert costs["spans"] == [(100, 1000), (1000, 10000)]
    rows = {row["name"]: row for row in costs["rows"]}
    cold = rows["validate (all layers), cold"]
    assert [round(v, 3) for v in cold["slopes"]] == [5.0, 5.0]  # (5.5 - 1.0) s / 900 documents
    assert round(cold["fixed"], 3) == 0.5
    assert rows["html edition"]["slopes"][1] is None  # timed out at 10,000: no slope
    results["targets"] = report.targets(results)
    assert "| validate (all layers), cold | 0.50 | 5.00 | 5.00 |" in report.markdown(results)


def test_measure_counts_a_traceback_as_a_failure_even_with_an_accepted_exit():
    run = measure("crash", 1, [sys.executable, "-c", "raise RuntimeError('boom')"], ok_exits=(0, 1))
    assert run.status == "failed" and "traceback" in run.note and "boom" in run.note


def test_the_largest_page_of_a_built_site_is_recorded(tmp_path):
    from telegrams.bench.run import Run, _note_largest_page

    (tmp_path / "index.html").write_bytes(b"x" * 1_500_000)
    (tmp_path / "persons.html").write_bytes(b"x" * 2_600_000)
    (tmp_path / "text").mkdir()
    run = Run("html edition", 10, note="exit 1 expected")
    _note_largest_page(run, tmp_path)
    assert run.largest_page_mb == 2.6
    assert run.note == "exit 1 expected; largest page 2.60 MB (persons.html)"
