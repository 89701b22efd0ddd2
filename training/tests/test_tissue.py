import json
import os

import numpy as np
import pytest

import contract
import tissue

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(REPO, "models", "fixtures", "tissue-parity", "expected.json")


def pixel(r, g, b):
    return np.array([[[r, g, b]]], dtype=np.uint8)


@pytest.mark.parametrize("rgb, tissue_, blocked", [
    ((180, 90, 200), True, False),      # stained (eosin-like pink/purple)
    ((199, 199, 199), True, False),     # absorbs: grey below 200
    ((216, 216, 216), False, False),    # pale grey glass
    ((240, 214, 236), False, False),    # saturation 0.108 < 0.12: glass-like
    ((240, 210, 236), True, False),     # saturation 0.125: stained
    ((220, 40, 40), False, True),       # red ink: no blue lift
    ((220, 120, 170), True, False),     # eosin: blue lifted above green
    ((60, 160, 120), False, True),      # green ink
    ((40, 40, 40), False, True),        # near-black line
])
def test_pixel_rule_uses_the_engines_integer_thresholds(rgb, tissue_, blocked):
    t, b = tissue.pixel_kinds(pixel(*rgb))
    assert (bool(t[0, 0]), bool(b[0, 0])) == (tissue_, blocked)


def test_glass_counts_as_tissue_with_a_fifth_of_its_clipped_window_tissue():
    img = np.full((40, 40, 3), 230, dtype=np.uint8)     # glass-like everywhere
    # corner pixel (0, 0): its window is rows 0..12 x columns 0..12 = 169 pixels; 34 tissue pixels are a fifth
    # (34 * 5 = 170 >= 169), 33 are not
    rows, cols = np.unravel_index(np.arange(34), (13, 13))
    img[rows[1:], cols[1:]] = (120, 60, 140)
    assert not tissue.tissue_mask(img)[0, 0]             # 33 tissue pixels
    img[rows[0] + 12, cols[0] + 12] = (120, 60, 140)     # the 34th, at (12, 12): still inside the window
    assert tissue.tissue_mask(img)[0, 0]
    img[0, 0] = (40, 40, 40)                             # a black line never becomes tissue
    assert not tissue.tissue_mask(img)[0, 0]


def test_grid_spreads_patches_edge_to_edge_and_rounds_half_away_from_zero():
    assert tissue.origins(320, 320) == [0]
    assert tissue.origins(100, 320) == [0]
    assert tissue.origins(640, 320) == [0, 320]
    assert tissue.origins(700, 320) == [0, 190, 380]
    assert tissue.origins(961, 320) == [0, 214, 427, 641]   # 213.67, 427.33
    assert tissue.origins(325, 320) == [0, 5]
    assert tissue.origins(963, 320) == [0, 214, 429, 643]   # 214.33, 428.67
    assert tissue.origins(647, 320) == [0, 164, 327]        # 163.5 rounds up
    assert tissue.cover(100, 700, 320) == [(0, 0, 100, 320), (0, 190, 100, 320), (0, 380, 100, 320)]


def test_short_tiles_are_mirror_padded_like_the_engine():
    assert tissue.mirror_indices(4, 10).tolist() == [0, 1, 2, 3, 2, 1, 0, 1, 2, 3]
    assert tissue.mirror_indices(1, 3).tolist() == [0, 0, 0]
    img = np.arange(3 * 5 * 3, dtype=np.uint8).reshape(3, 5, 3)
    p = tissue.patch(img, (1, 0, 3, 3), 6)
    assert p.shape == (6, 6, 3)
    assert p[:, :, 0][0].tolist() == img[0, [1, 2, 3, 2, 1, 2], 0].tolist()


def test_layout_gates_patches_and_tiles_with_the_engine_defaults():
    img = np.full((320, 700, 3), 235, dtype=np.uint8)
    img[:, :200] = (120, 60, 140)   # tissue in columns 0..199; the fill reaches column 207 (5 of 25 columns)
    read = tissue.layout(img)
    assert [r[0] for r in read["regions"]] == [0, 190, 380]
    assert read["patchTissuePixels"] == [208 * 320, 18 * 320, 0]
    assert read["scored"] == [True, False, False]
    assert read["hasTissue"]


def test_fixture_header_is_the_contract():
    fixture = json.load(open(FIXTURE))
    card = contract.read_card()
    assert fixture["modelMicronsPerPixel"] == card["micronsPerPixel"] == contract.MICRONS_PER_PIXEL
    assert fixture["patchSize"] == card["patchSize"] == contract.PATCH_SIZE
    assert fixture["neighbourhoodRadius"] == tissue.NEIGHBOURHOOD_RADIUS
    assert fixture["minPatchTissueFraction"] == contract.MIN_PATCH_TISSUE_FRACTION
    assert fixture["minTileTissueFraction"] == contract.MIN_TILE_TISSUE_FRACTION


def test_training_reads_every_shared_image_as_the_engine(shared_dir):
    """The engine's values (Core.Tests' TissueParityTests checks the same file) from training's port, exactly."""
    fixture = json.load(open(FIXTURE))
    manifest = json.load(open(os.path.join(shared_dir, "manifest.json")))
    assert sorted(i["file"] for i in fixture["images"]) == sorted(e["file"] for e in manifest)
    for expected in fixture["images"]:
        img = tissue.utils.load_rgb(os.path.join(shared_dir, expected["file"]))
        got = tissue.fixture_entry(img, expected["micronsPerPixel"])
        assert {"file": expected["file"], **got} == expected, expected["file"]
