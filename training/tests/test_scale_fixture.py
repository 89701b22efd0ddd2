"""The scale-output fixture (training/make_scale_fixture.py): its graph, its card, and that the committed files are
what the script writes (the engine's tests run it through ONNX Runtime, which Python here does not have)."""
import json
import os

import onnx

import make_scale_fixture as fixture

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMMITTED = os.path.join(REPO, "models", "fixtures", "scale-output")


def run_script(tmp_path):
    fixture.main(fixture.get_args_parser().parse_args(["--output-dir", str(tmp_path)]))
    return tmp_path / "focus-model.onnx", tmp_path / "focus-model.json"


def test_fixture_graph_keeps_the_contract_and_adds_the_scale_output(tmp_path):
    onnx_path, _ = run_script(tmp_path)
    model = onnx.load(str(onnx_path))
    onnx.checker.check_model(model)
    assert [i.name for i in model.graph.input] == ["image"]
    outputs = {o.name: o for o in model.graph.output}
    assert list(outputs) == ["defocus_um", "defocus_scale_um"]
    dims = outputs["defocus_scale_um"].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["N", 1]
    shipped = onnx.load(os.path.join(REPO, "models", "previous", "focus-model-1.1.0", "focus-model.onnx"))
    # 1.1.0's graph is untouched: same nodes first, same weights.
    assert [n.op_type for n in model.graph.node[:len(shipped.graph.node)]] == [n.op_type for n in shipped.graph.node]
    assert {t.name for t in shipped.graph.initializer} <= {t.name for t in model.graph.initializer}


def test_fixture_card_names_the_scale_output_and_its_own_version(tmp_path):
    _, card_path = run_script(tmp_path)
    card = json.loads(card_path.read_text(encoding="utf-8"))
    assert card["scaleOutputName"] == "defocus_scale_um"
    assert card["uncertainty"]["distribution"] == "laplace"
    assert card["uncertainty"]["intervalLevel"] == 0.8
    assert card["version"] == "1.1.0-scale-fixture"
    assert card["inputName"] == "image" and card["outputName"] == "defocus_um"
    assert "sha256" not in card


def test_committed_fixture_is_what_the_script_writes(tmp_path):
    onnx_path, card_path = run_script(tmp_path)
    assert onnx_path.read_bytes() == open(os.path.join(COMMITTED, "focus-model.onnx"), "rb").read()
    assert card_path.read_bytes() == open(os.path.join(COMMITTED, "focus-model.json"), "rb").read()
