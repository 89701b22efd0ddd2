import pytest
import torch

import evaluate
import models
import soup


def trained_like(seed):
    """A focusnet with random weights and non-trivial BatchNorm statistics (a stand-in for a trained checkpoint)."""
    torch.manual_seed(seed)
    model = models.get_model("focusnet")
    model.train()
    with torch.no_grad():
        model(torch.rand(4, 3, 64, 64))          # moves running means/vars and the step counters
    return model.eval()


def test_weighted_mean_of_every_float_tensor_and_counters_from_the_first():
    a, b = trained_like(0).state_dict(), trained_like(1).state_dict()
    b = {k: (v + 7 if not v.is_floating_point() else v) for k, v in b.items()}   # counters that differ
    out = soup.interpolate([a, b], [0.25, 0.75])
    assert set(out) == set(a)
    floats = [k for k, v in a.items() if v.is_floating_point()]
    assert any("running_var" in k for k in floats)
    for k in floats:
        assert torch.allclose(out[k], 0.25 * a[k] + 0.75 * b[k], atol=1e-6), k
        assert out[k].dtype == a[k].dtype
    for k in set(a) - set(floats):
        assert torch.equal(out[k], a[k]), k


def test_a_weight_of_one_reproduces_that_checkpoint_exactly():
    a, b = trained_like(0).state_dict(), trained_like(1).state_dict()
    out = soup.interpolate([a, b], [1.0, 0.0])
    assert all(torch.equal(out[k], a[k]) for k in a)


@pytest.mark.parametrize("weights", [[0.6, 0.6], [1.5, -0.5], [1.0]])
def test_rejects_weights_that_are_not_a_convex_combination(weights):
    a, b = trained_like(0).state_dict(), trained_like(1).state_dict()
    with pytest.raises(ValueError):
        soup.interpolate([a, b], weights)


def test_rejects_checkpoints_of_different_architectures():
    a = trained_like(0).state_dict()
    b = models.get_model("focusnet_v2").state_dict()
    with pytest.raises(ValueError, match="not the same architecture|shape"):
        soup.interpolate([a, b], [0.5, 0.5])


def test_cli_writes_a_checkpoint_that_the_evaluation_tools_load(tmp_path):
    model = trained_like(0)
    path = tmp_path / "a.pth"
    torch.save({"model": model.state_dict(), "args": {"arch": "focusnet", "seed": 3}}, path)
    out = tmp_path / "soup" / "checkpoint.pth"
    soup.main(soup.get_args_parser().parse_args(
        ["--checkpoints", str(path), str(path), "--weights", "0.5", "0.5", "--output", str(out)]))
    loaded, ckpt = evaluate.load_model(str(out))
    assert ckpt["soup"] == {"checkpoints": [str(path), str(path)], "weights": [0.5, 0.5]}
    assert ckpt["args"]["seed"] == 3
    x = torch.rand(2, 3, 96, 96)
    with torch.no_grad():
        assert torch.allclose(loaded(x), model(x), atol=1e-5)   # a model averaged with itself is itself
