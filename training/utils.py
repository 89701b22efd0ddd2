"""Helpers shared by prepare / train / evaluate / export: image IO, z-stacks, tissue and sharpness tests,
metrics, MAC counting, seeding and checkpoints."""
import json
import os
import random

import numpy as np
from PIL import Image, ImageSequence
from scipy import ndimage

import contract

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")


# ---------------------------------------------------------------- images and z-stacks
def load_rgb(path):
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def load_slices(path):
    """All slices of a z-stack: a multi-page TIFF or a folder of slice images (sorted by name); else one image."""
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if n.lower().endswith(IMAGE_EXTENSIONS))
        return [load_rgb(os.path.join(path, n)) for n in names]
    with Image.open(path) as im:
        return [np.asarray(page.convert("RGB")) for page in ImageSequence.Iterator(im)]


def sharpest_slice(slices):
    """Index of the slice with the largest standard deviation of grey values (the reference's rule)."""
    scores = [float(np.asarray(s, dtype=np.float64).mean(axis=-1).std()) for s in slices]
    return int(np.argmax(scores)), scores


def load_source(path):
    """One in-focus RGB image from a plain image or a z-stack; returns (image, info)."""
    slices = load_slices(path)
    if len(slices) == 1:
        return slices[0], {"slices": 1}
    best, scores = sharpest_slice(slices)
    return slices[best], {"slices": len(slices), "sharpestSlice": best, "sliceStd": [round(s, 3) for s in scores]}


def pad_to_min(img, size):
    """Reflect-pad (symmetric) an HxWxC image so both sides are at least `size`."""
    h, w = img.shape[:2]
    ph, pw = max(0, size - h), max(0, size - w)
    if ph == 0 and pw == 0:
        return img
    return np.pad(img, ((ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)), mode="symmetric")


# ---------------------------------------------------------------- tissue and sharpness
TISSUE_RULES = {"minTissueFraction": 0.5, "maxPenFraction": 0.05, "textureStd": 5.0, "whiteValue": 0.86,
                "minSaturationForTissue": 0.08, "minSharpness": 12.0}


def pixel_masks(img):
    """Per-pixel tissue and pen masks of a uint8 RGB image (rules calibrated on the shared background images)."""
    x = img.astype(np.float32) / 255
    mx, mn = x.max(-1), x.min(-1)
    sat = (mx - mn) / np.maximum(mx, 1e-3)
    grey = img.astype(np.float32).mean(-1)
    local_std = np.sqrt(np.maximum(ndimage.uniform_filter(grey * grey, 9) - ndimage.uniform_filter(grey, 9) ** 2, 0))
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    green_blue_pen = (sat > 0.25) & (g > r) & ((g >= b) | (b - r > 0.2)) & (r < 0.6)
    smooth_ink = (sat > 0.4) & (local_std < 3.0)          # flat saturated ink (red pen) has no texture
    pen = green_blue_pen | smooth_ink
    not_white = (mx < TISSUE_RULES["whiteValue"]) | (sat > TISSUE_RULES["minSaturationForTissue"])
    tissue = not_white & (local_std > TISSUE_RULES["textureStd"]) & ~pen
    return tissue, pen


def sharpness(img):
    """90th percentile of the grey-level gradient magnitude (8-bit units per pixel at the model scale)."""
    grey = img.astype(np.float32).mean(-1)
    gy, gx = np.gradient(grey)
    return float(np.percentile(np.hypot(gx, gy), 90))


def patch_stats(img):
    tissue, pen = pixel_masks(img)
    return {"tissue": float(tissue.mean()), "pen": float(pen.mean()), "sharpness": sharpness(img)}


def is_good_patch(stats, rules=TISSUE_RULES):
    return (stats["tissue"] >= rules["minTissueFraction"] and stats["pen"] <= rules["maxPenFraction"]
            and stats["sharpness"] >= rules["minSharpness"])


def grid_positions(h, w, size, stride):
    ys = list(range(0, max(h - size, 0) + 1, stride)) or [0]
    xs = list(range(0, max(w - size, 0) + 1, stride)) or [0]
    if ys[-1] != max(h - size, 0):
        ys.append(max(h - size, 0))
    if xs[-1] != max(w - size, 0):
        xs.append(max(w - size, 0))
    return [(y, x) for y in ys for x in xs]


# ---------------------------------------------------------------- metrics
def in_out_balanced_accuracy(pred, true, in_focus_um=2.0, margin=-1.0):
    """Balanced accuracy of "in focus" (|z| <= in_focus_um) against "out", over the samples whose true |z| lies
    farther than `margin` um from the line (-1: all; 1e-6: all but those exactly on it)."""
    pred, true = np.asarray(pred, dtype=np.float64), np.asarray(true, dtype=np.float64)
    keep = np.abs(true - in_focus_um) > margin
    is_in, said_in = true[keep] <= in_focus_um, pred[keep] <= in_focus_um
    return 0.5 * float((said_in & is_in).sum() / max(is_in.sum(), 1)
                       + (~said_in & ~is_in).sum() / max((~is_in).sum(), 1))


def regression_report(pred, true, in_focus_um=2.0):
    pred, true = np.asarray(pred, dtype=np.float64), np.asarray(true, dtype=np.float64)
    err = pred - true
    slope, intercept = np.polyfit(true, pred, 1)
    ss_tot = ((true - true.mean()) ** 2).sum()
    r_fit = np.corrcoef(true, pred)[0, 1]
    near = true <= 4.0 + 1e-9
    per_level = {}
    for lvl in range(11):
        sel = np.abs(true - lvl) < 1e-6
        if sel.any():
            per_level[str(lvl)] = {"n": int(sel.sum()), "mae": float(np.abs(err[sel]).mean()),
                                   "bias": float(err[sel].mean()), "medianPred": float(np.median(pred[sel]))}
    return {
        "n": int(len(true)),
        "r2": float(1 - (err ** 2).sum() / ss_tot),
        "r2LinearFit": float(r_fit ** 2),
        "slope": float(slope), "intercept": float(intercept),
        "mae": float(np.abs(err).mean()), "rmse": float(np.sqrt((err ** 2).mean())),
        "mae0to4": float(np.abs(err[near]).mean()),
        "within1um0to4": float((np.abs(err[near]) <= 1.0).mean()),
        "within05um0to4": float((np.abs(err[near]) <= 0.5).mean()),
        "inOutBalancedAccuracyAt2um": in_out_balanced_accuracy(pred, true, in_focus_um),
        # the same without the samples that sit exactly on the 2 um threshold (level 2), and with a +-0.5 um guard band
        "inOutBalancedAccuracyAt2umExcludingLevel2": in_out_balanced_accuracy(pred, true, in_focus_um, 1e-6),
        "inOutBalancedAccuracyAt2umGuardBand05": in_out_balanced_accuracy(pred, true, in_focus_um, 0.5),
        "perLevel": per_level,
    }


# ---------------------------------------------------------------- model cost
def count_macs(model, size=None):
    """Multiply-adds of convolutions and linear layers for one size x size patch (batch-norm folded); size defaults
    to the model's patch size."""
    import torch
    size = size or contract.PATCH_SIZE
    macs = []

    # The probe is one patch; a model may run it as several windows (a larger inner batch), so count every output.
    def conv_hook(m, inp, out):
        macs.append(out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1])

    def lin_hook(m, inp, out):
        macs.append(out.numel() * m.in_features)

    hooks = []
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, torch.nn.Linear):
            hooks.append(m.register_forward_hook(lin_hook))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    model.train(was_training)
    for h in hooks:
        h.remove()
    return int(sum(macs))


def count_parameters(model):
    return int(sum(p.numel() for p in model.parameters()))


# ---------------------------------------------------------------- misc
def seed_everything(seed):
    import torch
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def save_checkpoint(path, model, optimizer, scheduler, epoch, args, metrics, raw_model=None):
    """model: the weights to ship; raw_model (with EMA): the optimised weights that training resumes from."""
    import torch
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
             "scheduler": scheduler.state_dict(), "epoch": epoch, "args": vars(args), "metrics": metrics}
    if raw_model is not None:
        state["model_raw"] = raw_model.state_dict()
    torch.save(state, path)


def save_json(obj, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)


def load_json(path):
    with open(path) as f:
        return json.load(f)
