"""Write the engine's test fixture for issue 25's optional scale output (no training, no new weights).

    /usr/bin/python3 training/make_scale_fixture.py            # writes models/fixtures/scale-output/

Takes focusnet 1.1.0's graph (models/previous/focus-model-1.1.0/focus-model.onnx, the point-only model shipped
before 1.2.0) as it is and adds the second output of the uncertainty contract
(docs/scoring.md, "Indeterminate"): `defocus_scale_um` float32 [N, 1], the Laplace scale b (um), here computed from
the input itself rather than learnt:

    s = mean over R, G, B of the per-channel pixel standard deviation of the patch (input scaled to 0..1)
    b = B0 + B1 * exp(-s / S0)

so b is large on flat patches (a stain wash, glass: nothing to read defocus from) and small on structured ones. The
constants are picked so that a flat eosin / haematoxylin / grey tile with sensor noise and JPEG straddles the 2 um
threshold while real sharp tissue and its 4 px blur are judged clearly. The shipped model reads such flat tiles at
about 10.7 um and their spread s at 0.004-0.008 (sensor noise of 2-4 grey levels), so b must exceed (10.7 - 2) / ln 5
= 5.4 um there: b = 0.15 + 8 exp(-s / 0.04) gives 6.7-7.5 um (interval 0-21 um, undecided), and 0.30 um on the
shared sharp H&E tile (s = 0.16, read 0.3-0.6 um: in), 0.5 um on its 4 px blur (s = 0.12, read about 4 um: out). Not a model of anything: it only lets the
engine's tests run the whole Indeterminate path through ONNX Runtime. The card beside it is the shipped card with
scaleOutputName, uncertainty and its own version string. Output is byte-for-byte reproducible.
"""
import argparse
import copy
import json
import os

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

SCALE_OUTPUT = "defocus_scale_um"
VERSION = "1.1.0-scale-fixture"
B0, B1, S0 = 0.15, 8.0, 0.04
INTERVAL_LEVEL = 0.8


def add_scale_output(model, input_name="image", output_name=SCALE_OUTPUT, b0=B0, b1=B1, s0=S0):
    """A copy of `model` with `output_name` = b0 + b1 * exp(-s / s0), s the mean per-channel std of `input_name`."""
    out = copy.deepcopy(model)
    g = out.graph
    p = "scale_fixture_"

    def const(name, value):
        g.initializer.append(helper.make_tensor(p + name, TensorProto.FLOAT, [], [value]))
        return p + name

    b0_name, b1_name, s0_name = const("b0", b0), const("b1", b1), const("s0", s0)
    nodes = [
        # Per-channel mean and variance over the patch: [N, 3, 1, 1].
        helper.make_node("ReduceMean", [input_name], [p + "mean"], axes=[2, 3], keepdims=1),
        helper.make_node("Sub", [input_name, p + "mean"], [p + "centred"]),
        helper.make_node("Mul", [p + "centred", p + "centred"], [p + "squared"]),
        helper.make_node("ReduceMean", [p + "squared"], [p + "variance"], axes=[2, 3], keepdims=1),
        helper.make_node("Sqrt", [p + "variance"], [p + "std"]),
        # Mean over the channels, flattened to [N, 1].
        helper.make_node("ReduceMean", [p + "std"], [p + "structure"], axes=[1, 2, 3], keepdims=0),
        helper.make_node("Unsqueeze", [p + "structure", p + "axis1"], [p + "s"]),
        helper.make_node("Div", [p + "s", s0_name], [p + "ratio"]),
        helper.make_node("Neg", [p + "ratio"], [p + "negative"]),
        helper.make_node("Exp", [p + "negative"], [p + "flatness"]),
        helper.make_node("Mul", [p + "flatness", b1_name], [p + "spread"]),
        helper.make_node("Add", [p + "spread", b0_name], [output_name]),
    ]
    g.initializer.append(helper.make_tensor(p + "axis1", TensorProto.INT64, [1], [1]))
    g.node.extend(nodes)
    g.output.append(helper.make_tensor_value_info(output_name, TensorProto.FLOAT, ["N", 1]))
    onnx.checker.check_model(out)
    return out


def fixture_card(card, onnx_file):
    """1.1.0's card as the fixture's card: the contract's new fields, its own version, no claims of 1.1.0's."""
    card = dict(card)
    card["version"] = VERSION
    card["status"] = ("test fixture, not a model: 1.1.0's point-only graph plus a scale output computed from the input's "
                      "pixel spread (training/make_scale_fixture.py)")
    card["scaleOutputName"] = SCALE_OUTPUT
    card["uncertainty"] = {
        "distribution": "laplace",
        "intervalLevel": INTERVAL_LEVEL,
        "calibration": {"method": "none (fixture)",
                        "formula": f"b = {B0} + {B1} * exp(-s / {S0}), s = mean per-channel pixel std of the 0..1 input"},
    }
    card["outputs"] = {
        "defocus_um": card.get("output"),
        SCALE_OUTPUT: {"shape": ["N", 1], "dtype": "float32", "unit": "um",
                       "meaning": "Laplace scale b of |z| (fixture: from pixel spread, not learnt)"},
    }
    for key in ("sha256", "fileBytes", "onnxFile", "goalsMet", "previousVersion", "fiveDrawComparison", "stainShiftComparisons"):
        card.pop(key, None)
    card["onnxFile"] = onnx_file
    return card


def main(args):
    model = onnx.load(args.model)
    fixture = add_scale_output(model)
    os.makedirs(args.output_dir, exist_ok=True)
    onnx_path = os.path.join(args.output_dir, "focus-model.onnx")
    onnx.save(fixture, onnx_path)
    with open(args.card, encoding="utf-8") as f:
        card = json.load(f)
    card_path = os.path.join(args.output_dir, "focus-model.json")
    with open(card_path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(fixture_card(card, "focus-model.onnx"), f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes) and {card_path}")


def get_args_parser():
    p = argparse.ArgumentParser(description="Write the scale-output test fixture (shipped graph + defocus_scale_um)")
    p.add_argument("--model", default=os.path.join(REPO, "models", "previous", "focus-model-1.1.0", "focus-model.onnx"))
    p.add_argument("--card", default=os.path.join(REPO, "models", "previous", "focus-model-1.1.0", "focus-model.json"))
    p.add_argument("--output-dir", default=os.path.join(REPO, "models", "fixtures", "scale-output"))
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
