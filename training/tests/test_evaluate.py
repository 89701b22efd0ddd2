import os

import numpy as np
import pytest

import contract
import evaluate
import tissue
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


def red_reader(xb):
    """A stand-in model that reads the patch's mean red channel (0..1) as um: which patches it saw shows in the median."""
    return xb[:, 0].mean(dim=(1, 2)).unsqueeze(1)


def test_per_image_reads_the_engines_grid_and_tissue_gate():
    size = contract.PATCH_SIZE
    img = np.full((size, 2 * size + 60, 3), 235, dtype=np.uint8)     # three patches along x, glass
    img[:, :size] = (102, 60, 140)                                   # the first patch is all tissue
    r = evaluate.predict_image(red_reader, img, contract.MICRONS_PER_PIXEL)
    assert (r["patches"], r["tissuePatches"], r["verdict"]) == (3, 1, "Scored")
    assert r["medianUm"] == pytest.approx(0.4)                       # only the tissue patch: 102 / 255
    glass = evaluate.predict_image(red_reader, np.full((100, 100, 3), 235, dtype=np.uint8), contract.MICRONS_PER_PIXEL)
    assert (glass["verdict"], glass["medianUm"], glass["patches"]) == ("NoTissue", None, 1)


def test_per_image_patch_counts_are_the_engines_on_a_shared_image(shared_dir):
    fixture = utils.load_json(os.path.join(TRAINING, "..", "models", "fixtures", "tissue-parity", "expected.json"))
    expected = next(i for i in fixture["images"] if i["file"] == "openslide-os2-vsi-ki67-ihc.png")
    img = utils.load_rgb(os.path.join(shared_dir, expected["file"]))
    r = evaluate.predict_image(red_reader, img, expected["micronsPerPixel"])
    regions = tissue.cover(expected["width"], expected["height"], contract.PATCH_SIZE)
    scored = sum(n >= contract.MIN_PATCH_TISSUE_FRACTION * w * h
                 for n, (_, _, w, h) in zip(expected["patchTissuePixels"], regions))
    assert (r["patches"], r["tissuePatches"]) == (len(regions), scored)
    assert scored > 0
