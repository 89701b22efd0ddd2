"""Calibrate a focusnet_laplace checkpoint's scale on held-out sources, then check it against issue 25's goals.

    /usr/bin/python3 training/uncertainty.py --checkpoint training/runs/heads-1.2.0/checkpoint.pth \
        --baseline models/previous/focus-model-1.1.0/focus-model.pth --cache-dir training/runs/held-out-draws \
        --output-json models/eval/uncertainty.json

1. **Calibration** on its own four draws of the held-out sources (CALIBRATION_SEEDS, never among the report draws):
   per band of the predicted defocus (CALIBRATION_EDGES), the factor c that makes mu +- k c b (k = ln(1 / (1 -
   level)), the Laplace quantile) cover `level` of the patches; the export multiplies the scale output by the factor
   of its prediction's band. Structure-poor patches (models.StructureContrast below POOR_BELOW) get the prior
   instead: the median and the covering Laplace scale of the labels (drawn z) of a held-out draw of flat specimens
   (STRUCTURE_POOR_SEED), see models.TwoOutputs.
2. **Report draws** (the five held-out draws compare.py uses): point accuracy (R^2, MAE 0-4 um, slope), interval
   coverage overall and per 2 um band, and the engine's verdict rule (docs/scoring.md) applied to each patch as a
   one-patch tile: at >= 3 um the share OutOfFocus, at <= 1 um the share InFocus.
3. **No-information tiles** generated here: flat and nearly flat stain colours (eosin, haematoxylin, DAB, grey,
   PAS), with sensor noise and JPEG: how many would be OutOfFocus (goal: none).
4. **Thick sections, folds and tilt** (specimens.py) drawn from the held-out sources: error against their label,
   for this model and for the baseline.
5. **Every shared image** read as the engine reads it: median defocus, median interval, verdict; and the soft OS-2
   scan against its sharp twin.
"""
import argparse
import math
import os
import time

import numpy as np
import torch

import contract
import evaluate
import models
import preprocess
import presets
import specimens
import tissue
import utils

REPORT_SEEDS = (presets.VAL_SEED, 1, 2, 3, 4)
BANDS = ((0, 2), (2, 4), (4, 6), (6, 8), (8, 10.0001))
CALIBRATION_EDGES = (0.0, 2.0, 4.0, 6.0, 8.0)      # bands of the predicted defocus, each with its own factor
CALIBRATION_SEEDS = (7, 8, 12, 13)  # four draws: with two, the per-band factors carried ~0.02 of sampling noise
STRUCTURE_POOR_SEED = 9
POOR_LOG_CONTRAST = math.log(models.StructureContrast.POOR_BELOW + models.StructureContrast.FLOOR)
SOFT_SCAN, SHARP_TWIN = "openslide-os2-ndpi-ki67-ihc-soft.png", "openslide-os2-vsi-ki67-ihc.png"


def half_width_per_scale(level):
    """k such that a Laplace(mu, b) puts `level` of its mass in mu +- k b."""
    return math.log(1.0 / (1.0 - level))


def held_out_draw(args, seed, bank, specimens_=None, tag="nonplanar"):
    """One simulated draw of the held-out sources, cached under --cache-dir (the simulation does not depend on the
    model, and costs minutes a draw on 2 cores); `tag` names a draw of other specimens than planes in the cache."""
    path = os.path.join(args.cache_dir, f"draw-{seed}{'-' + tag if specimens_ else ''}.pt") if args.cache_dir else None
    if path and os.path.exists(path):
        return torch.load(path)
    if specimens_ is None:
        x, y, src = evaluate.held_out_set(args.data_dir, seed, bank=bank)
    else:
        manifest = utils.load_json(os.path.join(args.data_dir, "manifest.json"))
        x, y, src = presets.build_val_set(manifest, args.data_dir, bank, contract.PATCH_SIZE, "cpu", seed=seed,
                                          specimens=specimens_)
    if path:
        os.makedirs(args.cache_dir, exist_ok=True)
        torch.save((x, y, src), path)
    return x, y, src


@torch.no_grad()
def predict(model, x_uint8, batch=64):
    """(mu, b, structure) as numpy arrays for uint8 patches [N, 3, P, P]; b is the model's raw (uncalibrated) scale,
    structure its StructureContrast output (log scale); both NaN for a point-only model."""
    model.eval()
    mus, bs, structures = [], [], []
    for i in range(0, len(x_uint8), batch):
        xb = x_uint8[i:i + batch].float() / 255
        if hasattr(model, "distribution_and_structure"):
            mu, b, structure = model.distribution_and_structure(xb)
        else:
            mu = model(xb)
            b = structure = torch.full_like(mu, float("nan"))
        mus.append(mu[:, 0])
        bs.append(b[:, 0])
        structures.append(structure[:, 0])
    return torch.cat(mus).numpy(), torch.cat(bs).numpy(), torch.cat(structures).numpy()


def calibrate(mu, b, y, level):
    """The factor c with P(|y - mu| <= k c b) = level on this set."""
    return float(np.quantile(np.abs(y - mu) / b, level) / half_width_per_scale(level))


def calibrate_per_band(mu, b, y, level, edges=CALIBRATION_EDGES):
    """One factor per band of the *predicted* defocus (the label is unknown when the model runs): [edge_k,
    edge_k+1), the last band open. A single factor left the 2-4 um band under-covered and 6-10 over-covered."""
    bands = np.digitize(mu, edges[1:])
    return [calibrate(mu[bands == k], b[bands == k], y[bands == k], level) for k in range(len(edges))]


def band_factors(mu, factors, edges=CALIBRATION_EDGES):
    """The calibration factor for each prediction (numpy mirror of models.TwoOutputs)."""
    return np.asarray(factors)[np.digitize(mu, edges[1:])]


def calibrated(mu, b, structure, calibration):
    """(point estimate, calibrated scale) as the exported model gives them (numpy mirror of models.TwoOutputs), for a
    calibration as the report stores it."""
    scale = b * band_factors(mu, calibration["scaleFactors"], calibration["bandEdgesUm"])
    prior = calibration.get("structurePoor")
    if prior is None:
        return mu, scale
    poor = np.asarray(structure) < POOR_LOG_CONTRAST
    return np.where(poor, prior["defocusUm"], mu), np.where(poor, prior["scaleUm"], scale)


def structure_poor_prior(y, level):
    """The Laplace (median, scale) whose `level` interval covers `level` of the labels `y` of patches that hold no
    focus information."""
    centre = float(np.median(y))
    return centre, float(np.quantile(np.abs(y - centre), level) / half_width_per_scale(level))


def coverage(mu, scale, y, level):
    """Share of labels inside the (0-clipped) interval, overall and per 2 um band of the label."""
    k = half_width_per_scale(level)
    inside = (y >= np.maximum(0, mu - k * scale)) & (y <= mu + k * scale)
    per_band = {f"{lo}-{int(hi)}": float(inside[(y >= lo) & (y < hi)].mean()) for lo, hi in BANDS}
    return {"overall": float(inside.mean()), "perBand": per_band,
            "medianHalfWidthPerBand": {f"{lo}-{int(hi)}": float(np.median(k * scale[(y >= lo) & (y < hi)]))
                                       for lo, hi in BANDS}}


def patch_judgements(mu, scale, level, threshold):
    """+1 judged out (interval above the threshold), -1 judged in (at or below it), 0 undecided."""
    k = half_width_per_scale(level)
    return np.where(np.maximum(0, mu - k * scale) > threshold, 1, np.where(mu + k * scale <= threshold, -1, 0))


def tile_verdict(judgements, min_decisive_fraction=0.5):
    """The engine's rule (docs/scoring.md) over one tile's tissue patches."""
    n, out, inn = len(judgements), int((judgements == 1).sum()), int((judgements == -1).sum())
    if out >= min_decisive_fraction * n and out > inn:
        return "OutOfFocus"
    if inn >= min_decisive_fraction * n and inn > out:
        return "InFocus"
    return "Indeterminate"


def verdict_rates(mu, scale, y, level, threshold):
    verdicts = np.array([tile_verdict(np.array([j])) for j in patch_judgements(mu, scale, level, threshold)])
    far, near = y >= 3.0, y <= 1.0
    share = lambda mask, v: float((verdicts[mask] == v).mean())
    return {"atLeast3umOutOfFocus": share(far, "OutOfFocus"), "atLeast3umIndeterminate": share(far, "Indeterminate"),
            "atMost1umInFocus": share(near, "InFocus"), "atMost1umIndeterminate": share(near, "Indeterminate"),
            "atMost1umOutOfFocus": share(near, "OutOfFocus"), "atLeast3umInFocus": share(far, "InFocus")}


STAIN_COLOURS = {"eosin": (0.93, 0.62, 0.80), "haematoxylin": (0.45, 0.35, 0.65), "dab": (0.62, 0.45, 0.30),
                 "grey": (0.75, 0.75, 0.75), "pas": (0.85, 0.45, 0.70), "pale-eosin": (0.96, 0.85, 0.91)}


def no_information_patches(seed=11, per_colour=24, size=contract.PATCH_SIZE):
    """Flat and nearly flat stain colours as a scanner would write them: each colour flat, or with a smooth
    low-frequency shading (+-6 %), with Poisson-Gaussian sensor noise at three levels, half of them JPEG-compressed
    (quality 50-95). Returns (uint8 [N, 3, P, P], descriptions)."""
    gen = torch.Generator().manual_seed(seed)
    xs, names = [], []
    for name, rgb in STAIN_COLOURS.items():
        base = torch.tensor(rgb).view(1, 3, 1, 1).expand(per_colour, 3, size, size).clone()
        shaded = torch.arange(per_colour) % 2 == 1
        field = torch.nn.functional.interpolate(torch.rand(per_colour, 1, 3, 3, generator=gen) - 0.5, size=(size, size),
                                                mode="bicubic", align_corners=True)
        base = base * (1 + 0.12 * field * shaded.view(-1, 1, 1, 1))
        noise = torch.tensor([0.0, 0.01, 0.03]).repeat(per_colour)[:per_colour].view(-1, 1, 1, 1)
        x = (base + noise * torch.randn(base.shape, generator=gen)).clamp(0, 1)
        x = torch.round(x * 255) / 255
        use_jpeg = torch.arange(per_colour) % 4 >= 2
        q = torch.randint(50, 96, (per_colour,), generator=gen)
        idx = use_jpeg.nonzero().flatten()
        x[idx] = presets.jpeg_simulate(x[idx], q[idx])
        xs.append(torch.round(x * 255).to(torch.uint8))
        names += [f"{name}{' shaded' if s else ''} noise {float(n):.2f}{f' jpeg q{int(qq)}' if j else ''}"
                  for s, n, j, qq in zip(shaded, noise.flatten(), use_jpeg, q)]
    return torch.cat(xs), names


@torch.no_grad()
def read_image(model, img_uint8, um_per_px, calibration, level, threshold):
    """One image as the engine reads it (evaluate.predict_image), with intervals and the verdict rule."""
    size = contract.PATCH_SIZE
    img = preprocess.resample(img_uint8, um_per_px, contract.MICRONS_PER_PIXEL)
    read = tissue.layout(img)
    scored = [r for r, keep in zip(read["regions"], read["scored"]) if keep]
    if not scored or not read["hasTissue"]:
        return {"verdict": "NoTissue", "medianUm": None, "tissuePatches": len(scored)}
    xb = torch.from_numpy(np.stack([tissue.patch(img, r, size) for r in scored])).permute(0, 3, 1, 2)
    mu, b, structure = predict(model, xb)
    mu, scale = calibrated(mu, b, structure, calibration)
    k = half_width_per_scale(level)
    return {"verdict": tile_verdict(patch_judgements(mu, scale, level, threshold)), "medianUm": float(np.median(mu)),
            "lowUm": float(np.median(np.maximum(0, mu - k * scale))), "highUm": float(np.median(mu + k * scale)),
            "tissuePatches": len(scored)}


def point_metrics(mu, y):
    r = utils.regression_report(mu, y)
    return {k: r[k] for k in ("r2", "slope", "intercept", "mae", "mae0to4", "within05um0to4")}


def main(args):
    print(args, flush=True)
    torch.set_num_threads(args.threads)
    model, _ = evaluate.load_model(args.checkpoint)
    baseline = evaluate.load_model(args.baseline)[0] if args.baseline else None
    bank = evaluate.held_out_bank()
    level, threshold = args.level, args.threshold
    report = {"checkpoint": args.checkpoint, "baseline": args.baseline, "level": level, "thresholdUm": threshold}

    t = time.time()
    mu, b, st, y = [], [], [], []
    if set(args.calibration_seeds) & set(args.seeds):
        raise SystemExit(f"calibration draws {args.calibration_seeds} overlap the report draws {args.seeds}")
    for seed in args.calibration_seeds:
        x, yy, _ = held_out_draw(args, seed, bank)
        m, s, c = predict(model, x)
        mu.append(m), b.append(s), st.append(c), y.append(yy.numpy())
    mu, b, st, y = np.concatenate(mu), np.concatenate(b), np.concatenate(st), np.concatenate(y)
    structured = st >= POOR_LOG_CONTRAST
    factors = calibrate_per_band(mu[structured], b[structured], y[structured], level)
    cal = {"seeds": list(args.calibration_seeds), "samples": int(structured.sum()),
           "structurePoorInCalibrationDraws": int((~structured).sum()), "bandEdgesUm": list(CALIBRATION_EDGES),
           "scaleFactors": factors, "singleFactor": calibrate(mu, b, y, level)}
    cal["coverageOnCalibrationDraws"] = coverage(*calibrated(mu, b, st, cal), y, level)
    flat = specimens.Specimens(thick=0, fold=0, tilt=0, flat=1.0, smooth=0, out_size=contract.PATCH_SIZE + 8)
    x, yy, _ = held_out_draw(args, STRUCTURE_POOR_SEED, bank, flat, tag="flat")
    m, s, c = predict(model, x)
    poor = c < POOR_LOG_CONTRAST
    centre, scale = structure_poor_prior(yy.numpy()[poor], level)
    cal["structurePoor"] = {"defocusUm": centre, "scaleUm": scale, "belowContrast": models.StructureContrast.POOR_BELOW,
                            "seed": STRUCTURE_POOR_SEED, "samples": int(poor.sum()), "flatSpecimensAboveIt": int((~poor).sum()),
                            "headsOnThem": {"medianUm": float(np.median(m[poor])), "q05Um": float(np.quantile(m[poor], 0.05)),
                                            "q95Um": float(np.quantile(m[poor], 0.95)), "medianScaleUm": float(np.median(s[poor]))}}
    report["calibration"] = cal
    print(f"calibration: factors {[round(f, 3) for f in factors]} on {cal['samples']} structured held-out samples; "
          f"structure-poor prior {centre:.2f} um, scale {scale:.2f} um from {int(poor.sum())} flat ones ({time.time() - t:.0f} s)", flush=True)

    draws, all_mu, all_scale, all_y = [], [], [], []
    for seed in args.seeds:
        x, y, _ = held_out_draw(args, seed, bank)
        mu, b, st = predict(model, x)
        mu, b = calibrated(mu, b, st, cal)
        y = y.numpy()
        entry = {"seed": seed, **point_metrics(mu, y), "coverage": coverage(mu, b, y, level),
                 "verdicts": verdict_rates(mu, b, y, level, threshold)}
        if baseline is not None:
            entry["baseline"] = point_metrics(predict(baseline, x)[0], y)
        draws.append(entry)
        all_mu.append(mu), all_scale.append(b), all_y.append(y)
        print(f"seed {seed}: R2 {entry['r2']:.4f} MAE0-4 {entry['mae0to4']:.3f} slope {entry['slope']:.3f} "
              f"coverage {entry['coverage']['overall']:.3f} {entry['coverage']['perBand']} {entry['verdicts']}", flush=True)
    mu, scale, y = np.concatenate(all_mu), np.concatenate(all_scale), np.concatenate(all_y)
    report["draws"] = draws
    report["fiveDraws"] = {**point_metrics(mu, y), "coverage": coverage(mu, scale, y, level),
                           "verdicts": verdict_rates(mu, scale, y, level, threshold),
                           "meanOverDraws": {k: float(np.mean([d[k] for d in draws])) for k in ("r2", "slope", "mae0to4")}}

    x, names = no_information_patches()
    mu, b, st = predict(model, x)
    mu, b = calibrated(mu, b, st, cal)
    verdicts = [tile_verdict(np.array([j])) for j in patch_judgements(mu, b, level, threshold)]
    report["noInformation"] = {"patches": len(names), **{v: verdicts.count(v) for v in ("InFocus", "OutOfFocus", "Indeterminate")},
                               "outOfFocus": [n for n, v in zip(names, verdicts) if v == "OutOfFocus"],
                               "medianScaleUm": float(np.median(b)), "medianMuUm": float(np.median(mu)),
                               "structurePoor": int((st < POOR_LOG_CONTRAST).sum())}
    if baseline is not None:
        base_mu = predict(baseline, x)[0]
        report["noInformation"]["baselineOutOfFocusAt2um"] = int((base_mu > threshold).sum())
    print(f"no-information patches: {report['noInformation']}", flush=True)

    spec = specimens.Specimens(thick=1 / 3, fold=1 / 3, tilt=1 / 3, flat=0, smooth=0, out_size=contract.PATCH_SIZE + 8)
    kinds = {}
    x, y, _ = held_out_draw(args, 31, bank, spec)
    mu, b, st = predict(model, x)
    y = y.numpy()
    mu, b = calibrated(mu, b, st, cal)
    kinds["model"] = {**point_metrics(mu, y), "coverage": coverage(mu, b, y, level), "structurePoor": int((st < POOR_LOG_CONTRAST).sum())}
    if baseline is not None:
        kinds["baseline"] = point_metrics(predict(baseline, x)[0], y)
    report["nonPlanarHeldOut"] = {"samples": len(y), "shares": "thick, fold, tilt 1/3 each", **kinds}
    print(f"thick/fold/tilt held-out: {kinds}", flush=True)

    sources = utils.load_json(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sources.json"))["sources"]
    rows = []
    for s in sources:
        img = utils.load_rgb(os.path.join(args.shared_dir, s["file"]))
        r = read_image(model, img, s["micronsPerPixel"], cal, level, threshold)
        if baseline is not None:
            base = evaluate.predict_image(baseline, img, s["micronsPerPixel"])
            r["baselineMedianUm"] = base["medianUm"]
        rows.append({"file": s["file"], "role": s["role"], "split": s["split"], **r})
        print(f"{s['file'][:56]:56s} {s['role'][:9]:9s} {r['verdict']:13s} "
              + (f"{r['medianUm']:.2f} [{r['lowUm']:.2f}, {r['highUm']:.2f}]" if r["medianUm"] is not None else ""),
              flush=True)
    by_file = {r["file"]: r for r in rows}
    in_focus = [r for r in rows if r["role"] == "in-focus"]
    report["realImages"] = {
        "rows": rows,
        "inFocusOutOfFocus": [r["file"] for r in in_focus if r["verdict"] == "OutOfFocus"],
        "inFocusVerdicts": {v: sum(r["verdict"] == v for r in in_focus) for v in ("InFocus", "Indeterminate", "OutOfFocus", "NoTissue")},
        "backgroundsNotNoTissue": [r["file"] for r in rows if r["role"] == "background" and r["verdict"] != "NoTissue"],
        "softScan": by_file.get(SOFT_SCAN), "sharpTwin": by_file.get(SHARP_TWIN),
    }
    if by_file.get(SOFT_SCAN) and by_file.get(SHARP_TWIN) and by_file[SOFT_SCAN]["medianUm"] is not None:
        report["realImages"]["softMinusSharpUm"] = by_file[SOFT_SCAN]["medianUm"] - by_file[SHARP_TWIN]["medianUm"]
    utils.save_json(report, args.output_json)
    print(f"wrote {args.output_json}", flush=True)
    return report


def get_args_parser():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--checkpoint", required=True, help="focusnet_laplace checkpoint")
    p.add_argument("--baseline", default="", help="point-only checkpoint to compare with (e.g. models/focus-model.pth)")
    p.add_argument("--data-dir", default=os.path.join(here, "data"), help="output of prepare.py")
    p.add_argument("--shared-dir", default=os.path.join(here, "..", "..", "shared", "data", "histology"))
    p.add_argument("--seeds", nargs="+", type=int, default=list(REPORT_SEEDS), help="report draws")
    p.add_argument("--calibration-seeds", nargs="+", type=int, default=list(CALIBRATION_SEEDS),
                   help="the held-out draws the scale is calibrated on (never report draws)")
    p.add_argument("--level", default=0.8, type=float, help="nominal interval level")
    p.add_argument("--threshold", default=2.0, type=float, help="verdict threshold (um)")
    p.add_argument("--threads", default=2, type=int)
    p.add_argument("--cache-dir", default="", help="keep the simulated held-out draws here and reuse them")
    p.add_argument("--output-json", required=True)
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
