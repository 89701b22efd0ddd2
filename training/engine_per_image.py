"""Every shared image through the shipped engine, as a user would run it: `focus score --format json` at the image's
um/px from training/sources.json, default options. Writes models/eval/engine-per-image.json (docs/model.md).

    dotnet build src/FocusFunctions.Cli -c Release
    /usr/bin/python3 training/engine_per_image.py --output-json models/eval/engine-per-image.json
"""
import argparse
import json
import os
import subprocess

import utils

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FIELDS = ("verdict", "defocusMicrons", "defocusLowMicrons", "defocusHighMicrons", "worstPatchMicrons", "tissueFraction",
          "patchCount", "outOfFocusFraction", "error", "verdictReason")


def score(cli, path, microns_per_pixel, model=None):
    command = ["dotnet", cli, "score", "--format", "json", "--microns-per-pixel", str(microns_per_pixel), "--threads", "2"]
    if model:
        command += ["--model", model]
    out = subprocess.run(command + [path], check=False, capture_output=True, text=True, timeout=600)
    line = next((l for l in out.stdout.splitlines() if l.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"focus score printed no result for {path}: {out.stdout}\n{out.stderr}")
    return json.loads(line)


def main(args):
    sources = utils.load_json(os.path.join(HERE, "sources.json"))["sources"]
    rows, model = [], None
    for s in sources:
        r = score(args.cli, os.path.join(args.images_dir, s["file"]), s["micronsPerPixel"], args.model)
        model = r.get("model")
        rows.append({"file": s["file"], "role": s["role"], "split": s["split"], "micronsPerPixel": s["micronsPerPixel"],
                     **{k: r.get(k) for k in FIELDS}})
        print(f"{s['file'][:56]:56s} {s['role'][:10]:10s} {r['verdict']:13s} {r.get('defocusMicrons')} "
              f"[{r.get('defocusLowMicrons')}, {r.get('defocusHighMicrons')}]", flush=True)
    utils.save_json({"model": model, "engine": "focus score --format json --microns-per-pixel <training/sources.json> "
                                               "--threads 2, default options", "images": rows}, args.output_json)
    print(f"wrote {args.output_json}")


def get_args_parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cli", default=os.path.join(REPO, "src", "FocusFunctions.Cli", "bin", "Release", "net10.0", "focus.dll"))
    p.add_argument("--images-dir", default=os.path.join(REPO, "..", "shared", "data", "histology"))
    p.add_argument("--model", default="", help="ONNX model (default: the shipped one)")
    p.add_argument("--output-json", required=True)
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
