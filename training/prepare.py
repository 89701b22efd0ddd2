"""Build in-focus patch sets at the model pixel size from a source list (plain images or z-stacks).

    python3 training/prepare.py --sources training/sources.json --data-dir ../shared/data/histology \
        --output-dir training/data

Writes <output-dir>/images/<name>.png (the in-focus image, or the sharpest z-stack slice, resampled to
--model-um-per-px with training/preprocess.py) and <output-dir>/manifest.json: settings, every source with its
um/px (assumptions marked), split and reason, the kept patch windows, and the tissue-detector check on the
negatives (background / pen images must yield no patch).
"""
import argparse
import os

import numpy as np
from PIL import Image

import contract
import preprocess
import utils


def patches_for(img, size, stride, max_patches, rules):
    padded = utils.pad_to_min(img, size)
    kept = []
    for y, x in utils.grid_positions(padded.shape[0], padded.shape[1], size, stride):
        st = utils.patch_stats(padded[y:y + size, x:x + size])
        if utils.is_good_patch(st, rules):
            kept.append({"y": y, "x": x, "size": size, **{k: round(v, 4) for k, v in st.items()}})
    if max_patches and len(kept) > max_patches:   # keep an even spread over the image
        idx = np.linspace(0, len(kept) - 1, max_patches).round().astype(int)
        kept = [kept[i] for i in idx]
    return kept


def main(args):
    print(args)
    spec = utils.load_json(args.sources)
    os.makedirs(os.path.join(args.output_dir, "images"), exist_ok=True)
    rules = dict(utils.TISSUE_RULES)
    sources, negatives = [], []
    for entry in spec["sources"]:
        split = entry["split"]
        if split == "excluded":
            sources.append({**entry, "patches": []})
            continue
        path = os.path.join(args.data_dir, entry["file"])
        img, info = utils.load_source(path)
        um = entry["micronsPerPixel"]
        resampled = preprocess.resample(img, um, args.model_um_per_px)
        name = os.path.splitext(os.path.basename(entry["file"].rstrip("/")))[0]
        if split == "negative":
            found = patches_for(resampled, args.train_patch_size, args.stride, 0, rules)
            negatives.append({"file": entry["file"], "role": entry["role"], "tissuePatchesFound": len(found)})
            print(f"negative {entry['file']}: {len(found)} tissue patches (want 0)")
            continue
        size = args.train_patch_size if split == "train" else args.val_patch_size
        stride = args.stride if split == "train" else args.val_stride
        kept = patches_for(resampled, size, stride, args.max_patches_per_source if split == "val" else 0, rules)
        image_file = os.path.join("images", name + ".png")
        Image.fromarray(resampled).save(os.path.join(args.output_dir, image_file))
        sources.append({**entry, "name": name, "image": image_file, "width": int(resampled.shape[1]),
                        "height": int(resampled.shape[0]), "padTo": size, "zStack": info, "patches": kept})
        print(f"{split:5s} {entry['file']}: {img.shape[1]}x{img.shape[0]} @ {um} um/px -> "
              f"{resampled.shape[1]}x{resampled.shape[0]}, {len(kept)} patches")
    manifest = {
        "modelMicronsPerPixel": args.model_um_per_px,
        "trainPatchSize": args.train_patch_size, "valPatchSize": args.val_patch_size,
        "tissueRules": rules, "sources": sources, "negatives": negatives,
        "split": {s: sorted(x["file"] for x in sources if x["split"] == s) for s in ("train", "val", "excluded")},
    }
    utils.save_json(manifest, os.path.join(args.output_dir, "manifest.json"))
    n = {s: sum(len(x["patches"]) for x in sources if x["split"] == s) for s in ("train", "val")}
    print(f"wrote {args.output_dir}/manifest.json: {n['train']} train / {n['val']} val patches; "
          f"negatives with tissue patches: {sum(1 for x in negatives if x['tissuePatchesFound'])}")
    return manifest


def get_args_parser():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description="Prepare in-focus patch sets at the model pixel size")
    p.add_argument("--sources", default=os.path.join(here, "sources.json"), help="source list (JSON)")
    p.add_argument("--data-dir", default=os.path.join(here, "..", "..", "shared", "data", "histology"),
                   help="folder the source paths are relative to")
    p.add_argument("--output-dir", default=os.path.join(here, "data"), help="where images/ and manifest.json go")
    p.add_argument("--model-um-per-px", default=contract.MICRONS_PER_PIXEL, type=float, help="model pixel size in um")
    p.add_argument("--train-patch-size", default=256, type=int, help="training patch window (px at model scale)")
    p.add_argument("--val-patch-size", default=contract.PATCH_SIZE, type=int,
                   help="validation patch size (the model input)")
    p.add_argument("--stride", default=128, type=int, help="grid stride for training patches")
    p.add_argument("--val-stride", default=160, type=int, help="grid stride for validation patches")
    p.add_argument("--max-patches-per-source", default=8, type=int, help="cap on validation patches per source")
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
