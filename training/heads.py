"""focusnet_laplace's two heads (point and scale) trained on a frozen network's head inputs (pooled features and
structure contrast).

    /usr/bin/python3 training/heads.py --checkpoint models/previous/focus-model-1.1.0/focus-model.pth \
        --output-dir training/runs/heads-1.2.0 --samples 2000 --features-cache training/runs/heads-features.pt \
        --steps 12000 --point-kind-weights 1 1 1 1 4 1 --scale-kind-weights 1 0 0 0 1 1     # 1.2.0

The checkpoint is a focusnet (1.1.0: its point head starts as it was) or a focusnet_laplace (stage 1 of train.py).

Why: a 200-step CPU fine-tune (train.py, `--specimens`) taught the scale head little about tissue that holds no
focus information: 4 % flat and 4 % smooth samples in a replay pool that refreshes 16 slots a step meant a few dozen
such images, and flat stain tiles still read ~10 um with a 0.1 um scale (OutOfFocus). The heads are 54 k of the
142 k parameters and read only the 192 pooled features and the structure contrast (models.StructureContrast), so
they can be trained on inputs computed once: the simulation (the costly part on a CPU) runs once per sample, each
sample is seen in four orientations, and thousands of head steps take seconds. The backbone, and so the features of
every patch, stay exactly the checkpoint's.

Point target: by default the frozen network's own estimate except on flat tissue (point_targets). Scale loss: each
specimen kind weighed by --scale-kind-weights.
Samples: the training split's windows at 320 px through the full simulator (nuisances, and specimens at the shares
given: thick sections, folds, tilt, flat and smooth tissue). Loss as in train.py: smooth-L1 of the point estimate plus
the Laplace likelihood of the scale around the detached point estimate. Writes a checkpoint in train.py's format.
"""
import argparse
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

import defocus
import models
import presets
import specimens
import train
import utils


@torch.no_grad()
def simulate_features(model, args):
    manifest = utils.load_json(os.path.join(args.data_dir, "manifest.json"))
    bank = defocus.PSFBank(z_max=11.0, dz=args.psf_dz)
    margin = defocus.KERNEL_SIZE // 2 + 8
    sampler = presets.PatchSampler(manifest, args.data_dir, "train", args.crop_size, margin, "cpu")
    spec = specimens.Specimens(*args.specimens, out_size=args.crop_size + 8)
    synth = presets.SyntheticDefocus(bank, args.crop_size, nuisance=True, specimens=spec)
    gen = torch.Generator().manual_seed(args.seed)
    feats, labels, kinds = [], [], []
    t = time.time()
    for i in range(0, args.samples, args.chunk):
        crops, z = sampler.sample(min(args.chunk, args.samples - i), gen)
        x, y = synth.render(crops, z, gen)
        x = torch.round(x * 255) / 255
        for k in range(args.orientations):          # the PSF is symmetric: rotations keep the label
            feats.append(model.head_input(torch.rot90(x, k, dims=(-2, -1))))
            labels.append(y.float())
            kinds.append(spec.last_kinds.clone())
        if (i // args.chunk) % 10 == 0:
            print(f"  {i + args.chunk}/{args.samples} samples ({time.time() - t:.0f} s)", flush=True)
    return torch.cat(feats), torch.cat(labels), torch.cat(kinds)


@torch.no_grad()
def flat_colour_features(model, args):
    """Head inputs of --flat-colours patches of specimens.flat_colour_patches (kind flat, label a drawn z)."""
    gen = torch.Generator().manual_seed(args.seed + 2)
    feats, labels = [], []
    for i in range(0, args.flat_colours, args.chunk):
        x, z = specimens.flat_colour_patches(min(args.chunk, args.flat_colours - i), gen, args.crop_size)
        feats.append(model.head_input(x.float() / 255))
        labels.append(z)
    labels = torch.cat(labels)
    return torch.cat(feats), labels, torch.full(labels.shape, specimens.KINDS.index("flat"), dtype=torch.long)


def cached(path, compute):
    if path and os.path.exists(path):
        return torch.load(path)
    value = compute()
    if path:
        torch.save(value, path)
    return value


def point_targets(model, feats, labels, kinds, args):
    """What the point head learns: the label (--point-target label), or (teacher) the checkpoint's point head's own
    estimate everywhere except on the --label-kinds (flat tissue: no focus information), where it learns the label.
    The teacher keeps the checkpoint's accuracy on structured tissue (retraining it on 3,000 samples cost R^2 0.996 ->
    0.985) while a flat patch's estimate moves from ~10 um to the middle of the labels it could have."""
    if args.point_target == "label":
        return labels
    with torch.no_grad():
        teacher = F.softplus(model.head(feats))[:, 0]
    uninformative = torch.zeros_like(kinds, dtype=torch.bool)
    for kind in args.label_kinds:
        uninformative |= kinds == specimens.KINDS.index(kind)
    return torch.where(uninformative, labels, teacher)


def weighted_laplace_nll(target, location, scale, weight):
    """train.laplace_nll with a weight per sample (its specimen kind's, --scale-kind-weights)."""
    nll = torch.log(scale) + (target - location).abs() / scale
    return (weight * nll).sum() / weight.sum().clamp(min=1e-12)


def train_heads(model, feats, labels, kinds, targets, args):
    params = list(model.head.parameters()) + list(model.scale_head.parameters())
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=args.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 0.5 * (1 + np.cos(np.pi * min(1.0, s / args.steps))))
    gen = torch.Generator().manual_seed(args.seed + 1)
    kind_weights = torch.tensor(args.scale_kind_weights)
    point_weights = torch.tensor(args.point_kind_weights)
    model.train()
    for step in range(args.steps):
        idx = torch.randint(0, len(feats), (args.batch_size,), generator=gen)
        f, y, target, w = feats[idx], labels[idx], targets[idx], kind_weights[kinds[idx]]
        mu = F.softplus(model.head(f))[:, 0]
        b = F.softplus(model.scale_head(f))[:, 0] + model.SCALE_FLOOR_UM
        pw = point_weights[kinds[idx]]
        point_loss = (pw * F.smooth_l1_loss(mu, target, beta=args.huber_beta, reduction="none")).sum() / pw.sum()
        loss = point_loss + args.scale_loss_weight * weighted_laplace_nll(y, mu.detach(), b, w)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        if step % 500 == 0:
            print(f"  step {step}/{args.steps} loss {loss.item():.4f}", flush=True)
    model.eval()
    return optimizer, scheduler


def main(args):
    print(args, flush=True)
    torch.set_num_threads(args.threads)
    ckpt = torch.load(args.checkpoint, map_location="cpu")
    model = models.FocusNetLaplace()
    fresh = models.load_point_weights(model, ckpt["model"])
    if fresh:
        print(f"scale head starts afresh (not in {args.checkpoint}, or of another shape): {fresh}", flush=True)
    model.eval()
    feats, labels, kinds = cached(args.features_cache, lambda: simulate_features(model, args))
    if args.flat_colours:
        path = f"{os.path.splitext(args.features_cache)[0]}-flat-colours-{args.flat_colours}.pt" if args.features_cache else ""
        extra = cached(path, lambda: flat_colour_features(model, args))
        feats, labels, kinds = (torch.cat([a, b]) for a, b in zip((feats, labels, kinds), extra))
    print(f"{len(feats)} feature vectors", flush=True)
    targets = point_targets(model, feats, labels, kinds, args)
    optimizer, scheduler = train_heads(model, feats, labels, kinds, targets, args)
    os.makedirs(args.output_dir, exist_ok=True)
    run_args = argparse.Namespace(**{**ckpt["args"], "arch": "focusnet_laplace", "heads": vars(args)})
    utils.save_checkpoint(os.path.join(args.output_dir, "checkpoint.pth"), model, optimizer, scheduler,
                          ckpt.get("epoch", 0), run_args, {})
    print(f"wrote {os.path.join(args.output_dir, 'checkpoint.pth')}", flush=True)


def get_args_parser():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--checkpoint", required=True, help="focusnet or focusnet_laplace checkpoint (train.py)")
    p.add_argument("--output-dir", required=True)
    p.add_argument("--data-dir", default=os.path.join(here, "data"))
    p.add_argument("--samples", default=3000, type=int, help="simulated samples")
    p.add_argument("--orientations", default=4, type=int, help="90 degree rotations of each sample (1-4)")
    p.add_argument("--chunk", default=32, type=int)
    p.add_argument("--crop-size", default=320, type=int)
    p.add_argument("--psf-dz", default=0.02, type=float)
    p.add_argument("--specimens", default=[0.2, 0.08, 0.1, 0.12, 0.12], type=float, nargs=5,
                   metavar=("THICK", "FOLD", "TILT", "FLAT", "SMOOTH"))
    p.add_argument("--point-target", default="teacher", choices=["teacher", "label"],
                   help="teacher: keep the checkpoint's point estimate except on the --label-kinds (see point_targets)")
    p.add_argument("--label-kinds", nargs="+", default=["flat"], choices=specimens.KINDS,
                   help="specimen kinds whose point target is the label under --point-target teacher")
    p.add_argument("--scale-kind-weights", default=[1.0] * len(specimens.KINDS), type=float, nargs=len(specimens.KINDS),
                   metavar=tuple(k.upper() for k in specimens.KINDS), help="weight of each specimen kind in the scale loss")
    p.add_argument("--point-kind-weights", default=[1.0] * len(specimens.KINDS), type=float, nargs=len(specimens.KINDS),
                   help="weight of each specimen kind in the point loss (order: %s)" % " ".join(specimens.KINDS))
    p.add_argument("--flat-colours", default=2000, type=int,
                   help="extra patches of flat stain colours (specimens.flat_colour_patches), kind flat")
    p.add_argument("--features-cache", default="", help="keep the simulated features here and reuse them")
    p.add_argument("--steps", default=6000, type=int)
    p.add_argument("--batch-size", default=256, type=int)
    p.add_argument("--lr", default=1e-3, type=float)
    p.add_argument("--weight-decay", default=1e-4, type=float)
    p.add_argument("--huber-beta", default=0.1, type=float)
    p.add_argument("--scale-loss-weight", default=0.5, type=float)
    p.add_argument("--seed", default=21, type=int)
    p.add_argument("--threads", default=2, type=int)
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
