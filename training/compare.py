"""Score several checkpoints on identical draws of the held-out set: the ship rule's metrics per draw, their mean
over the draws, and each model's per-source MAE minus the first (baseline) model's on the same inputs.

    /usr/bin/python3 training/compare.py --checkpoints models/focus-model.pth training/runs/cpu-v2sp/checkpoint.pth \
        --seeds 20240601 1 2 3 4 --output-json models/eval/compare-draws.json

One draw of the held-out set fixes every sample's sensor noise, JPEG quality, jitter and random z; a per-source MAE
over one image's 128 samples moves with the draw, so a verdict that hangs on hundredths of a um needs several.
Seed 20240601 is the draw that evaluate.py and train.py use.
"""
import argparse
import os
import time

import numpy as np
import torch

import contract
import evaluate
import presets
import train
import utils

RULE_METRICS = ("r2", "slope", "intercept", "mae0to4", "within05um0to4", "inOutBalancedAccuracyAt2um",
                "inOutBalancedAccuracyAt2umExcludingLevel2")


def score_draw(models, val_x, val_z, val_src):
    """Each model's rule metrics, signed error per integer level, per-source MAE and per-source in/out balanced
    accuracy at 2 um without the samples exactly on the line (what an error in um means for verdicts) on one draw
    (models: name -> module)."""
    scores = {}
    for name, model in models.items():
        report, pred = train.evaluate(model, val_x, val_z, "cpu")
        per_source = evaluate.per_source(pred, val_z.numpy(), val_src)
        scores[name] = {**{k: report[k] for k in RULE_METRICS},
                        "perLevelBias": {level: v["bias"] for level, v in report["perLevel"].items()},
                        "perSourceMae": {f: s["mae"] for f, s in per_source.items()},
                        "perSourceInOut": {f: s["inOutBalancedAccuracyAt2umExcludingLevel2"]
                                           for f, s in per_source.items()}}
    return scores


def stats(values):
    v = np.asarray(values, dtype=float)
    return {"mean": float(v.mean()), "std": float(v.std(ddof=1)) if len(v) > 1 else 0.0, "values": v.tolist()}


def summarise(draws, baseline):
    """Mean and standard deviation over the draws of every metric (the per-level bias included), and of each
    per-source MAE's paired difference from the baseline model (positive = worse than the baseline)."""
    summary = {}
    for name in draws[0]:
        rows = [d[name] for d in draws]
        sources = list(rows[0]["perSourceMae"])
        entry = {k: stats([r[k] for r in rows]) for k in RULE_METRICS}
        for key in ("perSourceMae", "perSourceInOut"):
            entry[key] = {f: stats([r[key][f] for r in rows]) for f in sources}
        entry["perLevelBias"] = {level: stats([r["perLevelBias"][level] for r in rows])
                                 for level in rows[0]["perLevelBias"]}
        if name != baseline:
            entry["perSourceMaeMinusBaseline"] = {
                f: stats([r["perSourceMae"][f] - d[baseline]["perSourceMae"][f] for r, d in zip(rows, draws)])
                for f in sources}
        summary[name] = entry
    return summary


def main(args):
    print(args, flush=True)
    torch.set_num_threads(args.threads)
    models = {path: evaluate.load_model(path)[0] for path in args.checkpoints}
    draws = []
    bank = evaluate.held_out_bank()      # the same for every draw: build it once
    for seed in args.seeds:
        t = time.time()
        val_x, val_z, val_src = evaluate.held_out_set(args.data_dir, seed, args.patch_size, args.stain_shift, bank)
        draws.append(score_draw(models, val_x, val_z, val_src))
        for name, s in draws[-1].items():
            print(f"seed {seed} {name}: R2 {s['r2']:.4f} MAE0-4 {s['mae0to4']:.3f} "
                  + " ".join(f"{f[:14]} {m:.3f}" for f, m in s["perSourceMae"].items()), flush=True)
        print(f"seed {seed}: {len(val_x)} samples in {time.time() - t:.0f} s", flush=True)
    out = {"checkpoints": args.checkpoints, "baseline": args.checkpoints[0], "seeds": args.seeds,
           "patchSize": args.patch_size, "stainShift": args.stain_shift,
           "draws": [{"seed": s, "scores": d} for s, d in zip(args.seeds, draws)],
           "summary": summarise(draws, args.checkpoints[0])}
    utils.save_json(out, args.output_json)
    print(f"wrote {args.output_json}")
    return out


def get_args_parser():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0], add_help=True)
    p.add_argument("--checkpoints", nargs="+", required=True, help="checkpoints; the first is the baseline")
    p.add_argument("--seeds", nargs="+", type=int, default=[presets.VAL_SEED, 1, 2, 3, 4], help="held-out draws")
    p.add_argument("--data-dir", default=os.path.join(here, "data"), help="output of prepare.py")
    p.add_argument("--output-json", required=True, help="report (JSON)")
    p.add_argument("--patch-size", default=contract.PATCH_SIZE, type=int,
                   help="score the held-out patches at this size (<= the model's; cut from the top-left of each "
                        "window)")
    p.add_argument("--stain-shift", default="none", choices=sorted(presets.STAIN_SHIFTS),
                   help="re-stain every held-out sample before the blur: restain (haematoxylin/eosin/DAB mixes, "
                        "the training option --restain at share 1) or pas (haematoxylin + periodic acid-Schiff)")
    p.add_argument("--threads", default=2, type=int, help="CPU threads")
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
