"""Cuts square tiles, as a scanner uploads them, from larger images: windows of SIZE px every STRIDE px that lie
wholly inside the image (an image smaller than SIZE on a side gives none), named <image>_x<column>_y<row> in steps of
STRIDE, so that focus maps and reports place them on their grid. Used to feed gpu-check real tiles.
    python3 scripts/cut-tiles.py SRC_DIR OUT_DIR [--size 1024] [--stride 512]
"""
import argparse
import pathlib

from PIL import Image


def cut(source: pathlib.Path, out: pathlib.Path, size: int, stride: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(source.iterdir()):
        if path.suffix.lower() not in {".png", ".jpg", ".jpeg", ".tif", ".tiff"}:
            continue
        with Image.open(path) as image:
            rgb = image.convert("RGB")
        for y in range(0, rgb.height - size + 1, stride):
            for x in range(0, rgb.width - size + 1, stride):
                rgb.crop((x, y, x + size, y + size)).save(out / f"{path.stem}_x{x // stride}_y{y // stride}.png")
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=pathlib.Path)
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--stride", type=int, default=512)
    args = parser.parse_args()
    print(f"cut-tiles: {cut(args.source, args.out, args.size, args.stride)} tiles of {args.size} px in {args.out}")


if __name__ == "__main__":
    main()
