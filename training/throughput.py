"""Patches per second of a model architecture in PyTorch on one device (a GPU proxy for the ONNX Runtime figure).

    python3 training/throughput.py --device cuda --batch-sizes 16 64 256
"""
import argparse
import time

import torch

import contract
import models


def patches_per_second(model, batch, size, device, seconds):
    x = torch.rand(batch, 3, size, size, device=device)
    with torch.no_grad():
        for _ in range(3):
            model(x)
        if device.type == "cuda":
            torch.cuda.synchronize()
        runs, start = 0, time.time()
        while time.time() - start < seconds or runs < 3:
            model(x)
            runs += 1
        if device.type == "cuda":
            torch.cuda.synchronize()
        return runs * batch / (time.time() - start)


def main(args):
    device = torch.device(args.device)
    torch.set_num_threads(args.threads)
    model = models.get_model(args.arch).to(device).eval()
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"CPU, {args.threads} threads"
    print(f"{args.arch} on {name}, torch {torch.__version__}, float32, {args.size}x{args.size} patches")
    for batch in args.batch_sizes:
        print(f"batch {batch:4d}: {patches_per_second(model, batch, args.size, device, args.seconds):10.0f} patches/s", flush=True)


def get_args_parser():
    p = argparse.ArgumentParser(description="Measure model throughput in patches per second")
    p.add_argument("--arch", default="focusnet", help="focusnet | inception_v3")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu", help="cpu | cuda")
    p.add_argument("--threads", default=2, type=int, help="CPU threads")
    p.add_argument("--size", default=contract.PATCH_SIZE, type=int, help="patch size (px)")
    p.add_argument("--batch-sizes", default=[16, 64, 256], type=int, nargs="+", help="batch sizes to time")
    p.add_argument("--seconds", default=2.0, type=float, help="timed seconds per batch size")
    return p


if __name__ == "__main__":
    main(get_args_parser().parse_args())
