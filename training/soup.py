"""Weight interpolation between checkpoints of one architecture: every floating-point parameter and buffer
(BatchNorm's running statistics included) becomes the weighted mean of the inputs'; integer buffers (BatchNorm's
step counters) come from the first checkpoint. When one input is a fine-tune of the other this is WiSE-FT
(Wortsman et al., 2022): a point on the straight line between the two, which can beat both on shifted data, at no
cost at inference (here it did not: docs/model-history.md, round 11).

    /usr/bin/python3 training/soup.py --checkpoints models/focus-model.pth training/runs/cpu-f14/checkpoint.pth \
        --weights 0.5 0.5 --output training/runs/soup-r11/checkpoint.pth

Only checkpoints that share an origin (a fine-tune and the weights it started from) lie in one basin; the channels
of two independently trained networks do not line up, and their mean is a broken network.
"""
import argparse
import math
import os

import torch


def interpolate(state_dicts, weights):
    """The weighted mean of state dicts with identical keys and shapes (weights ≥ 0, summing to 1)."""
    if len(state_dicts) != len(weights) or len(state_dicts) < 2:
        raise ValueError(f"need two or more state dicts and one weight each, got {len(state_dicts)} and {len(weights)}")
    if any(w < 0 for w in weights) or not math.isclose(sum(weights), 1.0, abs_tol=1e-6):
        raise ValueError(f"weights must be non-negative and sum to 1, got {weights}")
    first = state_dicts[0]
    for i, sd in enumerate(state_dicts[1:], start=1):
        if set(sd) != set(first):
            missing, extra = sorted(set(first) - set(sd)), sorted(set(sd) - set(first))
            raise ValueError(f"checkpoint {i} has different tensors (missing {missing[:3]}, extra {extra[:3]}): "
                             "not the same architecture")
        for k, t in sd.items():
            if t.shape != first[k].shape:
                raise ValueError(f"checkpoint {i}: {k} has shape {tuple(t.shape)}, expected {tuple(first[k].shape)}")
    out = {}
    for k, t in first.items():
        if t.is_floating_point():
            # accumulate in float64 so that a weight of 1 reproduces that input exactly after the cast back
            acc = sum(w * sd[k].double() for w, sd in zip(weights, state_dicts))
            out[k] = acc.to(t.dtype)
        else:
            out[k] = t.clone()
    return out


def main(args):
    ckpts = [torch.load(p, map_location="cpu") for p in args.checkpoints]
    archs = {c.get("args", {}).get("arch", "focusnet") for c in ckpts}
    if len(archs) != 1:
        raise SystemExit(f"checkpoints are of different architectures: {sorted(archs)}")
    soup = interpolate([c["model"] for c in ckpts], args.weights)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    torch.save({"model": soup, "args": {**ckpts[0].get("args", {}), "arch": archs.pop()},
                "soup": {"checkpoints": args.checkpoints, "weights": args.weights}}, args.output)
    print(f"wrote {args.output}: " + " + ".join(f"{w:g} x {p}" for w, p in zip(args.weights, args.checkpoints)))


def get_args_parser():
    p = argparse.ArgumentParser(description="Interpolate the weights of checkpoints of one architecture")
    p.add_argument("--checkpoints", nargs="+", required=True, help="checkpoints (train.py format; 'model' is used)")
    p.add_argument("--weights", nargs="+", type=float, required=True, help="one weight per checkpoint, summing to 1")
    p.add_argument("--output", required=True, help="checkpoint to write")
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
