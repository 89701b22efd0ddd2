import json
import os
import sys

import pytest

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TRAINING)
SHARED = os.path.join(REPO, "..", "shared", "data", "histology")
sys.path.insert(0, TRAINING)

import torch  # noqa: E402

torch.set_num_threads(1)


@pytest.fixture
def shared_dir():
    if not os.path.isdir(SHARED):
        pytest.skip("../shared/data/histology not available")
    return SHARED


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    """A prepared data set of three small synthetic sources (two train, one held out), 96 px windows."""
    import prepare
    from PIL import Image
    from test_prepare import synthetic_tissue
    root = tmp_path_factory.mktemp("tiny")
    src = root / "src"
    src.mkdir()
    entry = dict(stain="H&E", tissue="x", source="synthetic", license="CC0-1.0", micronsPerPixelAssumed=False,
                 micronsPerPixel=0.5, role="in-focus")
    sources = []
    for i, split in enumerate(["train", "train", "val"]):
        Image.fromarray(synthetic_tissue(160, seed=10 + i)).save(src / f"s{i}.png")
        sources.append({**entry, "file": f"s{i}.png", "split": split})
    (root / "sources.json").write_text(json.dumps({"sources": sources}))
    args = prepare.get_args_parser().parse_args(
        ["--sources", str(root / "sources.json"), "--data-dir", str(src), "--output-dir", str(root / "data"),
         "--train-patch-size", "96", "--val-patch-size", "96", "--stride", "64", "--val-stride", "64",
         "--max-patches-per-source", "1"])
    prepare.main(args)
    return root / "data"
