"""The engine's tissue rule and patch grid in numpy, exactly (src/FocusFunctions.Core/Scoring/TissueDetector.cs and
PatchLayout.cs): anything that judges or reports per-image results uses these, so training reads a tile as the engine
does. A parity fixture holds the two equal on every shared image:

    python3 training/tissue.py --write-fixture models/fixtures/tissue-parity/expected.json

Per pixel (integer thresholds on 8-bit RGB): blocked (never tissue) when max < 45 or marker ink (red with no blue lift,
green/teal, deep blue); tissue when stained ((max - min) * 100 >= 12 * max) or absorbing (max < 200); else glass-like.
A glass-like pixel is tissue when at least a fifth of its 25 x 25 neighbourhood (clipped at the image edges) is.
Grid: n = ceil(L / P) patches per axis, origins round(i * (L - P) / (n - 1)) half away from zero; a tile shorter
than P is one patch, mirror-padded to P for the model.
"""
import argparse
import os

import numpy as np

import contract
import preprocess
import utils

NEIGHBOURHOOD_RADIUS = 12
NEIGHBOURHOOD_SHARE = 5


def pixel_kinds(img):
    """(tissue, blocked) boolean masks of a uint8 HxWx3 image, per pixel."""
    x = img.astype(np.int32)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    mx, mn = x.max(-1), x.min(-1)
    red_ink = (r - g > 50) & ((b - g) * 100 < 22 * (r - g))
    green_ink = (g - r > 40) & (g >= b - 25)
    blue_ink = (b - r > 110) & (b - g > 60)
    blocked = (mx < 45) | red_ink | green_ink | blue_ink
    tissue = (((mx - mn) * 100 >= 12 * mx) | (mx < 200)) & ~blocked
    return tissue, blocked


def integral(mask):
    """Summed-area table [h + 1, w + 1] (first row and column zero)."""
    s = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.int64)
    s[1:, 1:] = mask.astype(np.int64).cumsum(0).cumsum(1)
    return s


def _window_bounds(length):
    i = np.arange(length)
    return np.maximum(0, i - NEIGHBOURHOOD_RADIUS), np.minimum(length, i + NEIGHBOURHOOD_RADIUS + 1)


def tissue_mask(img):
    """The engine's mask: per-pixel tissue, plus glass-like pixels with >= 1/5 of their neighbourhood tissue."""
    tissue, blocked = pixel_kinds(img)
    h, w = tissue.shape
    s = integral(tissue)
    top, bottom = _window_bounds(h)
    left, right = _window_bounds(w)
    count = (s[np.ix_(bottom, right)] - s[np.ix_(top, right)] - s[np.ix_(bottom, left)] + s[np.ix_(top, left)])
    area = (bottom - top)[:, None] * (right - left)[None, :]
    return tissue | (~tissue & ~blocked & (count * NEIGHBOURHOOD_SHARE >= area))


def origins(length, patch_size):
    """Patch origins along one axis (PatchLayout.Origins) in integers: i (L - P) / (n - 1), rounded half up."""
    if length <= patch_size:
        return [0]
    n = -(-length // patch_size)
    return [(2 * i * (length - patch_size) + (n - 1)) // (2 * (n - 1)) for i in range(n)]


def cover(width, height, patch_size):
    """Patch regions (x, y, w, h), row by row (PatchLayout.Cover)."""
    return [(x, y, min(patch_size, width - x), min(patch_size, height - y))
            for y in origins(height, patch_size) for x in origins(width, patch_size)]


def mirror_indices(length, patch_size):
    """Source index for each of patch_size positions over a run of `length` pixels (PatchTensor.Mirror)."""
    if length == 1:
        return np.zeros(patch_size, dtype=np.int64)
    m = np.arange(patch_size) % (2 * (length - 1))
    return np.where(m < length, m, 2 * (length - 1) - m)


def patch(img, region, patch_size):
    """The model's input for one region: the pixels, mirror-padded to patch_size where the region is smaller."""
    x, y, w, h = region
    return img[np.ix_(y + mirror_indices(h, patch_size), x + mirror_indices(w, patch_size))]


def layout(img, patch_size=None):
    """An image already at the model's pixel size, read as the engine does: regions, tissue pixels per region and in
    the whole tile (integers), and which regions pass the patch gate."""
    patch_size = patch_size or contract.PATCH_SIZE
    h, w = img.shape[:2]
    s = integral(tissue_mask(img))
    regions = cover(w, h, patch_size)
    counts = [int(s[y + rh, x + rw] - s[y, x + rw] - s[y + rh, x] + s[y, x]) for x, y, rw, rh in regions]
    scored = [c >= contract.MIN_PATCH_TISSUE_FRACTION * rw * rh for c, (_, _, rw, rh) in zip(counts, regions)]
    return {"regions": regions, "patchTissuePixels": counts, "tilePixels": int(s[-1, -1]), "scored": scored,
            "hasTissue": int(s[-1, -1]) >= contract.MIN_TILE_TISSUE_FRACTION * w * h}


def fixture_entry(img, micronsPerPixel):
    resampled = preprocess.resample(img, micronsPerPixel, contract.MICRONS_PER_PIXEL)
    h, w = resampled.shape[:2]
    read = layout(resampled)
    return {"micronsPerPixel": micronsPerPixel, "width": w, "height": h,
            "columns": origins(w, contract.PATCH_SIZE), "rows": origins(h, contract.PATCH_SIZE),
            "tissuePixels": read["tilePixels"], "patchTissuePixels": read["patchTissuePixels"]}


def build_fixture(images_dir, sources_path):
    sources = utils.load_json(sources_path)["sources"]
    images = []
    for s in sorted(sources, key=lambda s: s["file"]):
        entry = fixture_entry(utils.load_rgb(os.path.join(images_dir, s["file"])), s["micronsPerPixel"])
        images.append({"file": s["file"], **entry})
    return {
        "note": "The engine's tissue mask and patch grid on every shared image, after resampling from its "
                "training/sources.json pixel size to the card's. columns / rows: patch origins (px) on the resampled "
                "image; patchTissuePixels: tissue pixels per patch, row by row; tissuePixels: the whole tile's. "
                "Checked by training/tests/test_tissue.py and Core.Tests' TissueParityTests.",
        "command": "python3 training/tissue.py --write-fixture models/fixtures/tissue-parity/expected.json",
        "modelMicronsPerPixel": contract.MICRONS_PER_PIXEL, "patchSize": contract.PATCH_SIZE,
        "neighbourhoodRadius": NEIGHBOURHOOD_RADIUS,
        "minPatchTissueFraction": contract.MIN_PATCH_TISSUE_FRACTION,
        "minTileTissueFraction": contract.MIN_TILE_TISSUE_FRACTION,
        "images": images,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description="Write the tissue-parity fixture (the engine's mask and grid per image)")
    p.add_argument("--write-fixture", required=True, help="output JSON")
    p.add_argument("--images-dir", default=os.path.join(here, "..", "..", "shared", "data", "histology"))
    p.add_argument("--sources", default=os.path.join(here, "sources.json"))
    args = p.parse_args()
    fixture = build_fixture(args.images_dir, args.sources)
    utils.save_json(fixture, args.write_fixture)
    print(f"wrote {args.write_fixture} ({len(fixture['images'])} images)")


if __name__ == "__main__":
    main()
