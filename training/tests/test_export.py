import hashlib
import json
import os

import numpy as np
import onnx
import pytest
import torch
from PIL import Image

import export
import models
import utils

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(REPO, "models")


def onnx_dims(value):
    return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]


def test_focusnet_export_checker_and_parity_fixture_round_trip(tmp_path):
    torch.manual_seed(0)
    model = models.get_model("focusnet").eval()
    path = str(tmp_path / "m.onnx")
    export.export_onnx(model, path)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    assert onnx_dims(m.graph.input[0])[1:] == [3, 320, 320] and isinstance(onnx_dims(m.graph.input[0])[0], str)
    expected = export.write_parity_fixture(model, str(tmp_path / "fx"), path)
    x = np.stack([np.asarray(Image.open(tmp_path / "fx" / f).convert("RGB")) for f in expected["inputs"]])
    assert x.shape == (3, 320, 320, 3)
    with torch.no_grad():
        y = model(torch.from_numpy(x).permute(0, 3, 1, 2).float() / 255)[:, 0].numpy()
    assert np.allclose(y, expected["defocusUm"], atol=1e-5)
    assert (y >= 0).all()


def test_inception_exports_at_320_with_dynamic_batch(tmp_path):
    out = tmp_path / "inception.onnx"
    args = export.get_args_parser().parse_args(["--arch", "inception_v3", "--random-init", "--output", str(out)])
    export.main(args)
    m = onnx.load(str(out))
    assert m.graph.input[0].name == "image" and m.graph.output[0].name == "defocus_um"
    assert onnx_dims(m.graph.input[0])[1:] == [3, 320, 320] and isinstance(onnx_dims(m.graph.input[0])[0], str)


def test_model_is_cheap_and_output_non_negative():
    model = models.get_model("focusnet").eval()
    assert utils.count_macs(model, 320) <= 40e6
    assert utils.count_parameters(model) * 4 <= 5e6
    with torch.no_grad():
        assert (model(torch.rand(2, 3, 320, 320)) >= 0).all()


@pytest.mark.skipif(not os.path.exists(os.path.join(MODELS, "focus-model.json")), reason="no shipped model yet")
def test_shipped_model_card_matches_onnx_and_declares_contract():
    card = json.load(open(os.path.join(MODELS, "focus-model.json")))
    onnx_path = os.path.join(MODELS, "focus-model.onnx")
    assert card["sha256"] == hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    assert os.path.getsize(onnx_path) <= 5e6
    assert card["micronsPerPixel"] == 0.5 and card["patchSize"] == 320
    assert card["inputName"] == "image" and card["outputName"] == "defocus_um"
    for key in ("name", "version", "optics", "trainingData", "validation", "architecture", "macsPerPatch", "parameters"):
        assert key in card, key
    assert card["optics"]["na"] == 0.8 and card["optics"]["wavelengthsMicrons"] == [0.61, 0.54, 0.46]
    m = export.check_onnx(onnx_path)
    assert m.graph.input[0].name == card["inputName"]
    fixture = json.load(open(os.path.join(MODELS, "fixtures", "model-parity", "expected.json")))
    assert fixture["modelSha256"] == card["sha256"]
    ckpt_path = os.path.join(MODELS, "focus-model.pth")
    if os.path.exists(ckpt_path):      # the fixture's outputs are the shipped weights' outputs
        ckpt = torch.load(ckpt_path, map_location="cpu")
        model = models.get_model(ckpt["args"]["arch"])
        model.load_state_dict(ckpt["model"])
        x = np.stack([np.asarray(Image.open(os.path.join(MODELS, "fixtures", "model-parity", f)).convert("RGB"))
                      for f in fixture["inputs"]])
        with torch.no_grad():
            y = model.eval()(torch.from_numpy(x).permute(0, 3, 1, 2).float() / 255)[:, 0].numpy()
        assert np.allclose(y, fixture["defocusUm"], atol=1e-4)


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0"])
def test_previous_model_onnx_is_its_checkpoint_exported_and_its_card_matches(tmp_path, version):
    """focusnet 1.0.0 (shipped until the fifteenth check, docs/model-history.md) and 1.1.0 (until 1.2.0 added the
    scale output) are kept whole so that any host can roll back with --model / Scoring__ModelPath and the earlier
    comparisons can be rerun against them."""
    previous = os.path.join(MODELS, "previous", f"focus-model-{version}")
    card = json.load(open(os.path.join(previous, "focus-model.json")))
    onnx_path = os.path.join(previous, "focus-model.onnx")
    assert card["sha256"] == hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    assert card["micronsPerPixel"] == 0.5 and card["patchSize"] == 320 and card["version"] == version
    assert card["inputName"] == "image" and card["outputName"] == "defocus_um" and "scaleOutputName" not in card
    args = export.get_args_parser().parse_args(
        ["--checkpoint", os.path.join(previous, "focus-model.pth"), "--output", str(tmp_path / "re.onnx")])
    export.main(args)
    assert export.sha256(str(tmp_path / "re.onnx")) == card["sha256"]


def test_in_out_goal_is_judged_without_the_samples_exactly_on_the_line():
    """On the held-out set's mix (levels 0..10 plus five continuous z per patch) a model that is right to within
    0.05 um and unbiased still scores ~0.94 when the samples exactly on 2 um count, since it reads them on either
    side by chance; the goal is judged on the rest (docs/model.md, results)."""
    import utils
    rng = np.random.default_rng(0)
    true = np.concatenate([np.tile(np.arange(11.0), 2000), rng.uniform(0, 10, 10000)])
    pred = np.abs(true + rng.normal(0, 0.05, true.shape))
    report = {"inOutBalancedAccuracyAt2um": utils.in_out_balanced_accuracy(pred, true),
              "inOutBalancedAccuracyAt2umExcludingLevel2": utils.in_out_balanced_accuracy(pred, true, margin=1e-6)}
    assert report["inOutBalancedAccuracyAt2um"] < 0.95 < 0.99 < report["inOutBalancedAccuracyAt2umExcludingLevel2"]
    good = {"r2": 0.999, "slope": 1.0, "intercept": 0.0, "mae0to4": 0.05, "within05um0to4": 1.0, **report}
    assert all(export.goals_met(good).values())
    poor = {**good, "inOutBalancedAccuracyAt2umExcludingLevel2": 0.97}
    assert not export.goals_met(poor)["inOutBalancedAccuracyAt2um"]


def test_focusnet_v2_folds_its_normalisation_into_the_stem_exactly(tmp_path):
    torch.manual_seed(1)
    model = models.get_model("focusnet_v2")
    for m in model.modules():        # non-trivial BatchNorm statistics, as after training
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    model.eval()
    x = torch.rand(2, 3, 320, 320)
    with torch.no_grad():
        before = model(x)
        model.fold_normalization()
        after = model(x)
    assert torch.allclose(before, after, atol=1e-5)
    assert isinstance(model.normalize, torch.nn.Identity)
    assert utils.count_macs(model, 320) <= 12e6 and utils.count_parameters(model) * 4 <= 5e6
    path = str(tmp_path / "v2.onnx")
    export.export_onnx(model, path)
    graph = onnx.load(path).graph
    producer = {o: n for n in graph.node for o in n.output}
    stem = next(n for n in graph.node if n.op_type == "Conv")
    tensor = stem.input[0]
    while tensor in producer:       # only the window layout (Reshape / Transpose) between the input and the stem
        node = producer[tensor]
        assert node.op_type in ("Reshape", "Transpose"), node.op_type
        tensor = node.input[0]
    assert tensor == "image"


def test_focusnet_v2_scores_a_320_patch_as_the_trimmed_mean_of_its_four_160_px_windows():
    torch.manual_seed(2)
    model = models.get_model("focusnet_v2").eval()
    x = torch.rand(2, 3, 320, 320)
    with torch.no_grad():
        quadrants = torch.cat([model(x[..., a:a + 160, b:b + 160]) for a in (0, 160) for b in (0, 160)], dim=1)
        middle_two = quadrants.sort(dim=1).values[:, 1:3].mean(dim=1, keepdim=True)
        assert torch.allclose(model(x), middle_two, atol=1e-5)
        assert model(x[..., :224, :224]).shape == (2, 1)      # not a multiple of the window: one pass
    assert utils.count_macs(model, 320) == 4 * utils.count_macs(model, 160)


def test_trimmed_mean_ignores_one_outlying_window_and_two_windows_are_averaged():
    four = torch.tensor([[10.4, 0.02, 0.05, 0.04], [3.0, 3.0, 3.0, 3.0]])
    assert torch.allclose(models.trimmed_mean(four), torch.tensor([[0.045], [3.0]]))
    nine = torch.arange(9.0).reshape(1, 9)
    assert torch.allclose(models.trimmed_mean(nine), torch.tensor([[4.0]]))
    two_windows = torch.rand(1, 3, 160, 320)          # fewer than three windows: their plain mean
    model = models.get_model("focusnet_v2").eval()
    with torch.no_grad():
        halves = torch.cat([model(two_windows[..., :160]), model(two_windows[..., 160:])], dim=1)
        assert torch.allclose(model(two_windows), halves.mean(dim=1, keepdim=True), atol=1e-5)


def test_focusnet_v2_whole_scores_a_320_patch_in_one_pass_at_no_more_cost():
    torch.manual_seed(3)
    model = models.get_model("focusnet_v2_whole").eval()
    x = torch.rand(2, 3, 320, 320)
    with torch.no_grad():
        assert torch.allclose(model(x), model.score(x))
    assert utils.count_macs(model, 320) <= utils.count_macs(models.get_model("focusnet_v2"), 320)   # no window seams
