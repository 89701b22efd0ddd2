#!/usr/bin/env bash
# Speed and memory benchmarks (BenchmarkDotNet; results in docs/performance.md):
#   decode, preprocessing, model inference per patch (one thread, batched) beside the reference InceptionV3 + six FC
#   and the unshipped focusnet_v2 architecture (both exported by the training pipeline) and the shipped graph's
#   folded / affine / int8 variants (training/graph_variants.py), end to end per 1024×1024
#   tile at 0.5 µm/px and at 0.227 µm/px (FineTileBenchmarks), the worker's tiles/s by batch size, and the peak
#   memory of one `focus score` process. Peak memory per hostile input class (issue 24): scripts/benchmark-memory.sh.
#   bash scripts/benchmark.sh            # everything
#   bash scripts/benchmark.sh '*Tile*'   # a BenchmarkDotNet filter
#   bash scripts/benchmark.sh '*Tile*' --warmupCount 5 --iterationCount 15   # more options for BenchmarkDotNet
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
mkdir -p artifacts
if [ ! -f artifacts/inception_v3.onnx ] || [ training/models.py -nt artifacts/inception_v3.onnx ]; then   # re-export when the architectures change
  /usr/bin/python3 training/export.py --arch inception_v3 --random-init --output artifacts/inception_v3.onnx
fi
if [ ! -f artifacts/focusnet_v2.onnx ] || [ training/models.py -nt artifacts/focusnet_v2.onnx ]; then   # cost only: random weights cost what trained ones do
  /usr/bin/python3 training/export.py --arch focusnet_v2 --random-init --output artifacts/focusnet_v2.onnx
fi
variants=artifacts/graph-variants
point_model=models/previous/focus-model-1.1.0/focus-model.onnx   # the variants are of 1.1.0's point-only graph
if [ ! -f $variants/graph-variants.json ] || [ $point_model -nt $variants/graph-variants.json ] \
   || [ training/graph_variants.py -nt $variants/graph-variants.json ]; then   # 1.1.0's graph folded, affine and int8 (GraphVariantBenchmarks)
  /usr/bin/python3 training/graph_variants.py --model $point_model --output-dir $variants
fi

dotnet run -c Release --project benchmarks/FocusFunctions.Benchmarks -- --filter "${1:-*}" --job short --artifacts artifacts/benchmarks "${@:2}"

# Peak resident memory of scoring one 1024×1024 tile in a fresh process (model load included).
dotnet build -c Release src/FocusFunctions.Cli --nologo -v quiet >/dev/null
/usr/bin/python3 - <<'PY'
from PIL import Image
Image.open("../shared/data/histology/cmu1-small-region-he-skin.png").convert("RGB").crop((600, 1200, 1624, 2224)).save("artifacts/tile-1024.png")
PY
/usr/bin/time -f "peak RSS of 'focus score' on one 1024x1024 PNG: %M KiB" \
  dotnet src/FocusFunctions.Cli/bin/Release/net10.0/focus.dll score artifacts/tile-1024.png --format json --threads 1
