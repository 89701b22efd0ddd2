"""Train a defocus regressor (|z| in um) on in-focus patches with synthetic, physically based defocus.

CPU:  python3 training/train.py --device cpu --epochs 20 --crop-size 128 --batch-size 32 --output-dir training/runs/cpu
GPU:  python3 training/train.py --device cuda --epochs 0 --time-budget-s 300 --output-dir $OUT
"""
import argparse
import datetime
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

import contract
import defocus
import models
import presets
import specimens
import utils


def update_ema(ema, model, decay):
    """Exponential moving average of the weights (and BatchNorm statistics): a smoother model to ship."""
    with torch.no_grad():
        for averaged, current in zip(ema.state_dict().values(), model.state_dict().values()):
            if averaged.dtype.is_floating_point:
                averaged.mul_(decay).add_(current.detach(), alpha=1 - decay)
            else:
                averaged.copy_(current)


def laplace_nll(target, location, scale):
    """Mean negative log-likelihood of `target` under Laplace(location, scale), without the constant log 2."""
    return (torch.log(scale) + (target - location).abs() / scale).mean()


def train_one_epoch(model, optimizer, scheduler, batches, args, epoch, gen, deadline, ema=None):
    model.train()
    t0, losses, n_steps = time.time(), [], 0
    for step in range(args.steps_per_epoch):
        if time.time() > deadline:
            break
        x, z = batches.next(args.batch_size, gen)
        if hasattr(model, "distribution"):
            mu, scale = model.distribution(x)
            loss = (F.smooth_l1_loss(mu[:, 0], z.to(mu.device), beta=args.huber_beta)
                    + args.scale_loss_weight * laplace_nll(z.to(mu.device), mu[:, 0].detach(), scale[:, 0]))
        else:
            pred = model(x)[:, 0]
            loss = F.smooth_l1_loss(pred, z.to(pred.device), beta=args.huber_beta)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        if ema is not None:
            update_ema(ema, model, args.ema_decay)
        losses.append(loss.item())
        n_steps += 1
        if args.print_freq and step % args.print_freq == 0:
            print(f"  epoch {epoch} step {step}/{args.steps_per_epoch} loss {loss.item():.4f} "
                  f"lr {optimizer.param_groups[0]['lr']:.2e}", flush=True)
    dt = time.time() - t0
    return {"loss": float(np.mean(losses)) if losses else float("nan"), "steps": n_steps, "seconds": dt}


def evaluate(model, val_x, val_z, device, batch_size=64):
    model.eval()
    preds = []
    with torch.no_grad():
        for i in range(0, len(val_x), batch_size):
            xb = val_x[i:i + batch_size].to(device).float() / 255
            preds.append(model(xb)[:, 0].cpu())
    pred = torch.cat(preds).numpy()
    return utils.regression_report(pred, val_z.numpy()), pred


def load_weights(path, model, ema):
    """Loads a checkpoint's weights into the model (and its EMA) and returns the checkpoint. With EMA, "model" holds
    the averaged weights (the ones exported) and "model_raw" the optimised ones."""
    ckpt = torch.load(path, map_location="cpu")
    # a point-only checkpoint (focusnet) starts a focusnet_laplace: everything but the new scale head loads
    if hasattr(model, "scale_head"):
        missing = models.load_point_weights(model, ckpt.get("model_raw", ckpt["model"]))
        if missing:
            print(f"not in {path}, left at their initial values: {missing}", flush=True)
        if ema is not None:
            models.load_point_weights(ema, ckpt["model"])
    else:
        model.load_state_dict(ckpt.get("model_raw", ckpt["model"]))
        if ema is not None:
            ema.load_state_dict(ckpt["model"])
    return ckpt


def load_data(args, device):
    manifest = utils.load_json(os.path.join(args.data_dir, "manifest.json"))
    t = time.time()
    bank = defocus.PSFBank(z_max=11.0, dz=args.psf_dz, device=device)
    print(f"PSF bank {tuple(bank.bank.shape)} in {time.time() - t:.1f} s", flush=True)
    margin = defocus.KERNEL_SIZE // 2 + 8
    sampler = presets.PatchSampler(manifest, args.data_dir, "train", args.crop_size, margin, device,
                                   jitter_large=args.crop_jitter)
    t = time.time()
    val_x, val_z, val_src = presets.build_val_set(manifest, args.data_dir, bank, args.val_size, device,
                                          max_patches=args.val_patches_per_source)
    print(f"train: {len(sampler.windows)} patches from {len(sampler.images)} sources; "
          f"val: {len(val_x)} samples from {len(set(val_src))} held-out sources ({time.time() - t:.1f} s)", flush=True)
    return manifest, bank, sampler, (val_x, val_z, val_src)


def main(args):
    print(args, flush=True)
    torch.set_num_threads(args.threads)
    utils.seed_everything(args.seed)
    torch.backends.cudnn.benchmark = not args.deterministic
    torch.backends.cudnn.deterministic = args.deterministic
    device = torch.device(args.device)
    os.makedirs(args.output_dir, exist_ok=True)
    start = time.time()
    deadline = start + args.time_limit_s if args.time_limit_s > 0 else float("inf")
    _, bank, sampler, (val_x, val_z, _) = load_data(args, device)
    spec = None
    if args.specimens:   # thick sections, folds, tilt, no-information tissue (specimens.py), at these shares
        shares = dict(zip(("thick", "fold", "tilt", "flat", "smooth"), args.specimens))
        spec = specimens.Specimens(**shares, out_size=args.crop_size + 8)
    synth = presets.SyntheticDefocus(bank, args.crop_size, nuisance=True, stain_jitter=args.stain_jitter,
                                     density_jitter=args.density_jitter, restain=args.restain,
                                     sparse=args.sparse, specimens=spec)
    batches = presets.TrainingBatches(sampler, synth, args.replay_pool, args.replay_refresh)
    model = models.get_model(args.arch).to(device)
    print(f"{args.arch}: {utils.count_parameters(model)} parameters", flush=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    gen = torch.Generator().manual_seed(args.seed)

    if args.epochs <= 0:   # size the schedule to the time budget with a short timing run (not trained on)
        probe = models.get_model(args.arch).to(device)
        popt = torch.optim.AdamW(probe.parameters(), lr=0.0)
        pgen = torch.Generator().manual_seed(args.seed + 1)
        if args.replay_pool:
            batches.next(args.batch_size, pgen)   # fills the pool once, outside the per-step timing
        for i in range(args.timing_steps + 3):
            if i == 3:
                if device.type == "cuda":
                    torch.cuda.synchronize()
                t0 = time.time()
            xb, _ = batches.next(args.batch_size, pgen)
            loss = probe(xb)[:, 0].sum()
            popt.zero_grad()
            loss.backward()
            popt.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        per_step = (time.time() - t0) / args.timing_steps
        remaining = args.time_budget_s - (time.time() - start)
        args.epochs = max(1, int(remaining * 0.92 / (per_step * args.steps_per_epoch + args.eval_seconds)))
        capped = 0 < args.max_epochs < args.epochs
        if capped:
            args.epochs = args.max_epochs
        print(f"timing: {per_step * 1000:.1f} ms/step -> --epochs {args.epochs} fits the {args.time_budget_s} s budget"
              + (" (capped by --max-epochs)" if capped else ""), flush=True)
        del probe, popt

    total = args.epochs * args.steps_per_epoch
    warm = min(args.warmup_steps, total // 10)

    def lr_factor(step):   # linear warm-up, then cosine down to --lr-min-ratio
        if step < warm:
            return (step + 1) / (warm + 1)
        cosine = 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warm) / max(1, total - warm))))
        return args.lr_min_ratio + (1 - args.lr_min_ratio) * cosine

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)
    ema = None
    if args.ema_decay > 0:
        ema = models.get_model(args.arch).to(device)
        ema.load_state_dict(model.state_dict())
        ema.eval()
    start_epoch = 0
    if args.init_weights:   # fine-tuning: weights only, with this run's own optimiser and schedule
        ckpt = load_weights(args.init_weights, model, ema)
        print(f"initial weights from {args.init_weights} (epoch {ckpt.get('epoch')})", flush=True)
    if args.resume:
        ckpt = load_weights(args.resume, model, ema)
        if not args.test_only:
            optimizer.load_state_dict(ckpt["optimizer"])
            scheduler.load_state_dict(ckpt["scheduler"])
            start_epoch = ckpt["epoch"] + 1
            gen.manual_seed(args.seed + start_epoch)
    shipped = ema if ema is not None else model
    if args.test_only:
        report, _ = evaluate(shipped, val_x, val_z, device)
        print({k: v for k, v in report.items() if k != "perLevel"})
        return report

    # no "best epoch" file: the per-epoch evaluation is on the held-out sources, and picking an epoch there would be
    # choosing on the test data; the run ships the weights it ends with
    history = []
    for epoch in range(start_epoch, args.epochs):
        if time.time() > deadline:
            print("time limit reached", flush=True)
            break
        stats = train_one_epoch(model, optimizer, scheduler, batches, args, epoch, gen, deadline, ema)
        report, _ = evaluate(shipped, val_x, val_z, device)
        elapsed = str(datetime.timedelta(seconds=int(time.time() - start)))
        print(f"epoch {epoch}: loss {stats['loss']:.4f} ({stats['steps']} steps, {stats['seconds']:.1f} s) | val "
              f"MAE {report['mae']:.3f} R2 {report['r2']:.4f} slope {report['slope']:.3f} "
              f"icpt {report['intercept']:.3f} MAE0-4 {report['mae0to4']:.3f} in0.5 {report['within05um0to4']:.3f} "
              f"bacc {report['inOutBalancedAccuracyAt2um']:.3f} | {elapsed}", flush=True)
        metrics = {k: v for k, v in report.items() if k != "perLevel"}
        history.append({"epoch": epoch, "loss": stats["loss"], **metrics})
        state = (shipped, optimizer, scheduler, epoch, args, metrics, model if ema is not None else None)
        utils.save_checkpoint(os.path.join(args.output_dir, "checkpoint.pth"), *state)
        utils.save_json(history, os.path.join(args.output_dir, "history.json"))
    print(f"training time {str(datetime.timedelta(seconds=int(time.time() - start)))}", flush=True)
    return history


def get_args_parser():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description="Train the focus (defocus |z|) regressor")
    p.add_argument("--data-dir", default=os.path.join(here, "data"), help="output of prepare.py")
    p.add_argument("--output-dir", default=os.path.join(here, "runs", "default"), help="checkpoints and history")
    p.add_argument("--arch", default="focusnet", help="focusnet | inception_v3")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu", help="cpu | cuda")
    p.add_argument("--threads", default=2, type=int, help="CPU threads for torch")
    p.add_argument("--epochs", default=20, type=int, help="epochs; 0 = size to --time-budget-s by a timing run")
    p.add_argument("--max-epochs", default=0, type=int, help="cap on the epochs --epochs 0 resolves to (0 = none)")
    p.add_argument("--steps-per-epoch", default=200, type=int, help="optimizer steps per epoch")
    p.add_argument("--batch-size", default=64, type=int, help="patches per step")
    p.add_argument("--crop-size", default=224, type=int, help="training crop (px at the model's um/px)")
    p.add_argument("--crop-jitter", action="store_true",
                   help="crops larger than the prepared windows at a random offset covering the window (else centred)")
    p.add_argument("--val-size", default=contract.PATCH_SIZE, type=int,
                   help="validation patch size (the model input size)")
    p.add_argument("--val-patches-per-source", default=0, type=int, help="cap on held-out patches (0 = all)")
    p.add_argument("--lr", default=2e-3, type=float, help="peak learning rate (AdamW)")
    p.add_argument("--lr-min-ratio", default=0.02, type=float, help="final lr as a fraction of --lr (cosine)")
    p.add_argument("--warmup-steps", default=300, type=int, help="linear warm-up steps")
    p.add_argument("--weight-decay", default=1e-4, type=float, help="AdamW weight decay")
    p.add_argument("--ema-decay", default=0.0, type=float,
                   help="keep and ship an exponential moving average of the weights with this decay (0 = off)")
    p.add_argument("--replay-pool", default=0, type=int,
                   help="samples kept in a replay pool (0 = every sample fresh; for CPU training, see presets.py)")
    p.add_argument("--replay-refresh", default=16, type=int, help="fresh samples per step when --replay-pool > 0")
    p.add_argument("--specimens", default=None, type=float, nargs=5, metavar=("THICK", "FOLD", "TILT", "FLAT", "SMOOTH"),
                   help="shares of non-planar and no-information specimens (specimens.py); default: thin planes only")
    p.add_argument("--scale-loss-weight", default=0.5, type=float,
                   help="weight of the scale head's Laplace likelihood (focusnet_laplace)")
    p.add_argument("--huber-beta", default=0.1, type=float, help="smooth-L1 beta (um)")
    p.add_argument("--psf-dz", default=0.05, type=float, help="z step of the precomputed PSF bank (um)")
    p.add_argument("--time-limit-s", default=0, type=float, help="stop after this many seconds (0 = no limit)")
    p.add_argument("--time-budget-s", default=300, type=float, help="budget used when --epochs 0")
    p.add_argument("--timing-steps", default=10, type=int, help="timing steps when --epochs 0")
    p.add_argument("--eval-seconds", default=2.0, type=float, help="assumed seconds per validation when --epochs 0")
    p.add_argument("--print-freq", default=50, type=int, help="steps between progress lines (0 = off)")
    p.add_argument("--seed", default=0, type=int, help="random seed")
    p.add_argument("--deterministic", action="store_true", help="deterministic cuDNN")
    p.add_argument("--stain-jitter", default=0.2, type=float,
                   help="per-channel optical density scale range, 1 +- this (stain hue)")
    p.add_argument("--density-jitter", default=0.0, type=float,
                   help="overall optical density scale range, 1 +- this (pale / heavy staining)")
    p.add_argument("--restain", default=0.0, type=float,
                   help="share of samples re-stained in H/E/DAB space: less eosin, some DAB (unseen stains)")
    p.add_argument("--sparse", default=0.0, type=float,
                   help="share of samples thinned to sparse tissue on glass before the blur (sparse IHC, edges)")
    start = p.add_mutually_exclusive_group()   # a fine-tune starts a new schedule, a resume continues the old one
    start.add_argument("--init-weights", default="", help="checkpoint whose weights start a new run (fine-tuning)")
    start.add_argument("--resume", default="", help="checkpoint to resume from")
    p.add_argument("--test-only", action="store_true", help="only evaluate (with --resume)")
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
