import json
import os

import numpy as np
import onnx
import pytest
import torch
from PIL import Image

import evaluate
import graph_variants
from conftest import REPO

# The variants are of 1.1.0's point-only graph (what scripts/benchmark.sh measures); 1.2.0 adds a second output.
POINT_ONLY = os.path.join(REPO, "models", "previous", "focus-model-1.1.0")
SHIPPED = os.path.join(POINT_ONLY, "focus-model.onnx")
PARITY = os.path.join(REPO, "models", "fixtures", "model-parity")


@pytest.fixture(scope="module")
def shipped():
    return onnx.load(SHIPPED)


@pytest.fixture(scope="module")
def parity():
    """The committed parity patches and 1.1.0's PyTorch outputs for them."""
    expected = json.load(open(os.path.join(PARITY, "expected.json")))
    patches = [np.asarray(Image.open(os.path.join(PARITY, name)).convert("RGB")) for name in expected["inputs"]]
    x = torch.from_numpy(np.stack(patches)).permute(0, 3, 1, 2).float() / 255
    model, _ = evaluate.load_model(os.path.join(POINT_ONLY, "focus-model.pth"))
    with torch.no_grad():
        return x, model.eval()(x).flatten()


def test_interpreter_reproduces_pytorch_on_the_parity_fixture(shipped, parity):
    x, expected = parity
    with torch.no_grad():
        got = graph_variants.interpret(shipped, x).flatten()
    assert torch.allclose(got, expected, atol=1e-3)


def test_division_folds_into_the_stem_exactly(shipped, parity):
    x, _ = parity
    folded = graph_variants.fold_division(shipped)
    assert [n.op_type for n in folded.graph.node].count("Div") == 0
    assert len(folded.graph.node) == len(shipped.graph.node) - 1
    with torch.no_grad():
        before = graph_variants.interpret(shipped, x)
        after = graph_variants.interpret(folded, x)
    assert (after - before).abs().max() < 1e-4


def test_affine_normalisation_is_one_node_and_exact(shipped, parity):
    x, _ = parity
    affine = graph_variants.affine_normalisation(shipped)
    ops = [n.op_type for n in affine.graph.node]
    assert ops[0] == "BatchNormalization" and "Sub" not in ops and "Div" not in ops
    assert len(ops) == len(shipped.graph.node) - 1
    original, replaced = {}, {}
    with torch.no_grad():
        before = graph_variants.interpret(shipped, x, original.__setitem__)
        after = graph_variants.interpret(affine, x, replaced.__setitem__)
    # the normalised image the stem reads is the same, not only the final output
    normalised = shipped.graph.node[1].output[0]
    assert (replaced[normalised] - original[normalised]).abs().max() < 1e-5
    assert (after - before).abs().max() < 1e-4


def test_folding_refuses_a_graph_without_the_normalisation(shipped):
    broken = onnx.load(SHIPPED)
    broken.graph.node[1].op_type = "Mul"
    with pytest.raises(ValueError, match="normalisation"):
        graph_variants.fold_division(broken)


def _producers(model):
    return {out: node for node in model.graph.node for out in node.output}


def test_int8_graph_reads_every_convolution_and_addition_through_dequantisation(shipped, parity):
    x, _ = parity
    ranges = graph_variants.calibrate(shipped, [x])
    quantized = graph_variants.quantize(shipped, ranges)
    producers = _producers(quantized)
    inits = {i.name: i for i in quantized.graph.initializer}
    convs = [n for n in quantized.graph.node if n.op_type == "Conv"]
    adds = [n for n in quantized.graph.node if n.op_type == "Add"]
    assert len(convs) == 17 and len(adds) == 4
    for node in convs:
        for name in node.input[:3]:
            assert producers[name].op_type == "DequantizeLinear", (node.name, name)
        weight_q = inits[producers[node.input[1]].input[0]]
        assert weight_q.data_type == onnx.TensorProto.INT8
        # 7-bit weights (the largest of each channel at ±63), so AVX2's 16-bit pair sums cannot overflow
        assert np.abs(onnx.numpy_helper.to_array(weight_q)).max() == 63
    for node in adds:
        assert all(producers[name].op_type == "DequantizeLinear" for name in node.input)
    with torch.no_grad():
        before = graph_variants.interpret(shipped, x).flatten()
        after = graph_variants.interpret(quantized, x).flatten()
    # Quantisation noise, not a broken graph: the three patches (0, 2.6 and 6.8 µm) keep their readings closely.
    assert (after - before).abs().max() < 0.5


def test_pointwise_variant_quantises_only_1x1_convolutions_and_their_outputs(shipped, parity):
    x, _ = parity
    quantized = graph_variants.quantize(shipped, graph_variants.calibrate(shipped, [x]), pointwise_only=True)
    producers = _producers(quantized)
    inits = {i.name: i for i in quantized.graph.initializer}
    consumers = {}
    for node in quantized.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    for node in (n for n in quantized.graph.node if n.op_type == "Conv"):
        kernel = tuple(onnx.numpy_helper.to_array(inits[producers[node.input[1]].input[0]]).shape[2:]) \
            if node.input[1] in producers else tuple(inits[node.input[1]].dims[2:])
        if kernel == (1, 1):
            assert producers[node.input[0]].op_type == "DequantizeLinear"
            # the output goes only to its quantiser, so that ONNX Runtime can fuse the whole into QLinearConv
            assert [c.op_type for c in consumers[node.output[0]]] == ["QuantizeLinear"]
        else:
            assert node.input[0] not in producers or producers[node.input[0]].op_type != "DequantizeLinear"
            assert node.input[1] in inits   # float weights


def test_calibration_patches_blur_real_tissue_more_at_larger_defocus(shared_dir):
    image = os.path.join(shared_dir, "cmu1-small-region-he-skin.png")
    levels = (0.0, 2.0, 7.0)
    patches = graph_variants.calibration_patches(image, count=2, size=96, levels_um=levels)
    assert patches.shape == (2 * len(levels), 3, 96, 96)
    assert 0.0 <= float(patches.min()) and float(patches.max()) <= 1.0
    # high-frequency energy (differences of neighbours) falls with defocus, for the same crops
    detail = [float((p[..., 1:] - p[..., :-1]).abs().mean()) for p in patches.split(2)]
    assert detail[0] > detail[1] > detail[2]
