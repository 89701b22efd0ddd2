"""Resampling to the model's pixel size, exactly as the C# engine does it (train/serve parity).

Contract: separable, on 8-bit sRGB values, scale factor k = s / m (source / model um per px), output size
floor(n * k + 0.5). Output pixel i covers the input interval [i / k, (i + 1) / k). Downsampling (k < 1): exact
area-weighted mean of the overlapping input pixels (box filter). Upsampling or equal (k >= 1): linear
interpolation at input coordinate (i + 0.5) / k - 0.5, clamped to [0, n - 1]. Both passes in float64, one rounding
(half away from zero) to uint8 at the end.

    python3 training/preprocess.py --write-fixture models/fixtures/preprocess-parity
"""
import argparse
import json
import math
import os

import numpy as np


def output_size(n, k):
    return int(math.floor(n * k + 0.5))


def resample_matrix(n_in, k):
    """Weights [n_out, n_in] that map one axis of the source to the model grid."""
    n_out = output_size(n_in, k)
    w = np.zeros((n_out, n_in), dtype=np.float64)
    if k < 1.0:
        for i in range(n_out):
            a, b = i / k, min((i + 1) / k, float(n_in))
            for j in range(int(math.floor(a)), min(int(math.ceil(b)), n_in)):
                w[i, j] = min(b, j + 1.0) - max(a, float(j))
            w[i] /= w[i].sum()
    else:
        for i in range(n_out):
            x = min(max((i + 0.5) / k - 0.5, 0.0), n_in - 1.0)
            j = int(math.floor(x))
            t = x - j
            w[i, j] += 1.0 - t
            if t > 0:
                w[i, j + 1] += t
    return w


def round_half_away_to_uint8(x):
    return np.clip(np.sign(x) * np.floor(np.abs(x) + 0.5), 0, 255).astype(np.uint8)


def resample(image, source_um_per_px, model_um_per_px=0.5):
    """uint8 HxWxC (or HxW) at source_um_per_px -> uint8 at model_um_per_px."""
    k = source_um_per_px / model_um_per_px
    img = np.asarray(image)
    rows = resample_matrix(img.shape[0], k)
    cols = resample_matrix(img.shape[1], k)
    from scipy import sparse
    rows, cols = sparse.csr_matrix(rows), sparse.csr_matrix(cols)   # banded: same sums, far fewer operations
    x = img.astype(np.float64)
    shape = x.shape
    x = (rows @ x.reshape(shape[0], -1)).reshape((rows.shape[0],) + shape[1:])            # rows first
    x = np.moveaxis(x, 1, 0)
    x = (cols @ x.reshape(shape[1], -1)).reshape((cols.shape[0], rows.shape[0]) + shape[2:])  # then columns
    return round_half_away_to_uint8(np.moveaxis(x, 0, 1))


def write_fixture(out_dir, seed=1234, width=173, height=151, source_um=0.3, model_um=0.5):
    """Synthetic textured RGB image (our own, not from ../shared), its meta and the expected resampled bytes."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float64)
    base = np.stack([128 + 90 * np.sin(xx / (3 + c) + yy / (5 + 2 * c)) for c in range(3)], axis=-1)
    img = np.clip(base + rng.normal(0, 30, size=base.shape), 0, 255).astype(np.uint8)
    os.makedirs(out_dir, exist_ok=True)
    Image.fromarray(img, "RGB").save(os.path.join(out_dir, "input.png"))
    out = resample(img, source_um, model_um)
    out.tofile(os.path.join(out_dir, "expected.bin"))
    meta = {"inputFile": "input.png", "inputMicronsPerPixel": source_um, "modelMicronsPerPixel": model_um,
            "inputWidth": width, "inputHeight": height,
            "outputWidth": int(out.shape[1]), "outputHeight": int(out.shape[0]),
            "expectedFile": "expected.bin", "expectedLayout": "uint8 RGB, row-major HWC, no header",
            "tolerance": 1,
            "note": "k = inputMicronsPerPixel / modelMicronsPerPixel in double; size = floor(n * k + 0.5); "
                    "k < 1 box (area) filter, k >= 1 linear at (i + 0.5) / k - 0.5 clamped; float64, one rounding "
                    "half away from zero. Written by training/preprocess.py --write-fixture."}
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    return out


def get_args_parser():
    p = argparse.ArgumentParser(description="Resample an image to the model pixel size, or write the parity fixture")
    p.add_argument("--write-fixture", default="", help="folder to write the preprocess parity fixture into")
    p.add_argument("--input", default="", help="image to resample")
    p.add_argument("--input-um-per-px", default=0.0, type=float, help="source microns per pixel")
    p.add_argument("--model-um-per-px", default=0.5, type=float, help="model microns per pixel")
    p.add_argument("--output", default="", help="output PNG for --input")
    return p


if __name__ == "__main__":
    args = get_args_parser().parse_args()
    if args.write_fixture:
        out = write_fixture(args.write_fixture)
        print(f"wrote {args.write_fixture}: output {out.shape[1]}x{out.shape[0]}")
    if args.input:
        from PIL import Image
        img = np.asarray(Image.open(args.input).convert("RGB"))
        Image.fromarray(resample(img, args.input_um_per_px, args.model_um_per_px)).save(args.output)
