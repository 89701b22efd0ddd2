#!/usr/bin/env bash
# Packs the GPU worker so that it runs on a Linux x64 machine with an NVIDIA GPU but no .NET and no container
# engine (the lent GPU machine): a self-contained publish (framework assemblies trimmed, partial mode: the app's own
# assemblies are kept whole, reflection-based JSON left on), ONNX Runtime's CUDA 13 + cuDNN 9 native libraries, the
# shipped model and scripts/gpu-device.sh; tar + xz (Python's standard library can unpack it), split into parts
# small enough to travel one per device call with room to spare.
#   bash scripts/gpu-bundle.sh [--out DIR] [--part-size 44M] [--xz-level 6]   (0 packs fastest, for tests)
# Then, on the device, one call per part: `bash scripts/gpu-device.sh stash DIR_WITH_PARTS`, and in the last call
# `bash scripts/gpu-device.sh run [gpu-check options]` (docs/performance.md, "GPU worker on a real GPU").
set -euo pipefail
cd "$(dirname "$0")/.."

out=.gpu-bundle
part_size=44M
xz_level=6
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --part-size) part_size=$2; shift 2 ;;
    --xz-level) xz_level=$2; shift 2 ;;
    *) echo "usage: bash scripts/gpu-bundle.sh [--out DIR] [--part-size SIZE] [--xz-level 0-9]" >&2; exit 1 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
app="$work/focus-worker"

echo "gpu-bundle: publishing the worker (self-contained, linux-x64, trimmed)"
# Own artifacts folder: the publish never touches the bin/ and obj/ folders that builds and tests use.
dotnet publish src/FocusFunctions.Worker -c Release -r linux-x64 --self-contained --nologo -v quiet -o "$app" --artifacts-path "$work/artifacts" \
  -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true \
  -p:JsonSerializerIsReflectionEnabledByDefault=true -p:DebugType=none -p:InvariantGlobalization=true >/dev/null
# TensorRT is not in the worker image or on the device; ONNX Runtime loads its provider only when asked for it.
rm -f "$app/libonnxruntime_providers_tensorrt.so"
for required in FocusFunctions.Worker libonnxruntime.so libonnxruntime_providers_cuda.so libonnxruntime_providers_shared.so models/focus-model.onnx models/focus-model.json; do
  [ -e "$app/$required" ] || { echo "gpu-bundle: $required missing from the publish" >&2; exit 1; }
done
cp scripts/gpu-device.sh "$app/"

echo "gpu-bundle: compressing $(du -sh "$app" | cut -f1) (xz)"
mkdir -p "$out"
rm -f "$out"/focus-worker.tar.xz.part-* "$out"/focus-worker.sha256
tar -C "$work" -cf - focus-worker | xz -T2 -"$xz_level" > "$work/focus-worker.tar.xz"
split -b "$part_size" -d -a 2 "$work/focus-worker.tar.xz" "$out/focus-worker.tar.xz.part-"
(cd "$work" && sha256sum focus-worker.tar.xz) > "$out/focus-worker.sha256"
ls -l "$out"
echo "gpu-bundle: $(ls "$out"/focus-worker.tar.xz.part-* | wc -l) parts in $out; on the device: bash scripts/gpu-device.sh stash <dir> (each part), then bash scripts/gpu-device.sh run [gpu-check options]"
