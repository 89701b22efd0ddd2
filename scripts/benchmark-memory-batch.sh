#!/usr/bin/env bash
# `focus process` over a mixed batch (issue 24: under 1.5 GiB), against Azurite in memory on loopback: the hostile
# inputs of benchmark-memory.sh (artifacts/hostile-inputs), ten real 1024x1024 tiles cut from ../shared/data/histology
# (artifacts/real-tiles, never committed) and the largest images the default pixel limit allows (40 MP, RGB and
# opaque RGBA). The same set is uploaded afresh for each batch size and processed by one `focus process`, its peak
# resident set and wall time by /usr/bin/time.
#   bash scripts/benchmark-memory-batch.sh [batch sizes...]   # default: 16 (the default) 64 1024 (the maximum)
# Environment: BATCH_AZURITE_PORT (default 10410; the queue and table ports are the next two); BATCH_FILES (paths,
# space-separated) replaces the mixed set, e.g. eight 40 MP tiles: the batch where prepared tiles add up.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(16 64 1024)
blob_port=${BATCH_AZURITE_PORT:-10410}
focus_dll=src/FocusFunctions.Cli/bin/Release/net10.0/focus.dll
dotnet build -c Release src/FocusFunctions.Cli --nologo -v quiet >/dev/null
[ -d artifacts/hostile-inputs ] || dotnet run -c Release --project benchmarks/FocusFunctions.Benchmarks -- write-hostile-inputs artifacts/hostile-inputs
[ -f artifacts/squares/square-40MP-rgba.png ] || dotnet run -c Release --project benchmarks/FocusFunctions.Benchmarks -- write-squares artifacts/squares 40
[ -d artifacts/real-tiles ] || dotnet run -c Release --project benchmarks/FocusFunctions.Benchmarks -- write-real-tiles artifacts/real-tiles

node_modules/.bin/azurite --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --silent \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob_port" --queuePort $((blob_port + 1)) --tablePort $((blob_port + 2)) &
azurite_pid=$!
trap 'kill "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$blob_port") 2>/dev/null && break; sleep 0.2; done
connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((blob_port + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((blob_port + 2))/devstoreaccount1;"

files=(artifacts/hostile-inputs/* artifacts/real-tiles/* artifacts/squares/square-40MP.png artifacts/squares/square-40MP-rgba.png)
if [ -n "${BATCH_FILES:-}" ]; then read -r -a files <<< "$BATCH_FILES"; fi   # another set, e.g. many large tiles
printf '| batch size | tiles | bytes | peak RSS (KiB) | wall (s) |\n|---:|---:|---:|---:|---:|\n'
for size in "${sizes[@]}"; do
  dotnet "$focus_dll" upload "${files[@]}" --slide "mixed-$size" --connection "$connection" >/dev/null
  /usr/bin/time -f "%M %e" -o artifacts/time.txt \
    dotnet "$focus_dll" process --connection "$connection" --batch-size "$size" > "artifacts/process-$size.log" 2>&1 || true
  read -r rss wall < <(tail -n 1 artifacts/time.txt)
  printf '| %s | %s | %s | %s | %s |\n' "$size" "${#files[@]}" "$(cat "${files[@]}" | wc -c)" "$rss" "$wall"
done
