"""The model contract the engine serves under, read from the shipped model card (models/focus-model.json), so the
training tools and the engine take the pixel size and patch size from one place. The tissue gates mirror the
engine's ScoringOptions defaults; the tissue-parity fixture (tissue.py) holds both sides to them.
"""
import json
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CARD_PATH = os.path.join(REPO, "models", "focus-model.json")


def read_card(path=CARD_PATH):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


_CARD = read_card()

MICRONS_PER_PIXEL = float(_CARD["micronsPerPixel"])
PATCH_SIZE = int(_CARD["patchSize"])
INPUT_NAME = _CARD["inputName"]
OUTPUT_NAME = _CARD["outputName"]
# The optional second output (focusnet_laplace): the calibrated Laplace scale of the defocus estimate, um
SCALE_OUTPUT_NAME = _CARD.get("scaleOutputName", "defocus_scale_um")

# ScoringOptions.MinPatchTissueFraction / MinTileTissueFraction: a patch is scored when at least this share of its
# pixels is tissue; a tile with less tissue than the second share is NoTissue.
MIN_PATCH_TISSUE_FRACTION = 0.5
MIN_TILE_TISSUE_FRACTION = 0.02
