import numpy as np
import pytest
import torch

import compare


class ReadsTheGreyLevel(torch.nn.Module):
    """A stand-in model: the true z is written into the red channel as z * 20 / 255; it reads that back, plus
    `offset` um on samples whose green channel is set (one "source")."""

    def __init__(self, offset):
        super().__init__()
        self.offset = offset

    def forward(self, xb):
        z = xb[:, 0].mean(dim=(1, 2)) * 255 / 20
        return (z + self.offset * xb[:, 1].mean(dim=(1, 2))).unsqueeze(1)


def draw(noise):
    """Two sources at levels 0..10, the red channel encoding z + noise, the green channel marking source "ihc"."""
    z = torch.tensor([float(v) for v in range(11)] * 2)
    x = torch.zeros(22, 3, 4, 4, dtype=torch.uint8)
    x[:, 0] = torch.round((z + torch.tensor(noise)) * 20).clamp(0, 255).to(torch.uint8)[:, None, None]
    x[11:, 1] = 255
    return x, z, ["he"] * 11 + ["ihc"] * 11


def test_paired_difference_over_draws_isolates_a_steady_offset_on_one_source():
    rng = np.random.default_rng(0)
    models = {"shipped": ReadsTheGreyLevel(0.0), "candidate": ReadsTheGreyLevel(0.25)}
    draws = [compare.score_draw(models, *draw(rng.choice([-0.05, 0.05], 22).tolist())) for _ in range(3)]
    assert set(draws[0]) == {"shipped", "candidate"}
    assert set(draws[0]["shipped"]) == set(compare.RULE_METRICS) | {"perSourceMae", "perSourceInOut", "perLevelBias"}
    summary = compare.summarise(draws, "shipped")
    assert "perSourceMaeMinusBaseline" not in summary["shipped"]
    diff = summary["candidate"]["perSourceMaeMinusBaseline"]
    assert diff["he"]["mean"] == pytest.approx(0.0, abs=1e-6)             # same reading where no offset
    assert diff["ihc"]["mean"] == pytest.approx(0.20, abs=0.03)            # 0.25 offset minus the 0.05 noise
    assert len(diff["ihc"]["values"]) == 3
    assert summary["shipped"]["perSourceMae"]["he"]["mean"] == pytest.approx(0.05, abs=0.005)  # less at 0 um, clamped
    assert summary["shipped"]["r2"]["mean"] > summary["candidate"]["r2"]["mean"]


def test_per_source_in_out_counts_the_verdicts_an_offset_flips():
    models = {"shipped": ReadsTheGreyLevel(0.0), "candidate": ReadsTheGreyLevel(1.2)}
    summary = compare.summarise([compare.score_draw(models, *draw([0.0] * 22))], "shipped")
    assert summary["shipped"]["perSourceInOut"]["ihc"]["mean"] == 1.0
    assert summary["candidate"]["perSourceInOut"]["he"]["mean"] == 1.0              # the offset is on "ihc" only
    assert summary["candidate"]["perSourceInOut"]["ihc"]["mean"] == pytest.approx(0.75)   # 1 um reads 2.2: "out"


def test_stats_of_one_draw_has_no_spread():
    assert compare.stats([0.2]) == {"mean": 0.2, "std": 0.0, "values": [0.2]}


def test_per_level_bias_is_the_mean_signed_error_at_each_level():
    models = {"shipped": ReadsTheGreyLevel(0.0), "candidate": ReadsTheGreyLevel(1.2)}
    summary = compare.summarise([compare.score_draw(models, *draw([0.0] * 22))], "shipped")
    shipped, candidate = summary["shipped"]["perLevelBias"], summary["candidate"]["perLevelBias"]
    assert len(candidate) == 11
    for level in candidate:
        assert shipped[level]["mean"] == pytest.approx(0.0, abs=1e-6)
        assert candidate[level]["mean"] == pytest.approx(0.6, abs=1e-5)      # +1.2 um on half the samples


def test_held_out_patches_cannot_be_larger_than_the_prepared_windows(tmp_path):
    import evaluate
    (tmp_path / "manifest.json").write_text('{"valPatchSize": 320, "sources": []}')
    with pytest.raises(ValueError, match="320 px"):
        evaluate.held_out_set(str(tmp_path), size=384)


def test_held_out_patches_at_a_smaller_size_are_the_same_samples_cut_smaller(tiny_data):
    import evaluate
    full_x, full_z, full_src = evaluate.held_out_set(str(tiny_data), seed=3, size=96)
    small_x, small_z, small_src = evaluate.held_out_set(str(tiny_data), seed=3, size=64)
    assert full_x.shape[1:] == (3, 96, 96) and small_x.shape == (len(full_x), 3, 64, 64)
    assert torch.equal(small_z, full_z) and small_src == full_src          # same levels, same sources
    # the in-focus samples (z = 0, before the nuisances) come from the window's top-left corner
    sharp = (full_z == 0).nonzero()[:, 0]
    diff = (small_x[sharp].float() - full_x[sharp, :, :64, :64].float()).abs().mean()
    other = (small_x[sharp].float() - full_x[sharp, :, 32:, 32:].float()).abs().mean()
    assert diff < other / 4          # only the nuisances differ (sensor noise, JPEG), not the tissue


def test_a_stain_shifted_draw_keeps_every_sample_but_changes_its_colour(tiny_data):
    import evaluate
    plain_x, plain_z, plain_src = evaluate.held_out_set(str(tiny_data), seed=3, size=64)
    again_x, _, _ = evaluate.held_out_set(str(tiny_data), seed=3, size=64, stain_shift="none")
    assert torch.equal(again_x, plain_x)                                   # "none" is the plain draw, bit for bit
    for shift in ("restain", "pas"):
        x, z, src = evaluate.held_out_set(str(tiny_data), seed=3, size=64, stain_shift=shift)
        assert torch.equal(z, plain_z) and src == plain_src                # same levels, same sources
        mean_colour = x.float().mean(dim=(0, 2, 3)) - plain_x.float().mean(dim=(0, 2, 3))
        assert mean_colour.abs().max() > 1.0, shift                        # every sample re-stained


def test_compare_records_the_stain_shift_it_drew(tiny_data, tmp_path):
    import models
    net = models.get_model("focusnet").eval()
    path = tmp_path / "net.pth"
    torch.save({"model": net.state_dict(), "args": {"arch": "focusnet"}}, path)
    args = compare.get_args_parser().parse_args(
        ["--checkpoints", str(path), "--seeds", "3", "--data-dir", str(tiny_data), "--patch-size", "64",
         "--stain-shift", "pas", "--output-json", str(tmp_path / "out.json")])
    out = compare.main(args)
    assert out["stainShift"] == "pas" and out["patchSize"] == 64
    with pytest.raises(SystemExit):
        compare.get_args_parser().parse_args(["--checkpoints", "a", "--output-json", "b", "--stain-shift", "x"])
