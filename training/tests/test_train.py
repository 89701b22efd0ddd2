import json
import os

import numpy as np
import pytest
import torch

import train


def run(tiny_data, out, arch, crop, extra=()):
    args = train.get_args_parser().parse_args(
        ["--data-dir", str(tiny_data), "--output-dir", str(out), "--arch", arch, "--device", "cpu", "--threads", "1",
         "--epochs", "1", "--steps-per-epoch", "2", "--batch-size", "2", "--crop-size", str(crop), "--val-size", "96",
         "--psf-dz", "0.5", "--warmup-steps", "0", "--print-freq", "1"] + list(extra))
    return args, train.main(args)


def test_focusnet_two_steps_checkpoint_resume_and_reproducible(tiny_data, tmp_path):
    args, hist = run(tiny_data, tmp_path / "a", "focusnet", 64)
    ckpt = torch.load(tmp_path / "a" / "checkpoint.pth", map_location="cpu")
    assert set(ckpt) >= {"model", "optimizer", "scheduler", "epoch", "args"}
    assert ckpt["epoch"] == 0 and ckpt["args"]["arch"] == "focusnet" and hist[0]["loss"] == hist[0]["loss"]
    _, hist_b = run(tiny_data, tmp_path / "b", "focusnet", 64)
    ckpt_b = torch.load(tmp_path / "b" / "checkpoint.pth", map_location="cpu")
    for k in ckpt["model"]:
        assert torch.equal(ckpt["model"][k], ckpt_b["model"][k]), k   # same seed, same weights
    _, hist_r = run(tiny_data, tmp_path / "a", "focusnet", 64,
                    ["--resume", str(tmp_path / "a" / "checkpoint.pth"), "--epochs", "2"])
    assert [h["epoch"] for h in hist_r] == [1]
    report = run(tiny_data, tmp_path / "a", "focusnet", 64,
                 ["--resume", str(tmp_path / "a" / "checkpoint.pth"), "--test-only"])[1]
    assert report["n"] == 16 and np.isfinite(report["mae"])


def test_inception_two_steps(tiny_data, tmp_path):
    _, hist = run(tiny_data, tmp_path / "inc", "inception_v3", 80)
    assert np.isfinite(hist[0]["loss"])
    assert os.path.exists(tmp_path / "inc" / "checkpoint.pth")
    assert not os.path.exists(tmp_path / "inc" / "model_best.pth")      # no epoch picked on the held-out set


def test_ema_ships_the_average_and_resumes_from_the_raw_weights(tiny_data, tmp_path):
    run(tiny_data, tmp_path / "ema", "focusnet", 64, ["--ema-decay", "0.5"])
    ckpt = torch.load(tmp_path / "ema" / "checkpoint.pth", map_location="cpu")
    assert "model_raw" in ckpt
    moved = [k for k in ckpt["model"] if ckpt["model"][k].dtype.is_floating_point
             and not torch.equal(ckpt["model"][k], ckpt["model_raw"][k])]
    assert moved, "the averaged weights should lag the optimised ones"
    _, hist = run(tiny_data, tmp_path / "ema", "focusnet", 64,
                  ["--ema-decay", "0.5", "--resume", str(tmp_path / "ema" / "checkpoint.pth"), "--epochs", "2"])
    assert [h["epoch"] for h in hist] == [1]


def test_focusnet_v2_trains_from_a_replay_pool(tiny_data, tmp_path):
    _, hist = run(tiny_data, tmp_path / "v2", "focusnet_v2", 64, ["--replay-pool", "6", "--replay-refresh", "2"])
    assert np.isfinite(hist[0]["loss"])
    ckpt = torch.load(tmp_path / "v2" / "checkpoint.pth", map_location="cpu")
    assert ckpt["args"]["arch"] == "focusnet_v2"


def test_replay_pool_refreshes_slots_and_serves_8_bit_batches(tiny_data):
    import defocus
    import presets
    manifest = json.load(open(tiny_data / "manifest.json"))
    bank = defocus.PSFBank(z_max=11.0, dz=0.5, size=31)
    sampler = presets.PatchSampler(manifest, str(tiny_data), "train", 48, 23, torch.device("cpu"))
    batches = presets.TrainingBatches(sampler, presets.SyntheticDefocus(bank, 48), pool_size=8, refresh=3)
    gen = torch.Generator().manual_seed(0)
    x, z = batches.next(5, gen)
    assert x.shape == (5, 3, 48, 48) and z.shape == (5,)
    assert torch.equal(torch.round(x * 255) / 255, x) and 0 <= float(x.min()) and float(x.max()) <= 1
    before = batches.pool_x.clone()
    batches.next(5, gen)
    changed = int((batches.pool_x != before).flatten(1).any(dim=1).sum())
    assert 1 <= changed <= 3          # exactly `refresh` slots are redrawn (a redraw can, rarely, look the same)


def test_init_weights_starts_a_new_run_from_a_checkpoint(tiny_data, tmp_path):
    run(tiny_data, tmp_path / "base", "focusnet_v2", 64)
    base = torch.load(tmp_path / "base" / "checkpoint.pth", map_location="cpu")
    # --lr 0: the new run only loads and re-saves, so its weights are exactly the starting checkpoint's
    _, hist = run(tiny_data, tmp_path / "ft", "focusnet_v2", 64,
                  ["--init-weights", str(tmp_path / "base" / "checkpoint.pth"), "--lr", "0", "--weight-decay", "0"])
    ft = torch.load(tmp_path / "ft" / "checkpoint.pth", map_location="cpu")
    assert [h["epoch"] for h in hist] == [0]           # a fresh schedule, not a resumed one
    for k, v in base["model"].items():
        if v.dtype.is_floating_point and "running" not in k:   # BatchNorm statistics still update in train mode
            assert torch.equal(v, ft["model"][k]), k


def test_init_weights_and_resume_cannot_be_combined(capsys):
    with pytest.raises(SystemExit):
        train.get_args_parser().parse_args(["--init-weights", "a.pth", "--resume", "b.pth"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_stain_density_and_restain_jitter_change_the_specimen():
    import defocus
    import presets
    bank = defocus.PSFBank(z_max=2.0, dz=0.5, size=31)
    crops = torch.rand(4, 3, 48 + 30, 48 + 30, generator=torch.Generator().manual_seed(3)) * 0.6 + 0.2
    z = torch.tensor([0.0, 1.0, 1.5, 2.0])

    def draw(**kw):
        synth = presets.SyntheticDefocus(bank, 48, p_jpeg=0.0, **kw)
        return synth(crops, z, torch.Generator().manual_seed(0))

    assert not torch.equal(draw(), draw(density_jitter=0.3))
    assert not torch.equal(draw(), draw(stain_jitter=0.4))
    assert not torch.equal(draw(), draw(restain=1.0))
    assert not torch.equal(draw(), draw(sparse=1.0))
    assert not torch.equal(draw(), draw(pas=1.0))


def test_sparse_thins_tissue_to_glass_in_part_of_the_crop_and_leaves_the_rest():
    import presets
    od = torch.full((64, 3, 80, 80), 0.8)
    thinned = presets.SyntheticDefocus(None, 80, sparse=1.0)._thin(od, torch.Generator().manual_seed(4))
    glass = (thinned < 0.05).float().mean(dim=(1, 2, 3))        # per crop: share faded to (nearly) clear glass
    tissue = (thinned > 0.75).float().mean(dim=(1, 2, 3))       # and share that kept its stain
    assert (glass > 0.02).all() and (tissue > 0.02).all()          # every crop keeps both
    assert 0.3 < glass.mean() < 0.7
    assert (thinned <= od + 1e-6).all() and (thinned >= 0).all()   # stain only ever removed
    kept = presets.SyntheticDefocus(None, 80, sparse=0.0)._thin(od, torch.Generator().manual_seed(4))
    assert torch.equal(kept, od)


def test_restain_unmixes_and_remixes_exactly_when_no_change_is_drawn():
    import presets
    od = torch.rand(5, 3, 16, 16, generator=torch.Generator().manual_seed(4)) * 2
    unchanged = presets.SyntheticDefocus(None, 16, restain=0.0)._restain(od, torch.Generator().manual_seed(0))
    assert torch.allclose(unchanged, od, atol=1e-5)


def test_restain_only_lowers_eosin_keeps_haematoxylin_and_adds_dab():
    import presets
    stains = torch.tensor(presets._STAIN_OD)
    stains = stains / stains.norm(dim=1, keepdim=True)

    def restained_amounts(h, e, seed):   # 400 draws of one pixel, unmixed back into H, E, DAB amounts
        od = (h * stains[0] + e * stains[1]).view(1, 3, 1, 1).repeat(400, 1, 1, 1)
        out = presets.SyntheticDefocus(None, 1, restain=1.0)._restain(od, torch.Generator().manual_seed(seed))
        return out.view(400, 3) @ torch.linalg.inv(stains)

    eosin = restained_amounts(0.0, 0.8, 1)
    assert eosin[:, 1].max() <= 0.8 + 1e-5 and eosin[:, 1].min() < 0.05     # only ever less eosin, down to ~none
    assert eosin[:, 2].min() > -1e-5 and eosin[:, 2].max() > 0.3            # some of it turned into brown DAB
    assert eosin[:, 0].abs().max() < 1e-5                                   # and none into haematoxylin
    nucleus = restained_amounts(1.0, 0.0, 2)
    assert nucleus[:, 0].min() > 0.7 * 0.2 - 1e-5 and nucleus[:, 0].max() <= 1.3 + 1e-5
    assert nucleus[:, 1].abs().max() < 1e-5


def test_crops_larger_than_the_prepared_windows_are_centred_on_them_and_stay_inside(tiny_data):
    import presets
    manifest = json.load(open(tiny_data / "manifest.json"))
    gen = torch.Generator().manual_seed(0)
    margin = 5
    same = presets.PatchSampler(manifest, str(tiny_data), "train", 48, margin, torch.device("cpu"))
    large = presets.PatchSampler(manifest, str(tiny_data), "train", 128, margin, torch.device("cpu"))
    for k, y, x, size in large.windows:
        assert size == 96
        cy, cx = large.crop_origin(k, y, x, size, gen)
        _, hp, wp = large.images[k].shape
        assert 0 <= cy <= hp - (128 + 2 * margin) and 0 <= cx <= wp - (128 + 2 * margin)
        assert large.crop_origin(k, 20, 30, 96, gen) == (4, 14)      # room on every side: window in the middle
    crops, z = large.sample(6, gen)
    assert crops.shape == (6, 3, 128 + 2 * margin, 128 + 2 * margin) and z.shape == (6,)
    # the images are the same pixels whichever crop size: no extra padding when the crop fits the image
    assert all(torch.equal(a, b) for a, b in zip(same.images, large.images))
    # a crop larger than the image: the image is mirrored out to the crop size and the window moves with it
    huge = presets.PatchSampler(manifest, str(tiny_data), "train", 200, margin, torch.device("cpu"))
    assert all(img.shape[1] >= 200 + 2 * margin and img.shape[2] >= 200 + 2 * margin for img in huge.images)
    for (k, y, x, _), (_, y0, x0, _) in zip(huge.windows, same.windows):
        h0 = same.images[k].shape[1] - 2 * margin
        assert y - y0 == (200 - h0) // 2 if h0 < 200 else y == y0
        ky, kx = y + margin, x + margin          # window's first pixel, in both padded images
        assert torch.equal(huge.images[k][:, ky, kx], same.images[k][:, y0 + margin, x0 + margin])
    assert huge.sample(3, gen)[0].shape == (3, 3, 200 + 2 * margin, 200 + 2 * margin)


def test_crop_jitter_moves_a_large_crop_but_keeps_the_whole_window_inside_it(tiny_data):
    import presets
    manifest = json.load(open(tiny_data / "manifest.json"))
    gen = torch.Generator().manual_seed(0)
    margin, crop = 5, 128
    large = presets.PatchSampler(manifest, str(tiny_data), "train", crop, margin, torch.device("cpu"),
                                 jitter_large=True)
    k, _, _, size = large.windows[0]
    _, hp, wp = large.images[k].shape
    s = crop + 2 * margin
    # a window with just enough room: the crop's first pixel ranges over every position that still covers it
    assert hp - s == wp - s == crop - size == 32
    origins = {large.crop_origin(k, 32, 32, size, gen) for _ in range(20000)}
    assert origins == {(y, x) for y in range(0, 33) for x in range(0, 33)}
    for (k, y, x, size) in large.windows:      # the real windows: always inside the image
        for _ in range(50):
            cy, cx = large.crop_origin(k, y, x, size, gen)
            assert 0 <= cy <= hp - s and 0 <= cx <= wp - s
    # a crop that fits the window ignores the option: the same draws as without it
    a = presets.PatchSampler(manifest, str(tiny_data), "train", 48, margin, torch.device("cpu"), jitter_large=True)
    b = presets.PatchSampler(manifest, str(tiny_data), "train", 48, margin, torch.device("cpu"))
    assert torch.equal(a.sample(4, torch.Generator().manual_seed(3))[0], b.sample(4, torch.Generator().manual_seed(3))[0])


def test_max_epochs_caps_the_schedule_sized_to_the_time_budget(tiny_data, tmp_path):
    args, hist = run(tiny_data, tmp_path / "cap", "focusnet", 64,
                     ["--epochs", "0", "--time-budget-s", "3600", "--timing-steps", "1", "--max-epochs", "2",
                      "--steps-per-epoch", "1"])
    assert args.epochs == 2 and [h["epoch"] for h in hist] == [0, 1]


def test_pas_moves_eosin_onto_the_pas_magenta_and_lightens_haematoxylin():
    import presets
    stains = torch.tensor(presets._STAIN_OD[:2] + [presets._PAS_OD])
    stains = stains / stains.norm(dim=1, keepdim=True)

    def amounts(h, e, seed, share=1.0):   # 400 draws of one pixel, unmixed into haematoxylin, eosin, PAS amounts
        od = (h * stains[0] + e * stains[1]).view(1, 3, 1, 1).repeat(400, 1, 1, 1)
        out = presets.SyntheticDefocus(None, 1, pas=share)._pas(od, torch.Generator().manual_seed(seed))
        return out.view(400, 3) @ torch.linalg.inv(stains)

    eosin = amounts(0.0, 0.8, 1)
    assert eosin[:, 1].abs().max() < 1e-4                                   # no eosin left
    assert eosin[:, 2].min() > 0.4 - 1e-4 and eosin[:, 2].max() <= 0.8 + 1e-4 and eosin[:, 2].std() > 0.05
    assert eosin[:, 0].abs().max() < 1e-4                                   # none of it turned blue
    nucleus = amounts(1.0, 0.0, 2)
    assert nucleus[:, 0].min() > 0.7 - 1e-4 and nucleus[:, 0].max() <= 1.0 + 1e-4
    assert nucleus[:, 1:].abs().max() < 1e-4
    od = torch.rand(5, 3, 16, 16, generator=torch.Generator().manual_seed(4)) * 2
    unchanged = presets.SyntheticDefocus(None, 16, pas=0.0)._pas(od, torch.Generator().manual_seed(0))
    assert torch.allclose(unchanged, od, atol=1e-5)
