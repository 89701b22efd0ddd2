"""Resampling to the model's pixel size, exactly as the C# engine does it (train/serve parity).

Contract: separable, on 8-bit sRGB values, scale factor k = s / m (source / model um per px), output size
floor(n * k + 0.5). Output pixel i covers the input interval [i / k, (i + 1) / k). Downsampling (k < 1): exact
area-weighted mean of the overlapping input pixels (box filter). Upsampling or equal (k >= 1): linear
interpolation at input coordinate (i + 0.5) / k - 0.5, clamped to [0, n - 1]. Columns first, then rows, in float32
with float32 weights (as the engine computes them), one rounding (half away from zero) to uint8 at the end: the
engine's pixels bit for bit (models/fixtures/tissue-parity/ checks the consequence on every shared image).

    python3 training/preprocess.py --write-fixture models/fixtures/preprocess-parity
"""
import argparse
import json
import math
import os

import numpy as np

import contract


def output_size(n, k):
    return max(1, int(math.floor(n * k + 0.5)))


def taps(n_in, k):
    """Per output pixel of one axis: the first input pixel and float32 weights, padded with zero weights to one
    width (a zero tap adds exactly nothing). The weights are the engine's (Resampler.Weights), rounded as it does."""
    per_pixel = []
    for i in range(output_size(n_in, k)):
        if k < 1.0:
            a, b = i / k, min((i + 1) / k, float(n_in))
            first = int(math.floor(a))
            overlaps = [max(0.0, min(b, j + 1.0) - max(a, float(j)))
                        for j in range(first, min(int(math.ceil(b)), n_in))]
            total = sum(overlaps)                   # in order, in float64, as the engine sums
            weights = [np.float32(float(np.float32(o)) / total) for o in overlaps]
        else:
            x = min(max((i + 0.5) / k - 0.5, 0.0), n_in - 1.0)
            first = int(math.floor(x))
            if first >= n_in - 1:
                first, weights = n_in - 1, [np.float32(1.0)]
            else:
                frac = np.float32(x - first)
                weights = [np.float32(1.0) - frac, frac]
        per_pixel.append((first, weights))
    width = max(len(w) for _, w in per_pixel)
    first = np.array([f for f, _ in per_pixel], dtype=np.int64)
    weights = np.zeros((len(per_pixel), width), dtype=np.float32)
    for i, (_, w) in enumerate(per_pixel):
        weights[i, :len(w)] = w
    return first, weights


def resample_matrix(n_in, k):
    """The same weights as a dense [n_out, n_in] matrix (float64), to inspect them."""
    first, weights = taps(n_in, k)
    w = np.zeros((len(first), n_in), dtype=np.float64)
    for t in range(weights.shape[1]):
        cols = np.minimum(first + t, n_in - 1)
        np.add.at(w, (np.arange(len(first)), cols), weights[:, t])
    return w


def round_half_away_to_uint8(x):
    x = np.asarray(x, dtype=np.float64)        # float64 holds every float32 + 0.5 exactly
    return np.clip(np.sign(x) * np.floor(np.abs(x) + 0.5), 0, 255).astype(np.uint8)


def _pass(x, n_in, k, axis):
    """One separable pass in float32, summing the taps in order as the engine does (product, then sum, each rounded)."""
    first, weights = taps(n_in, k)
    acc = None
    for t in range(weights.shape[1]):
        src = np.take(x, np.minimum(first + t, n_in - 1), axis=axis)
        shape = [1] * x.ndim
        shape[axis] = len(first)
        term = weights[:, t].reshape(shape) * src
        acc = term if acc is None else acc + term
    return acc


def resample(image, source_um_per_px, model_um_per_px=contract.MICRONS_PER_PIXEL):
    """uint8 HxWxC (or HxW) at source_um_per_px -> uint8 at model_um_per_px, bit for bit as the engine: columns first,
    then rows, float32, one rounding half away from zero; a scale within 1e-9 of 1 returns the input."""
    k = source_um_per_px / model_um_per_px
    img = np.asarray(image)
    if abs(k - 1.0) < 1e-9:
        return img.copy()
    x = img.astype(np.float32)
    x = _pass(x, img.shape[1], k, axis=1)
    x = _pass(x, img.shape[0], k, axis=0)
    return round_half_away_to_uint8(x)


def write_fixture(out_dir, seed=1234, width=173, height=151, source_um=0.3, model_um=contract.MICRONS_PER_PIXEL):
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
            "tolerance": 0,
            "note": "k = inputMicronsPerPixel / modelMicronsPerPixel in double; size = floor(n * k + 0.5); "
                    "k < 1 box (area) filter, k >= 1 linear at (i + 0.5) / k - 0.5 clamped; columns then rows in "
                    "float32, one rounding half away from zero. Written by training/preprocess.py --write-fixture."}
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    return out


def get_args_parser():
    p = argparse.ArgumentParser(description="Resample an image to the model pixel size, or write the parity fixture")
    p.add_argument("--write-fixture", default="", help="folder to write the preprocess parity fixture into")
    p.add_argument("--input", default="", help="image to resample")
    p.add_argument("--input-um-per-px", default=0.0, type=float, help="source microns per pixel")
    p.add_argument("--model-um-per-px", default=contract.MICRONS_PER_PIXEL, type=float, help="model microns per pixel")
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
