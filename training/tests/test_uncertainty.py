"""Issue 25 on the training side: specimens that are not one thin plane, the scale head, its calibration and the
verdict rule the engine applies (docs/scoring.md), and the two-output export."""
import math
import os

import numpy as np
import onnx
import pytest
import torch

import defocus
import export
import models
import specimens
import train
import uncertainty
from test_train import run

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED_1_1 = os.path.join(REPO, "models", "previous", "focus-model-1.1.0", "focus-model.pth")
if not os.path.exists(SHIPPED_1_1):      # before 1.2.0 shipped, 1.1.0 was models/focus-model.pth
    SHIPPED_1_1 = os.path.join(REPO, "models", "focus-model.pth")


@pytest.fixture(scope="module")
def bank():
    return defocus.PSFBank(z_max=11.0, dz=0.25)


def textured_od(n=2, size=120, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, 3, size, size, generator=g) * 1.5


def test_weighted_rms_is_the_plane_distance_for_one_layer_and_the_slab_rms_for_a_centred_section():
    assert torch.allclose(specimens.weighted_rms(torch.tensor([[3.0, 3.0]]), torch.tensor([[1.0, 5.0]])), torch.tensor([3.0]))
    # a 6 um section centred on the focal plane, four equal layers at +-0.75 and +-2.25 um: 1.68 um, not 0
    depths = torch.tensor([[2.25, 0.75, 0.75, 2.25]])
    assert math.isclose(float(specimens.weighted_rms(depths, torch.ones(1, 4))), math.sqrt((2.25 ** 2 + 0.75 ** 2) / 2), rel_tol=1e-6)


def test_plane_specimen_is_the_old_simulator_and_keeps_its_label(bank):
    od = textured_od()
    z = torch.tensor([0.0, 4.0])
    spec = specimens.Specimens()
    light = torch.tensor([0.9, 1.05]).view(2, 1, 1, 1)
    lin, labels, kinds = spec.render(od, light, z, bank, torch.Generator().manual_seed(1), kinds=torch.zeros(2, dtype=torch.long))
    assert torch.allclose(lin, defocus.defocus_linear(torch.exp(-od), z, bank) * light)
    assert torch.equal(labels, z)


@pytest.mark.parametrize("kind", ["thick", "fold", "tilt"])
def test_non_planar_labels_lie_between_the_nearest_and_farthest_material_and_grow_with_distance(kind, bank):
    od = textured_od(n=8)
    index = specimens.KINDS.index(kind)
    spec = specimens.Specimens(out_size=100)
    near, far = torch.zeros(8), torch.full((8,), 6.0)
    _, at_focus, _ = spec.render(od, torch.ones(8, 1, 1, 1), near, bank, torch.Generator().manual_seed(2), torch.full((8,), index))
    _, away, _ = spec.render(od, torch.ones(8, 1, 1, 1), far, bank, torch.Generator().manual_seed(2), torch.full((8,), index))
    assert (at_focus > 0).all(), "material off the focal plane makes even a centred specimen soft"
    assert (at_focus <= 6.0).all()          # no layer is farther than half the thickest section / fold / tilt span
    assert (away > at_focus).all()


def test_thick_section_multiplies_layer_transmittances_so_it_is_darker_and_hazier_than_its_plane(bank):
    od = textured_od(n=4)
    spec = specimens.Specimens(out_size=100)
    ones = torch.ones(4, 1, 1, 1)
    plane, _, _ = spec.render(od, ones, torch.zeros(4), bank, torch.Generator().manual_seed(3), torch.zeros(4, dtype=torch.long))
    thick, _, _ = spec.render(od, ones, torch.zeros(4), bank, torch.Generator().manual_seed(3), torch.full((4,), 1))
    inner = (slice(None), slice(None), slice(40, 80), slice(40, 80))
    contrast = lambda x: x[inner].std(dim=(2, 3)).mean()
    assert contrast(thick) < contrast(plane)


def test_flat_specimen_has_no_structure_and_smooth_little(bank):
    od = textured_od(n=3)
    spec = specimens.Specimens()
    ones = torch.ones(3, 1, 1, 1)
    flat, labels, _ = spec.render(od, ones, torch.tensor([0.0, 5.0, 10.0]), bank, torch.Generator().manual_seed(4),
                                  torch.full((3,), specimens.KINDS.index("flat")))
    assert torch.equal(labels, torch.tensor([0.0, 5.0, 10.0]))
    # nothing but sensor noise: white (neighbours uncorrelated), so 8x8 block means barely vary
    noise = flat - flat.mean(dim=(2, 3), keepdim=True)
    assert 1e-4 < float(noise.std()) < 0.08
    neighbours = float((noise[..., 1:] * noise[..., :-1]).mean() / noise.pow(2).mean())
    assert abs(neighbours) < 0.05
    assert float(torch.nn.functional.avg_pool2d(noise, 8).std()) < 0.2 * float(noise.std())
    smooth, _, _ = spec.render(od, ones, torch.zeros(3), bank, torch.Generator().manual_seed(4),
                               torch.full((3,), specimens.KINDS.index("smooth")))
    sharp = torch.exp(-od)
    assert float(smooth[..., 30:90, 30:90].std()) < 0.2 * float(sharp[..., 30:90, 30:90].std())


def test_laplace_net_starts_from_1_1_0_with_the_same_point_estimate_and_a_positive_scale():
    ckpt = torch.load(SHIPPED_1_1, map_location="cpu")
    point = models.get_model("focusnet")
    point.load_state_dict(ckpt["model"])
    laplace = models.get_model("focusnet_laplace")
    missing = models.load_point_weights(laplace, ckpt["model"])
    assert missing and all(k.startswith("scale_head.") for k in missing)
    assert not laplace.head[0].weight[:, -1].any()       # the structure input starts with no say in the estimate
    x = torch.rand(2, 3, 320, 320)
    with torch.no_grad():
        mu, b = laplace.eval().distribution(x)
        assert torch.allclose(mu, point.eval()(x)) and torch.allclose(laplace(x), mu)
    assert (b >= models.FocusNetLaplace.SCALE_FLOOR_UM).all()
    assert utils_macs(laplace) <= 1.01 * utils_macs(point)


def utils_macs(model):
    import utils
    return utils.count_macs(model, 320)


def test_laplace_nll_is_lowest_at_the_mean_absolute_error():
    errors = torch.tensor([0.1, -0.3, 0.2, 0.6])
    scales = torch.linspace(0.05, 1.0, 400)
    nll = torch.stack([train.laplace_nll(errors, torch.zeros(4), torch.full((4,), s)) for s in scales])
    assert abs(float(scales[nll.argmin()]) - float(errors.abs().mean())) < 0.01


def test_focusnet_laplace_two_steps_with_specimens(tiny_data, tmp_path):
    _, hist = run(tiny_data, tmp_path / "u", "focusnet_laplace", 96, ["--specimens", "0.3", "0.1", "0.2", "0.1", "0.1"])
    assert np.isfinite(hist[0]["loss"])
    ckpt = torch.load(tmp_path / "u" / "checkpoint.pth", map_location="cpu")
    assert any(k.startswith("scale_head.") for k in ckpt["model"])


def test_calibration_makes_the_nominal_interval_cover_its_level_and_coverage_counts_per_band():
    rng = np.random.default_rng(0)
    y = rng.uniform(0, 10, 20000)
    b = rng.uniform(0.1, 0.5, 20000)
    mu = y + rng.laplace(0, 2 * b)           # the raw scale is half the true one
    c = uncertainty.calibrate(mu, b, y, 0.8)
    assert abs(c - 2.0) < 0.1
    cov = uncertainty.coverage(mu, b * c, y, 0.8)
    assert abs(cov["overall"] - 0.8) < 0.01
    assert all(abs(v - 0.8) < 0.03 for v in cov["perBand"].values()), cov
    assert uncertainty.coverage(mu, b, y, 0.8)["overall"] < 0.6


@pytest.mark.parametrize("judgements,verdict", [
    ([1], "OutOfFocus"), ([-1], "InFocus"), ([0], "Indeterminate"),
    ([1, 1, 0, -1], "OutOfFocus"),            # half the patches judged out, more out than in
    ([1, -1, 0, 0], "Indeterminate"),         # a quarter each way: not enough evidence
    ([1, 1, -1, -1], "Indeterminate"),        # half each way: a tie is not a verdict
    ([-1, -1, -1, 1, 0], "InFocus"),
    ([0, 0, 0, 1, 1], "Indeterminate"),       # two of five judged out: below half
])
def test_tile_rule(judgements, verdict):
    assert uncertainty.tile_verdict(np.array(judgements)) == verdict


def test_patch_judgements_use_the_clipped_laplace_interval():
    k = math.log(5)
    mu = np.array([3.0, 1.0, 2.0, 0.1])
    scale = np.array([0.5, 0.5, 0.1, 1.0])
    # 3 - 0.80 > 2: out; 1 + 0.80 <= 2: in; 2 +- 0.16 straddles 2; 0.1 + 1.61 <= 2: in (low clipped at 0)
    assert uncertainty.patch_judgements(mu, scale, 0.8, 2.0).tolist() == [1, -1, 0, -1]
    assert math.isclose(uncertainty.half_width_per_scale(0.8), k)


def test_no_information_patches_are_flat_stain_colours_with_noise_and_jpeg():
    x, names = uncertainty.no_information_patches(per_colour=4, size=64)
    assert x.shape == (4 * len(uncertainty.STAIN_COLOURS), 3, 64, 64) and x.dtype == torch.uint8
    assert any("jpeg" in n for n in names) and any("noise 0.03" in n for n in names)
    assert float(x.float().std(dim=(2, 3)).max()) < 20       # no structure beyond noise and shading


def test_two_output_export_names_both_outputs_and_its_fixture_holds_the_calibrated_scale(tmp_path):
    torch.manual_seed(0)
    model = models.get_model("focusnet_laplace").eval()
    wrapped = models.TwoOutputs(model, 1.7).eval()
    path = str(tmp_path / "u.onnx")
    export.export_onnx(wrapped, path)
    m = onnx.load(path)
    assert [o.name for o in m.graph.output] == ["defocus_um", "defocus_scale_um"]
    expected = export.write_parity_fixture(wrapped, str(tmp_path / "fx"), path)
    x = torch.from_numpy(np.stack([np.asarray(__import__("PIL.Image", fromlist=["Image"]).open(tmp_path / "fx" / f).convert("RGB"))
                                   for f in expected["inputs"]])).permute(0, 3, 1, 2).float() / 255
    with torch.no_grad():
        mu, b = model.distribution(x)
    assert np.allclose(expected["defocusUm"], mu[:, 0].numpy(), atol=1e-5)
    assert np.allclose(expected["defocusScaleUm"], 1.7 * b[:, 0].numpy(), atol=1e-5)


def test_band_calibration_in_the_model_matches_the_numpy_rule_and_exports():
    torch.manual_seed(1)
    model = models.get_model("focusnet_laplace").eval()
    factors, edges = [0.3, 0.5, 0.4, 0.2, 0.25], [0.0, 2.0, 4.0, 6.0, 8.0]
    wrapped = models.TwoOutputs(model, factors, edges).eval()
    mu = torch.tensor([[0.0], [1.99], [2.0], [5.0], [7.9], [8.0], [10.5]])
    b = torch.ones_like(mu)

    class Fixed(torch.nn.Module):
        def distribution_and_structure(self, x):
            return mu, b, torch.zeros_like(mu)        # log contrast 0: structured
    wrapped.model = Fixed()
    with torch.no_grad():
        _, scaled = wrapped(torch.zeros(7, 3, 4, 4))
    expected = uncertainty.band_factors(mu[:, 0].numpy(), factors, edges)
    assert np.allclose(scaled[:, 0].numpy(), expected) and expected.tolist() == [0.3, 0.3, 0.5, 0.4, 0.2, 0.25, 0.25]
    rng = np.random.default_rng(3)
    y = rng.uniform(0, 10, 6000)
    raw = np.full(6000, 1.0)
    pred = y + rng.laplace(0, 0.05 + 0.04 * y)          # a spread the raw scale (constant) does not follow
    per_band = uncertainty.calibrate_per_band(pred, raw, y, 0.8)
    assert per_band[0] < per_band[-1]
    single = uncertainty.coverage(pred, raw * uncertainty.calibrate(pred, raw, y, 0.8), y, 0.8)["perBand"]
    assert not all(abs(v - 0.8) < 0.05 for v in single.values()), single
    banded = uncertainty.coverage(pred, raw * uncertainty.band_factors(pred, per_band), y, 0.8)["perBand"]
    assert all(abs(v - 0.8) < 0.05 for v in banded.values()), banded
    path = str(tmp_path_for_export())
    export.export_onnx(models.TwoOutputs(model, factors, edges).eval(), path)
    assert [o.name for o in onnx.load(path).graph.output] == ["defocus_um", "defocus_scale_um"]


def test_structure_poor_patches_get_the_prior_in_the_model_the_numpy_rule_and_the_onnx_graph(tmp_path):
    torch.manual_seed(2)
    factors, edges, prior = [0.5, 0.7, 0.9, 1.1, 1.3], [0.0, 2.0, 4.0, 6.0, 8.0], (5.5, 2.7)
    model = models.get_model("focusnet_laplace").eval()
    wrapped = models.TwoOutputs(model, factors, edges, prior).eval()
    size = 64
    flat = torch.full((2, 3, size, size), 0.7)
    dark = torch.full((1, 3, size, size), 0.35)
    checker = ((torch.arange(size).view(-1, 1) // 8 + torch.arange(size).view(1, -1) // 8) % 2).float()
    structured = (0.3 + 0.5 * checker).view(1, 1, size, size).expand(2, 3, size, size)
    x = torch.cat([flat, dark, structured])
    with torch.no_grad():
        mu, b, structure = model.distribution_and_structure(x)
        out_mu, out_scale = wrapped(x)
    contrast = structure[:, 0].exp() - models.StructureContrast.FLOOR
    assert (contrast[:3] < models.StructureContrast.POOR_BELOW).all() and (contrast[3:] > 0.1).all()
    assert np.allclose(out_mu[:3, 0].numpy(), prior[0]) and np.allclose(out_scale[:3, 0].numpy(), prior[1])
    assert np.allclose(out_mu[3:], mu[3:])
    assert np.allclose(out_scale[3:, 0].numpy(), b[3:, 0].numpy() * uncertainty.band_factors(mu[3:, 0].numpy(), factors, edges), atol=1e-6)
    cal = {"scaleFactors": factors, "bandEdgesUm": edges, "structurePoor": {"defocusUm": prior[0], "scaleUm": prior[1]}}
    np_mu, np_scale = uncertainty.calibrated(mu[:, 0].numpy(), b[:, 0].numpy(), structure[:, 0].numpy(), cal)
    assert np.allclose(np_mu, out_mu[:, 0].numpy(), atol=1e-6) and np.allclose(np_scale, out_scale[:, 0].numpy(), atol=1e-6)
    path = str(tmp_path / "gated.onnx")
    export.export_onnx(wrapped, path)
    graph = onnx.load(path).graph
    assert [o.name for o in graph.output] == ["defocus_um", "defocus_scale_um"]
    assert [o.type.tensor_type.shape.dim[1].dim_value for o in graph.output] == [1, 1]   # [N, 1], as the contract says
    assert "Less" in {n.op_type for n in graph.node}       # the gate is inside the graph (the engine runs it as is)


def test_structure_poor_prior_covers_its_level_of_uniform_labels_and_sits_at_their_median():
    y = np.random.default_rng(4).uniform(0, 11, 20000)
    centre, scale = uncertainty.structure_poor_prior(y, 0.8)
    k = uncertainty.half_width_per_scale(0.8)
    assert abs(centre - 5.5) < 0.1 and abs(np.mean(np.abs(y - centre) <= k * scale) - 0.8) < 0.01
    assert centre - k * scale < 2.0            # so a tile of such patches is never OutOfFocus at the 2 um default


def test_flat_colour_patches_hold_no_structure_and_span_pale_to_dark():
    x, z = specimens.flat_colour_patches(24, torch.Generator().manual_seed(0), 320)     # the model's patch: the
    assert x.shape == (24, 3, 320, 320) and x.dtype == torch.uint8 and z.shape == (24,)   # shading is ~28 um wide
    assert float(z.min()) >= 0 and float(z.max()) <= 11
    grey = x.float().mean(dim=(1, 2, 3))
    assert float(grey.min()) < 120 and float(grey.max()) > 220
    contrast = models.StructureContrast()(x.float() / 255)[:, 0].exp() - models.StructureContrast.FLOOR
    assert float(contrast.max()) < models.StructureContrast.POOR_BELOW


def tmp_path_for_export():
    import tempfile
    return os.path.join(tempfile.mkdtemp(), "banded.onnx")


def test_heads_teacher_target_keeps_the_point_estimate_except_on_tissue_without_information():
    import argparse
    import heads
    torch.manual_seed(2)
    model = models.get_model("focusnet_laplace").eval()
    feats = torch.rand(6, 193)
    labels = torch.tensor([0.0, 3.0, 6.0, 9.0, 1.0, 10.0])
    kinds = torch.tensor([specimens.KINDS.index(k) for k in ("plane", "thick", "fold", "tilt", "flat", "smooth")])
    with torch.no_grad():
        own = torch.nn.functional.softplus(model.head(feats))[:, 0]
    target = heads.point_targets(model, feats, labels, kinds, argparse.Namespace(point_target="teacher", label_kinds=["flat"]))
    # smooth tissue keeps the teacher too: low-passed stain in focus looks like defocused tissue, and its label
    # pulled the point estimate of defocused planes (R^2 0.996 -> 0.991); only its scale learns the label
    assert torch.allclose(target[[0, 1, 2, 3, 5]], own[[0, 1, 2, 3, 5]]) and target[4] == labels[4]
    both = heads.point_targets(model, feats, labels, kinds, argparse.Namespace(point_target="teacher", label_kinds=["flat", "smooth"]))
    assert torch.equal(both[4:], labels[4:])
    assert torch.equal(heads.point_targets(model, feats, labels, kinds, argparse.Namespace(point_target="label")), labels)


def test_a_narrower_scale_head_is_left_at_its_initial_values_and_the_rest_loads():
    model = models.get_model("focusnet_laplace")
    old = models.FocusNetLaplace(scale_hidden=(32,))
    with torch.no_grad():
        for p in old.parameters():
            p.add_(0.5)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    fresh = models.load_point_weights(model, old.state_dict())
    assert fresh and all(k.startswith("scale_head.") for k in fresh)
    state = model.state_dict()
    assert all(torch.equal(state[k], before[k]) for k in fresh)
    assert all(torch.equal(state[k], v) for k, v in old.state_dict().items() if not k.startswith("scale_head."))


def test_scale_loss_weighs_each_sample_by_its_kind():
    import heads
    y, mu, b = torch.tensor([1.0, 5.0]), torch.tensor([1.0, 1.0]), torch.tensor([0.5, 0.5])
    first = train.laplace_nll(y[:1], mu[:1], b[:1])
    assert torch.isclose(heads.weighted_laplace_nll(y, mu, b, torch.tensor([1.0, 0.0])), first)
    assert torch.isclose(heads.weighted_laplace_nll(y, mu, b, torch.tensor([2.0, 2.0])), train.laplace_nll(y, mu, b))


def stain_texture(n, size=320, seed=0):
    """Nuclei-like dark blobs on pink: a stand-in for structured tissue, in linear light."""
    g = torch.Generator().manual_seed(seed)
    od = torch.nn.functional.avg_pool2d((torch.rand(n, 1, size, size, generator=g) > 0.985).float(), 9, 1, 4) * 40
    return torch.exp(-(0.15 + od) * torch.tensor([0.6, 1.0, 0.5]).view(1, 3, 1, 1)).clamp(0, 1)


def test_structure_contrast_separates_no_information_tiles_from_tissue_blurred_by_ten_microns(bank):
    probe = models.StructureContrast()
    flat, names = uncertainty.no_information_patches(per_colour=8)
    flat_contrast = probe(flat.float() / 255)[:, 0]
    tissue = stain_texture(4)
    blurred = defocus.defocus_srgb(tissue, torch.full((4,), 10.0), bank)
    assert float(flat_contrast.max()) < math.log(0.008), names[int(flat_contrast.argmax())]
    assert float(probe(tissue)[:, 0].min()) > math.log(0.03)
    assert float(probe(blurred)[:, 0].min()) > math.log(0.015)
    # brightness and smooth shading change nothing: contrast is relative, shading is taken out
    ramp = torch.linspace(0.8, 1.0, 320).view(1, 1, 1, 320).expand(1, 3, 320, 320) * 0.9
    assert float(probe(ramp)) < math.log(0.004)      # a 20 % ramp: only the edge cells, padded flat, see it
    assert torch.allclose(probe(0.5 * tissue), probe(tissue), atol=1e-4)


def test_structure_contrast_cells_are_the_grey_means_of_eight_pixel_cells():
    # the cells are one convolution (cheap in ONNX Runtime); they must stay the channel-mean grey of each 8 x 8 cell
    x = torch.rand(2, 3, 320, 320, generator=torch.Generator().manual_seed(3))
    probe = models.StructureContrast()
    cells = torch.nn.functional.conv2d(x, probe.cell_kernel, stride=probe.CELL_PX)
    expected = torch.nn.functional.avg_pool2d(x.mean(dim=1, keepdim=True), probe.CELL_PX)
    assert cells.shape == (2, 1, 40, 40)
    assert torch.allclose(cells, expected, atol=1e-6)
    assert "cell_kernel" not in probe.state_dict()      # nothing for a checkpoint to carry
