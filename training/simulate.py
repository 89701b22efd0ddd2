"""Apply the project's physical defocus to real images: a ladder of known |z| for tests, demos and checks.

Each input is resampled to the model's pixel size (preprocess.resample, as the engine does), mirror-padded so the
blur does not wrap, defocused with the fixed optics (defocus.py: NA 0.8, incoherent, in linear light) and written
as PNG (or JPEG with --jpeg-quality) named <stem>_z<z>.png.

    /usr/bin/python3 training/simulate.py --input ../shared/data/histology/skimage-ihc-colon.png \
        --microns-per-pixel 0.5 --z 0 1 2 4 --output-dir /tmp/ladder
"""
import argparse
import os

import numpy as np
import torch
from PIL import Image

import contract
import defocus
import preprocess


def defocus_image(rgb_uint8, z_values):
    """uint8 HxWx3 at the model pixel size -> list of uint8 HxWx3, one per |z| (um)."""
    pad = defocus.KERNEL_SIZE // 2
    padded = np.pad(rgb_uint8, ((pad, pad), (pad, pad), (0, 0)), mode="reflect")
    srgb = torch.from_numpy(padded).permute(2, 0, 1)[None].double() / 255.0
    kernels = torch.stack([defocus.psf(torch.tensor(z_values, dtype=torch.float64).abs(), lam)
                           for lam in defocus.WAVELENGTHS_UM], dim=1)                     # [Z, 3, K, K]
    linear = defocus.srgb_to_linear(srgb).expand(len(z_values), -1, -1, -1)
    blurred = defocus.linear_to_srgb(defocus.fft_convolve(linear, kernels))
    out = (blurred[:, :, pad:-pad, pad:-pad].clamp(0, 1) * 255.0 + 0.5).floor().to(torch.uint8)
    return [o.permute(1, 2, 0).numpy() for o in out]


def main(args):
    torch.set_num_threads(args.threads)
    os.makedirs(args.output_dir, exist_ok=True)
    for path in args.input:
        rgb = np.asarray(Image.open(path).convert("RGB"))
        rgb = preprocess.resample(rgb, args.microns_per_pixel, args.model_microns_per_pixel)
        stem = os.path.splitext(os.path.basename(path))[0]
        for z, image in zip(args.z, defocus_image(rgb, args.z)):
            name = f"{stem}_z{z:.2f}"
            if args.jpeg_quality:
                target = os.path.join(args.output_dir, name + ".jpg")
                Image.fromarray(image).save(target, quality=args.jpeg_quality)
            else:
                target = os.path.join(args.output_dir, name + ".png")
                Image.fromarray(image).save(target)
            print(target)


def get_args_parser():
    p = argparse.ArgumentParser(description="Write physically defocused copies of images at known |z| (um)")
    p.add_argument("--input", nargs="+", required=True, help="source images (RGB)")
    p.add_argument("--microns-per-pixel", type=float, default=contract.MICRONS_PER_PIXEL,
                   help="pixel size of the inputs (um)")
    p.add_argument("--model-microns-per-pixel", type=float, default=defocus.MODEL_UM_PER_PX,
                   help="pixel size the outputs are written at (um); the optics are defined at this size")
    p.add_argument("--z", type=float, nargs="+", required=True, help="defocus distances in um")
    p.add_argument("--output-dir", required=True, help="folder for the outputs")
    p.add_argument("--jpeg-quality", type=int, default=0, help="write JPEG at this quality instead of PNG (0 = PNG)")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
