#!/usr/bin/env bash
# On a machine with an NVIDIA GPU and the CUDA 13 + cuDNN 9 runtime libraries (as in the worker image): scores
# batches of patches through the worker's ONNX Runtime with CUDA and with the CPU, and prints patches/s and the
# CUDA/CPU ratio. Record the figure in docs/performance.md with the GPU's name.
#   bash scripts/gpu-check.sh [model.onnx]
# In the container: docker run --rm --gpus all focus-gpuworker gpu-check
set -euo pipefail
cd "$(dirname "$0")/.."
if ! nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; then
  echo "gpu-check: no NVIDIA GPU visible (nvidia-smi failed)" >&2
  exit 3
fi
dotnet run --project src/FocusFunctions.Worker -c Release -- gpu-check "$@"
