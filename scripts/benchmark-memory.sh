#!/usr/bin/env bash
# Peak memory per input class of issue 24 (docs/performance.md, "Memory per input class"): each generated file
# (benchmarks/FocusFunctions.Benchmarks/HostileInputs.cs) scored by its own `focus score` process, its peak resident
# set and wall time by /usr/bin/time; then the same inputs in-process with BenchmarkDotNet's MemoryDiagnoser
# (managed allocations) unless --no-bdn.
#   bash scripts/benchmark-memory.sh            # both
#   bash scripts/benchmark-memory.sh --no-bdn   # the per-process table only (a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=artifacts/hostile-inputs
dotnet build -c Release src/FocusFunctions.Cli --nologo -v quiet >/dev/null
dotnet run -c Release --project benchmarks/FocusFunctions.Benchmarks -- write-hostile-inputs "$inputs"
printf '| input | bytes | verdict | peak RSS (KiB) | wall (s) |\n|---|---:|---|---:|---:|\n'
for file in "$inputs"/*; do
  verdict=$( { /usr/bin/time -f "%M %e" -o artifacts/time.txt \
    dotnet src/FocusFunctions.Cli/bin/Release/net10.0/focus.dll score "$file" --format csv --threads 1 || true; } \
    | tail -n +2 | cut -d, -f2 )
  read -r rss wall < <(tail -n 1 artifacts/time.txt)   # a non-zero exit adds a line before the figures
  printf '| %s | %s | %s | %s | %s |\n' "$(basename "$file")" "$(stat -c %s "$file")" "$verdict" "$rss" "$wall"
done
if [ "${1:-}" != "--no-bdn" ]; then
  dotnet run -c Release --project benchmarks/FocusFunctions.Benchmarks -- --filter '*HostileInputBenchmarks*' --job short --buildTimeout 900 \
    --artifacts artifacts/benchmarks
fi
