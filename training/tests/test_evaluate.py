import os

import numpy as np
import pytest

import evaluate
import utils

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def glass_detector(xb):
    """A stand-in model that reads 40 um times the share of pixels exactly at the glass grey: 10 um for one quadrant."""
    glass = (xb * 255).round() == evaluate.GLASS_GREY
    return glass.all(dim=1).float().mean(dim=(1, 2)).unsqueeze(1) * 40


def test_glass_quadrant_check_scores_each_patch_intact_and_with_one_grey_quadrant(shared_dir):
    sources = utils.load_json(os.path.join(TRAINING, "sources.json"))["sources"]
    splits = {s["file"]: s["split"] for s in sources}
    assert all(splits[f] == "train" for f in evaluate.GLASS_QUADRANT_FILES)   # never a held-out source
    report = evaluate.glass_quadrant(glass_detector, sources, shared_dir, levels=(0.0, 3.0), per_image=1)
    assert set(report) == {"0.0", "3.0"}
    for level, r in report.items():
        assert r["n"] == len(evaluate.GLASS_QUADRANT_FILES)
        assert r["maeIntact"] == pytest.approx(float(level), abs=0.1)          # the stand-in reads ~0 on tissue
        assert r["maeGlassQuadrant"] == pytest.approx(abs(10.0 - float(level)), abs=0.1)


def test_per_source_separates_a_steady_offset_from_noise():
    true = np.tile(np.arange(11.0), 2)                        # both sources at every level 0..10
    noise = np.where(np.arange(11) % 2 == 0, 0.3, -0.3)
    pred = true + np.concatenate([np.full(11, 0.3), noise])  # "ihc" reads 0.3 high; "he" is +-0.3 around the truth
    report = evaluate.per_source(pred, true, ["ihc"] * 11 + ["he"] * 11)
    assert report["ihc"]["n"] == 11 and report["ihc"]["mae"] == pytest.approx(0.3)
    assert report["he"]["mae"] == pytest.approx(0.3)          # the same MAE ...
    assert all(b == pytest.approx(0.3) for b in report["ihc"]["biasPerLevel"].values())
    assert report["he"]["biasPerLevel"]["1"] == pytest.approx(-0.3)   # ... but no steady offset
