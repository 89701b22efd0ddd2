import json
import os

import numpy as np
from PIL import Image

import preprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(REPO, "models", "fixtures", "preprocess-parity")


def test_output_size_rounds_half_away_from_zero():
    assert preprocess.output_size(173, 0.6) == 104
    assert preprocess.output_size(151, 0.6) == 91
    assert preprocess.output_size(3, 0.5) == 2          # 1.5 -> 2
    assert preprocess.output_size(100, 1.0) == 100


def test_weights_are_normalised_and_identity_at_k1():
    for n, k in [(37, 0.3), (37, 0.6), (37, 0.99), (37, 1.0), (37, 1.7), (5, 2.5)]:
        w = preprocess.resample_matrix(n, k)
        assert np.allclose(w.sum(axis=1), 1.0)
        assert (w >= 0).all()
    assert np.allclose(preprocess.resample_matrix(9, 1.0), np.eye(9))


def test_downsample_by_two_is_block_mean_and_partial_overlaps_are_weighted():
    img = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3) * 2
    out = preprocess.resample(img, 0.25, 0.5)
    expect = img.astype(float).reshape(2, 2, 3, 2, 3).mean(axis=(1, 3))
    assert out.shape == (2, 3, 3)
    assert np.array_equal(out, preprocess.round_half_away_to_uint8(expect))
    w = preprocess.resample_matrix(5, 0.6)       # output 3 px; pixel 1 covers [1.667, 3.333)
    assert np.allclose(w[1, 1:4], np.array([1 / 3, 1, 1 / 3]) / (5 / 3))


def test_upsample_is_linear_at_pixel_centres_and_clamped():
    w = preprocess.resample_matrix(3, 2.0)       # coordinates -0.25, 0.25, 0.75, 1.25, 1.75, 2.25
    row = np.array([10.0, 20.0, 40.0])
    assert np.allclose(w @ row, [10, 12.5, 17.5, 25, 35, 40])


def test_constant_image_stays_constant_and_rounding_is_half_away():
    img = np.full((31, 29, 3), 77, dtype=np.uint8)
    for s in (0.23, 0.35, 0.5, 0.9):
        assert (preprocess.resample(img, s, 0.5) == 77).all()
    assert preprocess.round_half_away_to_uint8(np.array([0.5, 1.5, 2.49, 254.5, 300])).tolist() == [1, 2, 2, 255, 255]


def test_committed_fixture_matches_the_resampler(tmp_path):
    meta = json.load(open(os.path.join(FIXTURE, "meta.json")))
    img = np.asarray(Image.open(os.path.join(FIXTURE, meta["inputFile"])).convert("RGB"))
    assert img.shape == (meta["inputHeight"], meta["inputWidth"], 3)
    expected = np.fromfile(os.path.join(FIXTURE, "expected.bin"), dtype=np.uint8)
    expected = expected.reshape(meta["outputHeight"], meta["outputWidth"], 3)
    out = preprocess.resample(img, meta["inputMicronsPerPixel"], meta["modelMicronsPerPixel"])
    assert np.array_equal(out, expected)
    again = preprocess.write_fixture(str(tmp_path))
    assert np.array_equal(again, expected)
