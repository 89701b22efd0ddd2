import json
import os

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

import prepare
import utils

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def synthetic_tissue(size=200, seed=0):
    rng = np.random.default_rng(seed)
    img = np.ones((size, size, 3)) * [235, 190, 215]
    yy, xx = np.mgrid[0:size, 0:size]
    for _ in range(300):
        cy, cx, r = rng.uniform(0, size, 2).tolist() + [rng.uniform(2, 5)]
        img[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = [90, 60, 150]
    return np.clip(img + rng.normal(0, 4, img.shape), 0, 255).astype(np.uint8)


def z_stack(sharp, sigmas=(4, 2, 0, 1.5, 3)):
    return [sharp if s == 0 else ndimage.gaussian_filter(sharp.astype(float), (s, s, 0)).round().astype(np.uint8)
            for s in sigmas]


def test_sharpest_slice_from_multipage_tiff(tmp_path):
    stack = z_stack(synthetic_tissue())
    path = tmp_path / "stack.tif"
    Image.fromarray(stack[0]).save(path, save_all=True, append_images=[Image.fromarray(s) for s in stack[1:]])
    img, info = utils.load_source(str(path))
    assert info["slices"] == 5 and info["sharpestSlice"] == 2
    assert np.array_equal(img, stack[2])


def test_sharpest_slice_from_folder(tmp_path):
    stack = z_stack(synthetic_tissue(seed=1), sigmas=(3, 0, 2))
    for i, s in enumerate(stack):
        Image.fromarray(s).save(tmp_path / f"z{i:02d}.png")
    img, info = utils.load_source(str(tmp_path))
    assert info["sharpestSlice"] == 1 and np.array_equal(img, stack[1])


def test_prepare_resamples_splits_and_rejects_negatives(tmp_path):
    data = tmp_path / "src"
    (data / "stack").mkdir(parents=True)
    for i, s in enumerate(z_stack(synthetic_tissue(300, seed=2), sigmas=(2, 0))):
        Image.fromarray(s).save(data / "stack" / f"{i}.png")
    Image.fromarray(synthetic_tissue(200, seed=3)).save(data / "plain.png")
    Image.fromarray(np.full((200, 200, 3), 242, np.uint8)).save(data / "glass.png")
    entry = dict(stain="H&E", tissue="x", source="synthetic", license="CC0-1.0", micronsPerPixelAssumed=False)
    spec = {"sources": [
        {**entry, "file": "stack", "micronsPerPixel": 0.25, "role": "in-focus", "split": "train"},
        {**entry, "file": "plain.png", "micronsPerPixel": 0.5, "role": "in-focus", "split": "val"},
        {**entry, "file": "glass.png", "micronsPerPixel": 0.5, "role": "background", "split": "negative"}]}
    (tmp_path / "sources.json").write_text(json.dumps(spec))
    out = tmp_path / "out"
    args = prepare.get_args_parser().parse_args(
        ["--sources", str(tmp_path / "sources.json"), "--data-dir", str(data), "--output-dir", str(out),
         "--train-patch-size", "96", "--val-patch-size", "96", "--stride", "48", "--val-stride", "48"])
    man = prepare.main(args)
    stack_src = next(s for s in man["sources"] if s["file"] == "stack")
    assert (stack_src["width"], stack_src["height"]) == (150, 150)          # 0.25 -> 0.5 um/px
    assert stack_src["zStack"]["sharpestSlice"] == 1 and stack_src["patches"]
    assert man["negatives"][0]["tissuePatchesFound"] == 0
    assert not set(man["split"]["train"]) & set(man["split"]["val"])
    assert os.path.exists(out / stack_src["image"])


def test_committed_source_split_holds_out_whole_sources_and_stains():
    spec = utils.load_json(os.path.join(TRAINING, "sources.json"))["sources"]
    files = [s["file"] for s in spec]
    assert len(files) == len(set(files))                      # one split per source image
    train = {s["file"] for s in spec if s["split"] == "train"}
    val = {s["file"] for s in spec if s["split"] == "val"}
    assert train and val and not train & val
    assert all("ihc" not in f for f in train)                 # IHC is never trained on
    assert not any(f.startswith("tiatoolbox") for f in train)  # nor the TIAToolbox family
    for s in spec:                                             # nothing coarser than the model grid is a sharp source
        if s["split"] in ("train", "val"):
            assert s["micronsPerPixel"] <= 0.5 + 1e-9 and s["role"] == "in-focus"


def test_prepared_manifest_split_if_present():
    path = os.path.join(TRAINING, "data", "manifest.json")
    if not os.path.exists(path):
        pytest.skip("training/data not prepared")
    man = utils.load_json(path)
    train = {s["file"] for s in man["sources"] if s["split"] == "train" and s["patches"]}
    val = {s["file"] for s in man["sources"] if s["split"] == "val" and s["patches"]}
    assert train and val and not train & val


def test_background_images_give_no_tissue_patches(shared_dir):
    spec = utils.load_json(os.path.join(TRAINING, "sources.json"))["sources"]
    for s in spec:
        if s["role"] != "background":
            continue
        img = utils.load_rgb(os.path.join(shared_dir, s["file"]))
        assert not prepare.patches_for(img, 128, 64, 0, utils.TISSUE_RULES), s["file"]
    tissue = utils.load_rgb(os.path.join(shared_dir, "openslide-os1-detail-he.png"))
    assert prepare.patches_for(tissue[:400, :400], 128, 128, 0, utils.TISSUE_RULES)
