#!/usr/bin/env bash
# Peak memory per input class of issue 24 (docs/performance.md, "Memory per input class"): each generated file
# (benchmarks/FocusFunctions.Benchmarks/HostileInputs.cs) scored by its own `focus score` process, its peak resident
# set and wall time by /usr/bin/time; then the same inputs in-process with BenchmarkDotNet's MemoryDiagnoser
# (managed allocations) unless --no-bdn.
#   bash scripts/benchmark-memory.sh            # both
#   bash scripts/benchmark-memory.sh --no-bdn   # the per-process table only (a few minutes)
#   bash scripts/benchmark-memory.sh --batch    # also `focus process` over the mixed batch against Azurite
# The per-process table also scores square PNGs of 20-50 MP (RGB, and opaque RGBA: the decoder's 4 B/px path) at
# the model's 0.5 um/px and as a 40x tile (0.25 um/px): the default pixel limit (40 MP) was chosen from them.
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=artifacts/hostile-inputs
squares=artifacts/squares
focus_dll=src/FocusFunctions.Cli/bin/Release/net10.0/focus.dll
dotnet build -c Release src/FocusFunctions.Cli --nologo -v quiet >/dev/null
dotnet run -c Release --project benchmarks/FocusFunctions.Benchmarks -- write-hostile-inputs "$inputs"
dotnet run -c Release --project benchmarks/FocusFunctions.Benchmarks --no-build -- write-squares "$squares" 20 30 40 50
score_row() {  # file, microns per pixel: one row of the table
  local verdict rss wall
  verdict=$( { /usr/bin/time -f "%M %e" -o artifacts/time.txt \
    dotnet "$focus_dll" score "$1" --format csv --threads 1 --microns-per-pixel "$2" || true; } \
    | tail -n +2 | cut -d, -f2 )
  read -r rss wall < <(tail -n 1 artifacts/time.txt)   # a non-zero exit adds a line before the figures
  printf '| %s | %s | %s | %s | %s | %s |\n' "$(basename "$1")" "$2" "$(stat -c %s "$1")" "$verdict" "$rss" "$wall"
}
printf '| input | um/px | bytes | verdict | peak RSS (KiB) | wall (s) |\n|---|---:|---:|---|---:|---:|\n'
for file in "$inputs"/*; do
  score_row "$file" 0.5
done
for mp in 20 30 40 50; do
  for mpp in 0.5 0.25; do
    score_row "$squares/square-${mp}MP.png" "$mpp"
    score_row "$squares/square-${mp}MP-rgba.png" "$mpp"
  done
done
if [ "${1:-}" = "--batch" ]; then
  bash scripts/benchmark-memory-batch.sh
fi
if [ "${1:-}" != "--no-bdn" ] && [ "${1:-}" != "--batch" ]; then
  dotnet run -c Release --project benchmarks/FocusFunctions.Benchmarks -- --filter '*HostileInputBenchmarks*' --job short --buildTimeout 900 \
    --artifacts artifacts/benchmarks
fi
