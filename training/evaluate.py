"""Evaluate a checkpoint on the held-out split (synthetic defocus) and on every shared histology image.

    python3 training/evaluate.py --checkpoint models/focus-model.pth --output-json models/eval/report.json \
        --output-figure models/eval/focus-model-eval.png

Held-out metrics: linear fit of predicted vs true (slope, intercept), R2, MAE, share of 0-4 um errors within
+-1 / +-0.5 um, MAE on 0-4 um, error per level 0..10 and in/out balanced accuracy at 2 um. Per image: read as the
engine reads a tile (the card's pixel size and patch size, the engine's grid and tissue rule: tissue.py), report the
median |z| over tissue patches or NoTissue (also for JPEG re-compressed variants of a few images), and a tissue-edge
check: training-split patches scored intact and with one quadrant of grey glass.
"""
import argparse
import io
import os

import numpy as np
import torch
from PIL import Image

import contract
import defocus
import models
import preprocess
import presets
import simulate
import tissue
import train
import utils

# Training-split images for the glass-quadrant check (independent of the held-out sources).
GLASS_QUADRANT_FILES = ("cmu1-small-region-he-skin.png", "openslide-os1-detail-he.png",
                        "tcga-histolab-high-nuclei-score-level0.png")
GLASS_GREY = 216      # OS-2 VSI's background: grey enough that the tissue rule counts it as tissue

JPEG_VARIANT_FILES = ("openslide-os2-ndpi-ki67-ihc-soft.png", "openslide-os2-vsi-ki67-ihc.png",
                      "openslide-os1-detail-he.png", "cmu1-small-region-he-skin.png")


def load_model(checkpoint, arch=None):
    ckpt = torch.load(checkpoint, map_location="cpu")
    arch = arch or ckpt.get("args", {}).get("arch", "focusnet")
    model = models.get_model(arch)
    model.load_state_dict(ckpt["model"])
    return model.eval(), ckpt


def predict_image(model, img_uint8, um_per_px):
    """One image read as the engine reads a tile (TileScorer): resample to the card's pixel size, the engine's patch
    grid (short sides mirror-padded) and tissue rule, the median over patches that pass the tissue gate; NoTissue
    (no median) when none does or the tile has too little tissue."""
    size = contract.PATCH_SIZE
    img = preprocess.resample(img_uint8, um_per_px, contract.MICRONS_PER_PIXEL)
    h, w = img.shape[:2]
    read = tissue.layout(img)
    scored = [r for r, keep in zip(read["regions"], read["scored"]) if keep]
    row = {"patches": len(read["regions"]), "tissuePatches": len(scored), "resampledSize": [w, h],
           "tissueFraction": read["tilePixels"] / (w * h)}
    if not scored or not read["hasTissue"]:
        return {**row, "verdict": "NoTissue", "medianUm": None, "p10Um": None, "p90Um": None}
    xb = torch.from_numpy(np.stack([tissue.patch(img, r, size) for r in scored])).permute(0, 3, 1, 2).float() / 255
    with torch.no_grad():
        preds = torch.cat([model(xb[i:i + 32])[:, 0] for i in range(0, len(xb), 32)]).numpy()
    return {**row, "verdict": "Scored", "medianUm": float(np.median(preds)),
            "p10Um": float(np.percentile(preds, 10)), "p90Um": float(np.percentile(preds, 90))}


def describe(r):
    if r["medianUm"] is None:
        return f"NoTissue ({r['tissueFraction']:.1%} tissue, {r['patches']} patches)"
    return (f"median {r['medianUm']:5.2f} um (p10 {r['p10Um']:5.2f}, p90 {r['p90Um']:5.2f}; "
            f"{r['tissuePatches']}/{r['patches']} tissue patches)")


def jpeg(img, quality):
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"))


def per_image(model, sources, data_dir, qualities=(90, 70, 50)):
    rows, jpeg_rows = [], []
    for s in sources:
        img = utils.load_rgb(os.path.join(data_dir, s["file"]))
        r = predict_image(model, img, s["micronsPerPixel"])
        rows.append({"file": s["file"], "role": s["role"], "stain": s["stain"], "split": s["split"],
                     "micronsPerPixel": s["micronsPerPixel"], "assumed": s.get("micronsPerPixelAssumed", False), **r})
        print(f"{s['file'][:58]:58s} {s['role'][:9]:9s} {s['split'][:8]:8s} {describe(r)}", flush=True)
        if s["file"] in JPEG_VARIANT_FILES:
            for q in qualities:
                rq = predict_image(model, jpeg(img, q), s["micronsPerPixel"])
                jpeg_rows.append({"file": s["file"], "quality": q, **rq})
                print(f"    JPEG q{q}: {describe(rq)}", flush=True)
    return rows, jpeg_rows


def per_source(pred, true, sources):
    """Per held-out source: patch count, MAE, the signed error at each integer level 0..10 (a systematic offset
    shows as a steady bias, noise does not), and in/out balanced accuracy at 2 um without the samples exactly on
    the line (what the error means for verdicts)."""
    pred, true, src = np.asarray(pred), np.asarray(true), np.asarray(sources)
    err = pred - true
    out = {}
    for f in sorted(set(sources)):
        mine = src == f
        out[f] = {"n": int(mine.sum()), "mae": float(np.abs(err[mine]).mean()),
                  "biasPerLevel": {str(lv): float(err[mine & (true == lv)].mean()) for lv in range(11)},
                  "inOutBalancedAccuracyAt2umExcludingLevel2":
                      utils.in_out_balanced_accuracy(pred[mine], true[mine], margin=1e-6)}
    return out


def held_out_set(data_dir, seed=presets.VAL_SEED, size=contract.PATCH_SIZE, stain_shift="none", bank=None):
    """One draw of the held-out evaluation set (every held-out model-size patch at levels 0..10 plus five random z,
    with the training nuisances); `seed` fixes the draw. A smaller `size` cuts each patch from the top-left of its
    window before the simulation (to measure how a reading depends on the input size); `stain_shift` re-stains every
    sample (presets.STAIN_SHIFTS: tissue the models never saw in that colour); `bank` reuses a PSF bank built by
    held_out_bank() across draws. Returns (uint8 patches, true |z|, source file per sample)."""
    manifest = utils.load_json(os.path.join(data_dir, "manifest.json"))
    if size > manifest["valPatchSize"]:
        raise ValueError(f"held-out windows are {manifest['valPatchSize']} px; cannot cut {size} px patches from them")
    return presets.build_val_set(manifest, data_dir, bank or held_out_bank(), size, "cpu", seed=seed,
                                 stain_shift=stain_shift)


def held_out_bank():
    """The PSF bank the held-out set is simulated with (~5 s to build on 2 cores)."""
    return defocus.PSFBank(z_max=11.0, dz=0.05)


def glass_quadrant(model, sources, data_dir, levels=(0.0, 1.0, 2.0, 4.0, 7.0), per_image=6):
    """Tissue edges: full-tissue patches (the engine's grid, >= 90 % tissue by its rule) of training-split images,
    defocused (plain simulator, no nuisances), scored intact and with one quadrant replaced by flat grey glass (the
    background grey of OS-2 VSI, pale enough to pass as the IHC counterstain next to tissue). Returns the MAE of both
    per level: a patch score should follow its tissue, not the featureless glass."""
    by_file = {s["file"]: s for s in sources}
    err = {z: ([], []) for z in levels}
    for f in GLASS_QUADRANT_FILES:
        s = by_file[f]
        img = preprocess.resample(utils.load_rgb(os.path.join(data_dir, f)), s["micronsPerPixel"],
                                  contract.MICRONS_PER_PIXEL)
        read = tissue.layout(img)
        full = [r for r, n in zip(read["regions"], read["patchTissuePixels"]) if n >= 0.9 * contract.PATCH_SIZE ** 2]
        patches = [tissue.patch(img, r, contract.PATCH_SIZE) for r in full[:per_image]]
        half = contract.PATCH_SIZE // 2
        for p in patches:
            for z, blurred in zip(levels, simulate.defocus_image(np.ascontiguousarray(p), list(levels))):
                glass = blurred.copy()
                glass[half:, :half] = GLASS_GREY
                xb = torch.from_numpy(np.stack([blurred, glass])).permute(0, 3, 1, 2).float() / 255
                with torch.no_grad():
                    intact, with_glass = model(xb)[:, 0].tolist()
                err[z][0].append(abs(intact - z))
                err[z][1].append(abs(with_glass - z))
    report = {str(z): {"n": len(a), "maeIntact": float(np.mean(a)), "maeGlassQuadrant": float(np.mean(b))}
              for z, (a, b) in err.items()}
    for z, r in report.items():
        print(f"glass quadrant, {float(z):4.1f} um: MAE intact {r['maeIntact']:.3f}, with a glass quadrant "
              f"{r['maeGlassQuadrant']:.3f} um ({r['n']} patches)", flush=True)
    return report


def figure(pred, true, report, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 2, figsize=(10, 4.2), dpi=80)
    ax[0].scatter(true, pred, s=4, alpha=0.35, color="tab:blue", label="held-out patches")
    xs = np.array([0, 10])
    ax[0].plot(xs, xs, "k--", lw=1, label="y = x")
    ax[0].plot(xs, report["intercept"] + report["slope"] * xs, "r-", lw=1.2,
               label=f"fit y = {report['intercept']:.2f} + {report['slope']:.3f}x")
    ax[0].set_xlabel("true |z| (um)")
    ax[0].set_ylabel("predicted |z| (um)")
    ax[0].set_title(f"R2 {report['r2']:.4f}, MAE {report['mae']:.2f} um")
    ax[0].legend(loc="upper left", fontsize=8)
    levels = sorted(report["perLevel"], key=int)
    ax[1].bar([int(l) for l in levels], [report["perLevel"][l]["mae"] for l in levels], color="tab:orange",
              label="MAE")
    ax[1].plot([int(l) for l in levels], [report["perLevel"][l]["bias"] for l in levels], "k.-", label="bias")
    ax[1].axhline(0, color="grey", lw=0.5)
    ax[1].set_xlabel("defocus level (um)")
    ax[1].set_ylabel("error (um)")
    ax[1].set_title("error per level (held-out sources)")
    ax[1].legend(fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def main(args):
    print(args, flush=True)
    torch.set_num_threads(args.threads)
    model, ckpt = load_model(args.checkpoint)
    val_x, val_z, val_src = held_out_set(args.data_dir)
    report, pred = train.evaluate(model, val_x, val_z, "cpu")
    true = val_z.numpy()
    report["perSource"] = per_source(pred, true, val_src)
    print({k: v for k, v in report.items() if k not in ("perLevel", "perSource")}, flush=True)
    figure(pred, true, report, args.output_figure)
    out = {"checkpoint": os.path.basename(args.checkpoint), "epoch": ckpt.get("epoch"), "validation": report}
    if not args.skip_images:
        sources = utils.load_json(args.sources)["sources"]
        out["perImage"], out["jpegVariants"] = per_image(model, sources, args.images_dir)
        out["glassQuadrant"] = glass_quadrant(model, sources, args.images_dir)
    utils.save_json(out, args.output_json)
    print(f"wrote {args.output_json} and {args.output_figure}")
    return out


def get_args_parser():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description="Evaluate a focus model on held-out data and the shared images")
    p.add_argument("--checkpoint", default=os.path.join(here, "..", "models", "focus-model.pth"), help="checkpoint")
    p.add_argument("--data-dir", default=os.path.join(here, "data"), help="output of prepare.py")
    p.add_argument("--sources", default=os.path.join(here, "sources.json"), help="source list with um/px")
    p.add_argument("--images-dir", default=os.path.join(here, "..", "..", "shared", "data", "histology"),
                   help="shared histology images")
    eval_dir = os.path.normpath(os.path.join(here, "..", "models", "eval"))
    p.add_argument("--output-json", default=os.path.join(eval_dir, "report.json"), help="report (JSON)")
    p.add_argument("--output-figure", default=os.path.join(eval_dir, "focus-model-eval.png"), help="figure (PNG)")
    p.add_argument("--threads", default=2, type=int, help="CPU threads")
    p.add_argument("--skip-images", action="store_true", help="only the held-out synthetic evaluation")
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
