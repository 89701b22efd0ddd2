"""Export a focus model to ONNX under the model contract, check it, write the parity fixture and the model card.

    python3 training/export.py --checkpoint models/focus-model.pth --output models/focus-model.onnx \
        --fixture-dir models/fixtures/model-parity --card models/focus-model.json --eval-report models/eval/report.json
    python3 training/export.py --arch inception_v3 --random-init --output /tmp/inception.onnx

Contract (contract.py, from the shipped card): input "image" float32 [N, 3, P, P] (RGB, 8-bit sRGB / 255, at the
card's um/px), output "defocus_um" float32 [N, 1] (absolute defocus in um, >= 0), N dynamic.
"""
import argparse
import datetime
import hashlib
import json
import os

import numpy as np
import onnx
import torch
from PIL import Image

import contract
import defocus
import models
import presets
import utils

INPUT_NAME, OUTPUT_NAME, SCALE_OUTPUT_NAME = contract.INPUT_NAME, contract.OUTPUT_NAME, contract.SCALE_OUTPUT_NAME
PATCH_SIZE, MICRONS_PER_PIXEL = contract.PATCH_SIZE, contract.MICRONS_PER_PIXEL


def export_onnx(model, path, size=PATCH_SIZE, opset=17):
    """Exports `model`; a models.TwoOutputs wrapper gives the second output, the calibrated scale."""
    model.eval()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    dummy = torch.rand(1, 3, size, size)
    outputs = [OUTPUT_NAME, SCALE_OUTPUT_NAME] if isinstance(model, models.TwoOutputs) else [OUTPUT_NAME]
    kwargs = dict(input_names=[INPUT_NAME], output_names=outputs, opset_version=opset,
                  dynamic_axes={INPUT_NAME: {0: "N"}, **{o: {0: "N"} for o in outputs}}, do_constant_folding=True)
    try:
        torch.onnx.export(model, dummy, path, dynamo=False, **kwargs)   # torch >= 2.5: keep the TorchScript exporter
    except TypeError:
        torch.onnx.export(model, dummy, path, **kwargs)
    # The exporter's shape inference loses the outputs' second dimension behind the structure-contrast gate
    # (replicate Pads of runtime-computed widths); both outputs are [N, 1] by construction: state it.
    exported = onnx.load(path)
    for out in exported.graph.output:
        dim = out.type.tensor_type.shape.dim[1]
        if dim.dim_param:
            dim.ClearField("dim_param")
            dim.dim_value = 1
    onnx.save(exported, path)
    check_onnx(path, size)
    return path


def check_onnx(path, size=PATCH_SIZE):
    m = onnx.load(path)
    onnx.checker.check_model(m)
    (inp,), outs = m.graph.input, list(m.graph.output)
    dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
    assert inp.name == INPUT_NAME and dims(inp)[1:] == [3, size, size] and isinstance(dims(inp)[0], str), dims(inp)
    assert [o.name for o in outs] in ([OUTPUT_NAME], [OUTPUT_NAME, SCALE_OUTPUT_NAME]), [o.name for o in outs]
    for out in outs:
        assert dims(out)[1:] == [1] and out.type.tensor_type.elem_type == onnx.TensorProto.FLOAT, dims(out)
    assert inp.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    return m


def synthetic_patches(n=3, size=PATCH_SIZE, seed=7, zs=(0.0, 3.0, 7.0)):
    """Our own tissue-like test patches (random stained 'nuclei' on pink stroma), defocused by the simulator."""
    rng = np.random.default_rng(seed)
    margin = defocus.KERNEL_SIZE // 2
    s = size + 2 * margin
    yy, xx = np.mgrid[0:s, 0:s]
    out = []
    bank = defocus.PSFBank(z_max=max(zs) + 0.1, dz=0.05)
    for i in range(n):
        img = np.ones((s, s, 3)) * np.array([0.93, 0.75, 0.85]) + rng.normal(0, 0.03, (s, s, 3))
        for _ in range(260):
            cy, cx, r = rng.uniform(0, s), rng.uniform(0, s), rng.uniform(2, 7)
            mask = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
            img[mask] = np.array([0.35, 0.25, 0.6]) + rng.normal(0, 0.05, 3)
        x = torch.from_numpy(np.clip(img, 0, 1)).permute(2, 0, 1)[None].float()
        y = defocus.defocus_srgb(x, torch.tensor([zs[i % len(zs)]]), bank)[0]
        y = y[:, margin:margin + size, margin:margin + size]
        out.append(np.round(y.permute(1, 2, 0).numpy() * 255).astype(np.uint8))
    return out


def write_parity_fixture(model, fixture_dir, onnx_path):
    os.makedirs(fixture_dir, exist_ok=True)
    patches = synthetic_patches()
    files = []
    for i, p in enumerate(patches):
        name = f"patch-{i}.png"
        Image.fromarray(p, "RGB").save(os.path.join(fixture_dir, name))
        back = np.asarray(Image.open(os.path.join(fixture_dir, name)).convert("RGB"))
        assert np.array_equal(back, p)
        files.append(name)
    x = torch.from_numpy(np.stack(patches)).permute(0, 3, 1, 2).float() / 255
    scale = None
    with torch.no_grad():
        out = model.eval()(x)
        if isinstance(out, tuple):
            out, scale = out
        y = out[:, 0].tolist()
    expected = {"model": os.path.basename(onnx_path), "modelSha256": sha256(onnx_path), "inputName": INPUT_NAME,
                "outputName": OUTPUT_NAME, "inputs": files, "defocusUm": y, "tolerance": 1e-3,
                **({"scaleOutputName": SCALE_OUTPUT_NAME, "defocusScaleUm": scale[:, 0].tolist()} if scale is not None else {}),
                "layout": f"each PNG is one {PATCH_SIZE}x{PATCH_SIZE} RGB patch; tensor = pixel / 255 as float32 "
                          "NCHW, in file order",
                "note": "synthetic patches made by training/export.py (not from ../shared); outputs from PyTorch"}
    utils.save_json(expected, os.path.join(fixture_dir, "expected.json"))
    return expected


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


GOALS = {"r2": ">= 0.995", "slope": "1 +- 0.03", "intercept": "+- 0.1 um", "mae0to4": "<= 0.2 um",
         "within05um0to4": ">= 0.95",
         "inOutBalancedAccuracyAt2um": ">= 0.98, over the samples not exactly on 2 um (an unbiased model reads those "
                                       "on either side by chance: docs/model.md, results)"}


def goals_met(v):
    # the in/out goal is judged on inOutBalancedAccuracyAt2umExcludingLevel2; the card reports both
    return {"r2": v["r2"] >= 0.995, "slope": abs(v["slope"] - 1) <= 0.03, "intercept": abs(v["intercept"]) <= 0.1,
            "mae0to4": v["mae0to4"] <= 0.2, "within05um0to4": v["within05um0to4"] >= 0.95,
            "inOutBalancedAccuracyAt2um": v["inOutBalancedAccuracyAt2umExcludingLevel2"] >= 0.98}


def rounded(um):
    return None if um is None else round(um, 3)


def scale_card(uncertainty):
    """The card's description of the second output, from training/uncertainty.py's report."""
    five = uncertainty["fiveDraws"]
    return {
        "scaleOutputName": SCALE_OUTPUT_NAME,
        "scaleOutput": {"shape": ["N", 1], "dtype": "float32", "unit": "um",
                        "meaning": "scale b of a Laplace distribution centred on the defocus output, calibrated on "
                                   "held-out sources: the interval defocus +- ln(1 / (1 - p)) b (clipped at 0) holds "
                                   "the true defocus with probability p"},
        "uncertainty": {"distribution": "laplace", "intervalLevel": uncertainty["level"],
                        "calibration": {"scaleFactors": [round(f, 4) for f in uncertainty["calibration"]["scaleFactors"]],
                                        "bandEdgesUm": uncertainty["calibration"]["bandEdgesUm"],
                                        "bands": "of the predicted defocus; the factor is inside the model",
                                        "seeds": uncertainty["calibration"]["seeds"],
                                        "samples": uncertainty["calibration"]["samples"],
                                        "set": f"{len(uncertainty['calibration']['seeds'])} draws of the held-out sources of their own "
                                               "(training/uncertainty.py)",
                                        **structure_poor_card(uncertainty["calibration"])},
                        "coverageFiveDraws": five["coverage"]["overall"],
                        "coverageFiveDrawsPerBand": five["coverage"]["perBand"]},
    }


def structure_poor_card(calibration):
    prior = calibration.get("structurePoor")
    if prior is None:
        return {}
    return {"structurePoor": {"defocusUm": round(prior["defocusUm"], 4), "scaleUm": round(prior["scaleUm"], 4),
                              "belowContrast": prior["belowContrast"],
                              "meaning": "a patch whose structure contrast is below the bound holds no focus information: "
                                         "both outputs are then this prior, the labels' distribution on a held-out draw "
                                         f"of flat specimens (seed {prior['seed']}, {prior['samples']} patches)"}}


def write_card(path, onnx_path, model, arch, ckpt, eval_report, prepare_manifest, args, uncertainty=None):
    val = (eval_report or {}).get("validation", {})
    sources = []
    for s in (prepare_manifest or {}).get("sources", []):
        sources.append({"file": s["file"], "source": s["source"], "license": s["license"], "stain": s["stain"],
                        "micronsPerPixel": s["micronsPerPixel"], "micronsPerPixelAssumed": s["micronsPerPixelAssumed"],
                        "split": s["split"], "patches": len(s.get("patches", []))})
    train_args = (ckpt or {}).get("args", {})
    card = {
        "name": args.name, "version": args.version,
        "description": "Regresses the absolute defocus |z| (um) of a brightfield histology patch.",
        "micronsPerPixel": MICRONS_PER_PIXEL, "patchSize": PATCH_SIZE,
        "inputName": INPUT_NAME, "outputName": OUTPUT_NAME,
        "input": {"shape": ["N", 3, PATCH_SIZE, PATCH_SIZE], "dtype": "float32", "channels": "RGB",
                  "scaling": "8-bit sRGB / 255 (normalisation is inside the model)"},
        "output": {"shape": ["N", 1], "dtype": "float32", "unit": "um", "meaning": "absolute defocus |z|, >= 0"},
        **(scale_card(uncertainty) if uncertainty else {}),
        "preprocessing": {"resample": "separable on 8-bit sRGB; k = s/m; k < 1 area (box) mean, k >= 1 linear at "
                          "(i + 0.5)/k - 0.5 clamped; columns then rows in float32, one rounding half away from zero",
                          "patches": f"{PATCH_SIZE} x {PATCH_SIZE} at {MICRONS_PER_PIXEL} um/px, / 255; per image: "
                                     "the engine's grid and tissue rule (training/tissue.py), median over tissue "
                                     "patches"},
        "optics": {"na": defocus.NA, "refractiveIndex": defocus.REFRACTIVE_INDEX,
                   "wavelengthsMicrons": list(defocus.WAVELENGTHS_UM), "model": defocus.OPTICS_DESCRIPTION,
                   "defocusRangeMicrons": [0, 10]},
        "architecture": arch, "macsPerPatch": utils.count_macs(model, PATCH_SIZE),
        "parameters": utils.count_parameters(model), "opset": args.opset,
        "trainingData": {"sources": sources, "split": "by source image; held out: IHC stain (2 images), the whole "
                         "TIAToolbox family and TCGA case AD-6964",
                         "negatives": (prepare_manifest or {}).get("negatives", [])},
        "training": {k: train_args.get(k) for k in ("epochs", "steps_per_epoch", "batch_size", "crop_size", "lr",
                                                   "seed", "device", "arch")} if train_args else {},
        "trainedEpochs": (ckpt or {}).get("epoch", -1) + 1 if ckpt else 0,
        "validation": {**{k: v for k, v in val.items() if k != "perSource"},
                       "heldOutSources": val.get("perSource", {}),
                       "set": f"held-out sources, simulator: every held-out {PATCH_SIZE} px patch at levels 0..10 "
                              "plus 5 "
                              "continuous z in [0, 10], with the training nuisances, fixed seed"},
        "goals": GOALS, "goalsMet": goals_met(val) if val else {},
        # null: NoTissue, as the engine reads the image
        "perImageMedianUm": {r["file"]: rounded(r["medianUm"]) for r in (eval_report or {}).get("perImage", [])},
        "jpegVariantsMedianUm": {f"{r['file']}@q{r['quality']}": rounded(r["medianUm"])
                                 for r in (eval_report or {}).get("jpegVariants", [])},
        "reference": {"architecture": "InceptionV3", "r2": 0.9904, "fit": "y = 0.59 + 1.157x",
                      "note": "about +-1 um within +-4 um"},
        "exported": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sha256": sha256(onnx_path), "onnxFile": os.path.basename(onnx_path),
        "fileBytes": os.path.getsize(onnx_path),
    }
    if args.card_extra:
        card.update(utils.load_json(args.card_extra))
    utils.save_json(card, path)
    return card


def main(args):
    print(args, flush=True)
    torch.set_num_threads(args.threads)
    ckpt = None
    if args.random_init:
        torch.manual_seed(args.seed)
        arch = args.arch
        model = models.get_model(arch)
    else:
        ckpt = torch.load(args.checkpoint, map_location="cpu")
        arch = ckpt.get("args", {}).get("arch", args.arch)
        model = models.get_model(arch)
        model.load_state_dict(ckpt["model"])
    model.eval()
    if hasattr(model, "fold_normalization"):   # exact for a stem without padding; one pass less over each patch
        model.fold_normalization()
    uncertainty = utils.load_json(args.uncertainty_report) if args.uncertainty_report else None
    exported = model
    if hasattr(model, "distribution"):
        if uncertainty is None:
            raise SystemExit(f"{arch} predicts a scale: give --uncertainty-report (training/uncertainty.py) to calibrate it")
        calibration = uncertainty["calibration"]
        prior = calibration.get("structurePoor")
        exported = models.TwoOutputs(model, calibration["scaleFactors"], calibration["bandEdgesUm"],
                                     None if prior is None else (prior["defocusUm"], prior["scaleUm"])).eval()
    export_onnx(exported, args.output, opset=args.opset)
    print(f"exported {arch} to {args.output} ({os.path.getsize(args.output) / 1e6:.2f} MB), onnx.checker ok, "
          f"sha256 {sha256(args.output)}")
    if args.fixture_dir:
        exp = write_parity_fixture(exported, args.fixture_dir, args.output)
        print(f"parity fixture in {args.fixture_dir}: {exp['defocusUm']}")
    if args.card:
        report = utils.load_json(args.eval_report) if args.eval_report and os.path.exists(args.eval_report) else None
        man_path = os.path.join(args.data_dir, "manifest.json")
        manifest = utils.load_json(man_path) if os.path.exists(man_path) else None
        card = write_card(args.card, args.output, exported, arch, ckpt, report, manifest, args, uncertainty)
        print(f"model card {args.card}: {card['macsPerPatch'] / 1e6:.1f} M MACs, {card['parameters']} parameters")


def get_args_parser():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description="Export a focus model to ONNX (+ parity fixture and model card)")
    p.add_argument("--checkpoint", default=os.path.join(here, "..", "models", "focus-model.pth"), help="checkpoint")
    p.add_argument("--arch", default="focusnet", help="architecture when --random-init (else from the checkpoint)")
    p.add_argument("--random-init", action="store_true", help="export a randomly initialised model, no checkpoint")
    p.add_argument("--seed", default=0, type=int, help="seed for --random-init")
    p.add_argument("--output", default=os.path.join(here, "..", "models", "focus-model.onnx"), help="ONNX path")
    p.add_argument("--opset", default=17, type=int, help="ONNX opset")
    p.add_argument("--fixture-dir", default="", help="write the parity fixture here")
    p.add_argument("--card", default="", help="write the model card (JSON) here")
    p.add_argument("--card-extra", default="", help="JSON merged into the card (e.g. training facts)")
    p.add_argument("--eval-report", default=os.path.join(here, "..", "models", "eval", "report.json"),
                   help="evaluate.py report for the card")
    p.add_argument("--data-dir", default=os.path.join(here, "data"), help="prepare.py output (for the card)")
    p.add_argument("--uncertainty-report", default="",
                   help="training/uncertainty.py report: its scale factor calibrates the second output (focusnet_laplace)")
    p.add_argument("--name", default="focus-model", help="model name in the card")
    p.add_argument("--version", default="1.2.0", help="model version in the card")
    p.add_argument("--threads", default=2, type=int, help="CPU threads")
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
