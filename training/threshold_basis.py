"""The basis for the default 2 um threshold: how fast nucleus-scale structure fades with defocus on our data, set
against the depth of field of a 20x / 0.8 objective.

    /usr/bin/python3 training/threshold_basis.py --output-json models/eval/threshold-basis.json

Measure: the nucleus-scale contrast of a patch, the standard deviation of a difference of Gaussians (sigma 1 and 4 px
at 0.5 um/px: structure of about 1-4 um, chromatin texture and nuclear outlines) applied to the haematoxylin optical
density (colour deconvolution, Ruifrok & Johnston), inside the patch away from the PSF margins. Every prepared
in-focus window (train and held-out sources) is defocused by the simulator (no nuisances) at |z| = 0, 0.25, ... 6 um;
its contrast is divided by its own contrast at 0. Reported: the median and the 10th / 90th percentiles of that
ratio per z, and the z at which the median crosses 75 % and 50 %.

Depth of field (Berek / Young's total depth, the usual microscopy formula): d = lambda n / NA^2 + n e / (M NA), with
lambda = 0.55 um, n = 1, NA = 0.8, and e / M = 0.5 um (the sampled pixel in the specimen plane): 1.48 um in all, so
+-0.74 um about the focal plane is "in focus" by the optical definition.
"""
import argparse
import os

import numpy as np
import torch
import torch.nn.functional as F

import defocus
import presets
import utils

Z_STEPS = [round(0.25 * i, 2) for i in range(25)]
WAVELENGTH_UM, NA, N, SAMPLED_PIXEL_UM = 0.55, defocus.NA, defocus.REFRACTIVE_INDEX, 0.5


def depth_of_field_um(wavelength=WAVELENGTH_UM, na=NA, n=N, pixel_um=SAMPLED_PIXEL_UM):
    return wavelength * n / na ** 2 + n * pixel_um / na


def gaussian(x, sigma):
    k = int(2 * np.ceil(3 * sigma) + 1)
    r = torch.arange(k, dtype=x.dtype) - k // 2
    g = torch.exp(-0.5 * (r / sigma) ** 2)
    g = g / g.sum()
    x = F.pad(x, (k // 2,) * 4, mode="reflect")
    x = F.conv2d(x, g.view(1, 1, 1, k))
    return F.conv2d(x, g.view(1, 1, k, 1))


def nucleus_contrast(srgb, margin):
    """[B, 3, H, W] sRGB in [0, 1] -> [B]: std of the DoG (sigma 1, 4 px) of the haematoxylin density, inside."""
    od = -torch.log(defocus.srgb_to_linear(srgb).clamp(min=1e-3))
    amounts, _ = presets._unmix_he(od)
    h = amounts[:, :1]
    dog = gaussian(h, 1.0) - gaussian(h, 4.0)
    return dog[..., margin:-margin, margin:-margin].std(dim=(1, 2, 3))


def crossing(zs, values, level):
    """First z where the (decreasing) curve falls to `level`, linearly interpolated."""
    for i in range(1, len(zs)):
        if values[i] <= level < values[i - 1] or values[i] <= level and values[i - 1] == level:
            t = (values[i - 1] - level) / (values[i - 1] - values[i])
            return zs[i - 1] + t * (zs[i] - zs[i - 1])
    return None


def main(args):
    torch.set_num_threads(args.threads)
    manifest = utils.load_json(os.path.join(args.data_dir, "manifest.json"))
    bank = defocus.PSFBank(z_max=max(Z_STEPS) + 0.1, dz=0.05)
    margin = defocus.KERNEL_SIZE // 2
    size = args.size
    ratios = []
    for src in manifest["sources"]:
        if not src["patches"]:
            continue
        img, _ = presets.load_padded(args.data_dir, src, margin)
        for p in src["patches"]:
            crop = img[p["y"]:p["y"] + size + 2 * margin, p["x"]:p["x"] + size + 2 * margin]
            if crop.shape[0] < size + 2 * margin or crop.shape[1] < size + 2 * margin:
                continue
            x = torch.from_numpy(np.ascontiguousarray(crop)).permute(2, 0, 1)[None].float() / 255
            xs = x.expand(len(Z_STEPS), -1, -1, -1)
            blurred = defocus.linear_to_srgb(defocus.defocus_linear(defocus.srgb_to_linear(xs), torch.tensor(Z_STEPS), bank))
            contrast = nucleus_contrast(blurred, margin).numpy()
            if contrast[0] > 0:
                ratios.append(contrast / contrast[0])
    ratios = np.stack(ratios)
    median = np.median(ratios, axis=0)
    report = {
        "measure": "std of the difference of Gaussians (sigma 1 and 4 px at 0.5 um/px) of the haematoxylin optical "
                   "density, relative to the same patch in focus; simulator without nuisances",
        "patches": len(ratios), "patchSize": size,
        "z": Z_STEPS, "medianRatio": median.round(4).tolist(),
        "p10Ratio": np.percentile(ratios, 10, axis=0).round(4).tolist(),
        "p90Ratio": np.percentile(ratios, 90, axis=0).round(4).tolist(),
        "zAt75PercentUm": crossing(Z_STEPS, median.tolist(), 0.75),
        "zAt50PercentUm": crossing(Z_STEPS, median.tolist(), 0.5),
        "depthOfFieldUm": depth_of_field_um(),
        "depthOfFieldFormula": "lambda n / NA^2 + n e / (M NA); lambda 0.55 um, n 1, NA 0.8, e/M 0.5 um",
    }
    utils.save_json(report, args.output_json)
    print(f"{len(ratios)} patches; contrast at 75 % by {report['zAt75PercentUm']:.2f} um, at 50 % by "
          f"{report['zAt50PercentUm']:.2f} um; depth of field {report['depthOfFieldUm']:.2f} um (+-"
          f"{report['depthOfFieldUm'] / 2:.2f})")
    return report


def get_args_parser():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", default=os.path.join(here, "data"), help="output of prepare.py")
    p.add_argument("--size", default=160, type=int, help="patch size measured (px, inside the PSF margins)")
    p.add_argument("--threads", default=1, type=int)
    p.add_argument("--output-json", required=True)
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
