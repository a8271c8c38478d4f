"""The extraction benchmark's scoring, and a sample of the real-page development set (skipped where absent)."""

from __future__ import annotations

import gzip
import statistics
import subprocess
import sys

import pytest

from benchmarks.extraction import byline_matches, date_matches, dev_set_path, load_cases, precision_recall
from crawler.extraction import extract_article
from tests.conftest import ROOT


def test_shingle_scores_follow_the_public_benchmark():
    truth = "one two three four five six"
    assert precision_recall(truth, truth) == (1.0, 1.0)
    precision, recall = precision_recall(truth, "one two three four five six seven eight")
    assert recall == 1.0 and precision == pytest.approx(3 / 5)
    assert precision_recall(truth, "") == (None, 0.0)


def test_field_matching_rules():
    assert byline_matches(["STEVE PEOPLES"], ["Steve Peoples", "Thomas Beaumont"])
    assert not byline_matches(["Steve Peoples", "Amelia Thomson"], ["Steve Peoples"])
    assert date_matches("2023-04-28 23:30:00+00:00", "2023-04-29T01:30:00+02:00")
    assert not date_matches("2023-04-28 10:00:00", "2023-04-29")


def test_benchmark_skips_cleanly_without_the_development_set(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.extraction"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"EDITWATCH_EXTRACTION_DEV": str(tmp_path / "nowhere"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert proc.returncode == 0 and "skipped" in proc.stdout


@pytest.mark.skipif(dev_set_path() is None, reason="no extraction development set on this machine")
def test_a_sample_of_real_pages_extracts_well():
    cases = load_cases(dev_set_path())[::8]
    f1s, headlines = [], []
    for case in cases:
        article = extract_article(gzip.decompress(case.path.read_bytes()), case.url)
        precision, recall = precision_recall(case.body, "\n".join(article.body))
        precision, recall = precision or 0.0, recall or 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        headlines.append(bool(article.headline))
    assert statistics.fmean(f1s) >= 0.9
    assert all(headlines)
