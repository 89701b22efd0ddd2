"""Graph-only variants of an exported focus model: what changing the ONNX graph, without retraining, buys on a CPU.

Writes (to artifacts/graph-variants by default; never to models/):
- <name>-div-folded.onnx: the input normalisation's division folded into the stem convolution's weights. Exact up
  to float rounding. The subtraction does not fold the same way: the stem zero-pads the *normalised* image, so
  moving the mean into the bias changes every output that touches the border.
- <name>-affine-normalisation.onnx: the normalisation's Sub and Div as one per-channel affine node
  (BatchNormalization with the mean and variance = std², i.e. (x − mean) / std; exact up to float rounding), which
  ONNX Runtime runs as one vectorised pass instead of two broadcasting ones.
- <name>-int8.onnx: static QDQ quantisation of every convolution and residual addition. Weights symmetric per output
  channel with 7 bits, not 8: without VNNI, ONNX Runtime's u8 x s8 kernels add pairs of products in 16 bits, which
  8-bit weights can overflow. Activations uint8, ranges calibrated on real patches blurred by the project's optics.
  ONNX Runtime fuses the pattern into QLinearConv / QLinearAdd.
- <name>-int8-pointwise.onnx: the same with only the 1x1 convolutions quantised (the bulk of the multiply-adds),
  their outputs quantised as well so that they fuse.
- graph-variants.json: each variant's largest difference from the float graph on the calibration patches.

The cost of each is measured by GraphVariantBenchmarks (benchmarks/; scripts/benchmark.sh builds these first);
results in docs/performance.md. Usage:

    /usr/bin/python3 training/graph_variants.py --model models/focus-model.onnx --output-dir artifacts/graph-variants
"""
import argparse
import copy
import os

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper

import contract
import defocus
import utils

WEIGHT_BITS = 7


def interpret(model, x, on_output=None):
    """Runs `model` on x [N, 3, H, W] with torch, for the operators our exported graphs use.

    on_output(name, tensor) sees every node output (calibration records activation ranges through it).
    """
    env = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    env[model.graph.input[0].name] = x
    for node in model.graph.node:
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        ins = [env[name] if name else None for name in node.input]
        op = node.op_type
        if op == "Sub":
            y = ins[0] - ins[1]
        elif op == "Div":
            y = ins[0] / ins[1]
        elif op == "Add":
            y = ins[0] + ins[1]
        elif op == "Relu":
            y = F.relu(ins[0])
        elif op == "Conv":
            pads = attrs.get("pads", [0, 0, 0, 0])
            if pads[0] != pads[2] or pads[1] != pads[3]:
                raise NotImplementedError(f"{node.name}: asymmetric padding")
            bias = ins[2] if len(ins) > 2 else None
            y = F.conv2d(ins[0], ins[1].float(), bias, attrs.get("strides", [1, 1]), (pads[0], pads[1]), 1,
                         attrs.get("group", 1))
        elif op == "ReduceMean":
            y = ins[0].mean(dim=attrs["axes"], keepdim=bool(attrs.get("keepdims", 1)))
        elif op == "Gemm":
            weight = ins[1].t() if attrs.get("transB", 0) else ins[1]
            y = ins[0] @ weight + (ins[2] if len(ins) > 2 else 0)
        elif op == "BatchNormalization":
            scale, bias, mean, var = (_per_axis(v, ins[0].ndim, {}) for v in ins[1:5])
            y = (ins[0] - mean) / torch.sqrt(var + attrs.get("epsilon", 1e-5)) * scale + bias
        elif op == "Softplus":
            y = F.softplus(ins[0])
        elif op == "QuantizeLinear":
            scale, zero = _per_axis(ins[1], ins[0].ndim, attrs), _per_axis(ins[2], ins[0].ndim, attrs)
            lo, hi = (0, 255) if zero.dtype == torch.uint8 else (-128, 127)
            y = torch.clamp(torch.round(ins[0] / scale) + zero.float(), lo, hi).to(zero.dtype)
        elif op == "DequantizeLinear":
            scale, zero = _per_axis(ins[1], ins[0].ndim, attrs), _per_axis(ins[2], ins[0].ndim, attrs)
            y = ((ins[0].double() - zero.double()) * scale.double()).float()
        else:
            raise NotImplementedError(f"{node.name}: operator {op} is not interpreted")
        env[node.output[0]] = y
        if on_output is not None:
            on_output(node.output[0], y)
    return env[model.graph.output[0].name]


def _per_axis(values, ndim, attrs):
    """A per-channel scale or zero point reshaped to broadcast along the node's axis (default 1)."""
    if values.ndim == 0:
        return values
    shape = [1] * ndim
    shape[attrs.get("axis", 1)] = -1
    return values.reshape(shape)


def _initializers(model):
    return {i.name: i for i in model.graph.initializer}


def fold_division(model):
    """Sub -> Div -> stem Conv becomes Sub -> Conv with the stem weights divided by the std (exact)."""
    folded = copy.deepcopy(model)
    nodes = list(folded.graph.node)
    sub, div = _normalisation(nodes)
    stem = nodes[2]
    inits = _initializers(folded)
    std = numpy_helper.to_array(inits[div.input[1]]).reshape(1, -1, 1, 1)
    weight = numpy_helper.to_array(inits[stem.input[1]]) / std
    inits[stem.input[1]].CopyFrom(numpy_helper.from_array(weight.astype(np.float32), stem.input[1]))
    stem.input[0] = sub.output[0]
    folded.graph.node.remove(div)
    folded.graph.initializer.remove(inits[div.input[1]])
    onnx.checker.check_model(folded)
    return folded


def affine_normalisation(model):
    """Sub -> Div becomes one BatchNormalization node computing (x - mean) / std per channel."""
    affine = copy.deepcopy(model)
    nodes = list(affine.graph.node)
    sub, div = _normalisation(nodes)
    inits = _initializers(affine)
    mean = numpy_helper.to_array(inits[sub.input[1]]).reshape(-1).astype(np.float32)
    std = numpy_helper.to_array(inits[div.input[1]]).reshape(-1).astype(np.float64)
    epsilon = 1e-5
    # sqrt(var + epsilon) must give back std: var = std² − epsilon (std ≈ 0.2 here, far above sqrt(epsilon))
    values = {"norm_scale": np.ones_like(mean), "norm_bias": np.zeros_like(mean), "norm_mean": mean,
              "norm_var": (std * std - epsilon).astype(np.float32)}
    affine.graph.initializer.extend(numpy_helper.from_array(v, k) for k, v in values.items())
    node = helper.make_node("BatchNormalization", [sub.input[0], *values], [div.output[0]],
                            name="/normalize/BatchNormalization", epsilon=epsilon)
    position = nodes.index(sub)
    for old in (sub, div):
        affine.graph.node.remove(old)
    affine.graph.node.insert(position, node)
    for name in (sub.input[1], div.input[1]):
        affine.graph.initializer.remove(inits[name])
    onnx.checker.check_model(affine)
    return affine


def _normalisation(nodes):
    """The graph's leading Sub and Div (the normalisation), checked to feed the stem convolution."""
    sub, div, stem = nodes[0], nodes[1], nodes[2]
    if (sub.op_type, div.op_type, stem.op_type) != ("Sub", "Div", "Conv") or div.input[0] != sub.output[0] \
            or stem.input[0] != div.output[0]:
        raise ValueError("expected the graph to start with the normalisation (Sub, Div) feeding the stem Conv")
    return sub, div


def calibrate(model, batches):
    """Range (min, max) of every node output over the batches, for the activation quantisers."""
    ranges = {model.graph.input[0].name: (0.0, 1.0)}

    def record(name, y):
        lo, hi = float(y.min()), float(y.max())
        old_lo, old_hi = ranges.get(name, (lo, hi))
        ranges[name] = (min(old_lo, lo), max(old_hi, hi))

    with torch.no_grad():
        for batch in batches:
            interpret(model, batch, record)
    return ranges


def _is_pointwise(node, inits):
    return node.op_type == "Conv" and tuple(inits[node.input[1]].dims[2:]) == (1, 1)


def quantize(model, ranges, pointwise_only=False, weight_bits=WEIGHT_BITS):
    """Static QDQ: uint8 Q/DQ on the activations each chosen Conv / Add reads, int8 per-channel weights, int32 bias."""
    quantized = copy.deepcopy(model)
    graph = quantized.graph
    inits = _initializers(quantized)
    chosen = [n for n in graph.node
              if (_is_pointwise(n, inits) if pointwise_only else n.op_type in ("Conv", "Add"))]
    activation_nodes = {}   # tensor name -> [Q, DQ], inserted right after its producer
    activation_scale = {}
    new_inits, weight_nodes = [], []

    def dequantized(name):
        if name not in activation_nodes:
            lo, hi = ranges[name]
            lo, hi = min(lo, 0.0), max(hi, 0.0)
            scale = max(hi - lo, 1e-8) / 255
            zero = int(np.clip(round(-lo / scale), 0, 255))
            new_inits.append(numpy_helper.from_array(np.array(scale, np.float32), name + "_scale"))
            new_inits.append(numpy_helper.from_array(np.array(zero, np.uint8), name + "_zero"))
            activation_nodes[name] = [
                helper.make_node("QuantizeLinear", [name, name + "_scale", name + "_zero"], [name + "_q"],
                                 name=name + "_Q"),
                helper.make_node("DequantizeLinear", [name + "_q", name + "_scale", name + "_zero"], [name + "_dq"],
                                 name=name + "_DQ")]
            activation_scale[name] = scale
        return name + "_dq"

    qmax = 2 ** (weight_bits - 1) - 1
    for node in chosen:
        originals = list(node.input[:1] if node.op_type == "Conv" else node.input[:2])
        for j, name in enumerate(originals):
            if name in ranges:   # a constant input (none in our graphs) stays float
                node.input[j] = dequantized(name)
        if node.op_type != "Conv":
            continue
        base = node.name.strip("/").replace("/", "_")
        weight = numpy_helper.to_array(inits[node.input[1]])
        bias = numpy_helper.to_array(inits[node.input[2]])
        weight_scale = np.maximum(np.abs(weight).reshape(weight.shape[0], -1).max(axis=1), 1e-8) / qmax
        weight_q = np.clip(np.round(weight / weight_scale[:, None, None, None]), -qmax, qmax).astype(np.int8)
        bias_scale = (weight_scale * activation_scale[originals[0]]).astype(np.float32)
        bias_q = np.round(bias / bias_scale).astype(np.int32)
        for suffix, array in (("_wq", weight_q), ("_ws", weight_scale.astype(np.float32)),
                              ("_wz", np.zeros(len(weight_scale), np.int8)), ("_bq", bias_q), ("_bs", bias_scale),
                              ("_bz", np.zeros(len(bias_scale), np.int32))):
            new_inits.append(numpy_helper.from_array(array, base + suffix))
        weight_nodes.append(helper.make_node("DequantizeLinear", [base + "_wq", base + "_ws", base + "_wz"],
                                             [base + "_w"], name=base + "_wDQ", axis=0))
        weight_nodes.append(helper.make_node("DequantizeLinear", [base + "_bq", base + "_bs", base + "_bz"],
                                             [base + "_b"], name=base + "_bDQ", axis=0))
        node.input[1], node.input[2] = base + "_w", base + "_b"

    if pointwise_only:
        # ONNX Runtime fuses DQ -> Conv -> Q into QLinearConv only when the output is quantised too; with every
        # Conv chosen the next one's input Q provides that, here the float depthwise convolutions in between do not.
        for node in chosen:
            output = node.output[0]
            consumers = [n for n in graph.node if output in n.input]
            dq = dequantized(output)
            for consumer in consumers:
                for j, name in enumerate(consumer.input):
                    if name == output:
                        consumer.input[j] = dq

    ordered = list(weight_nodes)
    for name in (i.name for i in graph.input):
        ordered += activation_nodes.get(name, [])
    for node in graph.node:
        ordered.append(node)
        for name in node.output:
            ordered += activation_nodes.get(name, [])
    del graph.node[:]
    graph.node.extend(ordered)
    used = {name for node in graph.node for name in node.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    onnx.checker.check_model(quantized)
    return quantized


def calibration_patches(image_path, count=8, size=contract.PATCH_SIZE, levels_um=(0.0, 1.0, 2.0, 4.0, 7.0), seed=0):
    """`count` patches of an image at the model's µm/px, each at every defocus level: [count * len(levels), 3, S, S].

    Each patch is blurred inside a larger crop of the image and cut out after, so its borders see real neighbours.
    """
    image = torch.from_numpy(np.array(utils.load_rgb(image_path))).permute(2, 0, 1).float() / 255
    margin = defocus.KERNEL_SIZE // 2
    outer = size + 2 * margin
    h, w = image.shape[1:]
    if h < outer or w < outer:
        raise ValueError(f"{image_path}: {w}x{h} is smaller than the {outer} px a blurred {size} px patch needs")
    generator = torch.Generator().manual_seed(seed)
    ys = torch.randint(0, h - outer + 1, (count,), generator=generator).tolist()
    xs = torch.randint(0, w - outer + 1, (count,), generator=generator).tolist()
    crops = torch.stack([image[:, y:y + outer, x:x + outer] for y, x in zip(ys, xs)])
    bank = defocus.PSFBank(z_max=max(levels_um) + 0.1, dz=0.05)
    blurred = [defocus.defocus_srgb(crops, torch.full((count,), float(z)), bank)[..., margin:-margin, margin:-margin]
               for z in levels_um]
    return torch.cat(blurred).clamp(0, 1)


def write_variants(model_path, output_dir, calibration_image, count=8):
    model = onnx.load(model_path)
    name = os.path.splitext(os.path.basename(model_path))[0]
    patches = calibration_patches(calibration_image, count=count)
    batches = torch.split(patches, 8)
    ranges = calibrate(model, batches)
    variants = {
        "div-folded": fold_division(model),
        "affine-normalisation": affine_normalisation(model),
        "int8": quantize(model, ranges),
        "int8-pointwise": quantize(model, ranges, pointwise_only=True),
    }
    os.makedirs(output_dir, exist_ok=True)
    with torch.no_grad():
        reference = torch.cat([interpret(model, b) for b in batches]).flatten()
    report = {"model": os.path.basename(model_path), "calibrationImage": os.path.basename(calibration_image),
              "calibrationPatches": len(patches), "variants": {}}
    for suffix, variant in variants.items():
        path = os.path.join(output_dir, f"{name}-{suffix}.onnx")
        onnx.save(variant, path)
        with torch.no_grad():
            outputs = torch.cat([interpret(variant, b) for b in batches]).flatten()
        difference = (outputs - reference).abs()
        report["variants"][suffix] = {"file": os.path.basename(path),
                                      "maxAbsDifferenceUm": round(float(difference.max()), 6),
                                      "meanAbsDifferenceUm": round(float(difference.mean()), 6)}
        print(f"{path}: max |difference| {float(difference.max()):.4f} um, mean {float(difference.mean()):.4f} um "
              f"on {len(patches)} calibration patches")
    utils.save_json(report, os.path.join(output_dir, "graph-variants.json"))
    return report


def get_args_parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/focus-model.onnx")
    parser.add_argument("--output-dir", default="artifacts/graph-variants")
    parser.add_argument("--calibration-image", default="../shared/data/histology/cmu1-small-region-he-skin.png",
                        help="an in-focus image at the model's µm/px; patches of it are blurred to several levels")
    parser.add_argument("--calibration-count", type=int, default=8, help="patches per defocus level")
    parser.add_argument("--threads", type=int, default=2)
    return parser


def main(args):
    torch.set_num_threads(args.threads)
    write_variants(args.model, args.output_dir, args.calibration_image, args.calibration_count)


if __name__ == "__main__":
    main(get_args_parser().parse_args())
