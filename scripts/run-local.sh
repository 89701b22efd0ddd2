#!/usr/bin/env bash
# The main job, locally and without Azure: starts Azurite (in memory, loopback), uploads a handful of tiles from
# ../shared (sharp, background, one 4 µm out of focus made on the fly, one truncated), runs `focus process` (the same
# TileProcessor as the Function), prints the result rows and the moved tiles, writes the slide's QC page
# (artifacts/slide-demo-report.html, `focus report --slide`), then stops Azurite.
#
#   bash scripts/run-local.sh
#
# Environment: AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT / AZURITE_TABLE_PORT (default 10000-10002),
# FOCUS_MODEL (default models/focus-model.onnx), SHARED_HISTOLOGY (default ../shared/data/histology).
set -euo pipefail
cd "$(dirname "$0")/.."

blob_port=${AZURITE_BLOB_PORT:-10000}
queue_port=${AZURITE_QUEUE_PORT:-10001}
table_port=${AZURITE_TABLE_PORT:-10002}
model=${FOCUS_MODEL:-models/focus-model.onnx}
shared=${SHARED_HISTOLOGY:-../shared/data/histology}
slide=slide-demo

if [ ! -f "$model" ]; then
  echo "run-local: no model at $model. Export one (training/README.md) or set FOCUS_MODEL=/path/to/model.onnx." >&2
  exit 1
fi
if [ ! -d "$shared" ]; then
  echo "run-local: no sample tiles at $shared (the shared data folder beside the repository)." >&2
  exit 1
fi
if [ ! -x node_modules/.bin/azurite ]; then
  echo "run-local: installing Azurite (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$blob_port" "$queue_port" "$table_port"; do
  if port_open "$port"; then
    echo "run-local: port $port is in use (another Azurite?). Stop it or set AZURITE_*_PORT." >&2
    exit 1
  fi
done

work=$(mktemp -d)
azurite_pid=""
cleanup() {
  if [ -n "$azurite_pid" ]; then
    kill "$azurite_pid" 2>/dev/null || true
    wait "$azurite_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== Starting Azurite on 127.0.0.1:$blob_port-$table_port (in memory)"
node_modules/.bin/azurite --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --silent \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" &
azurite_pid=$!
for port in "$blob_port" "$queue_port" "$table_port"; do
  for _ in $(seq 1 100); do port_open "$port" && break; sleep 0.2; done
  port_open "$port" || { echo "run-local: Azurite did not open port $port" >&2; exit 1; }
done

# Azurite's published development account (the well-known key is not a secret).
connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"

echo "== Preparing tiles (all read as 0.5 µm/px, the model's pixel size)"
cp "$shared/tcga-mopadi-tcga-ad-6964-01z-00-dx1-tile-23040-25088.png" "$work/x000_y000.png"
cp "$shared/tcga-mopadi-tcga-ad-6964-01z-00-dx1-tile-16896-20480.png" "$work/x001_y000.png"
cp "$shared/histoqc-template1-he-breast.png" "$work/x002_y000.png"
cp "$shared/background-histolab-no-tissue.png" "$work/x000_y001.png"
# A tile cut short in transfer: goes to quarantine with a readable error.
head -c 20000 "$shared/tcga-histolab-low-nuclei-score-level0.png" > "$work/x002_y001.png"
# A defocused tile: a sharp one 4 µm out of focus, through the project's optics simulator (training/simulate.py,
# needs Debian's python3-torch and python3-pil, as the tests do; skipped without them).
if /usr/bin/python3 -c "import torch, PIL, scipy" 2>/dev/null; then
  /usr/bin/python3 training/simulate.py --input "$shared/tcga-mopadi-tcga-ad-6964-01z-00-dx1-tile-22016-11776.png" \
    --microns-per-pixel 0.5 --z 4 --output-dir "$work/simulated" --threads 2 >/dev/null
  mv "$work/simulated/"*.png "$work/x001_y001.png"
  rmdir "$work/simulated"
else
  echo "run-local: /usr/bin/python3 with torch and PIL not found; skipping the defocused tile" >&2
fi

echo "== Building the CLI"
dotnet build src/FocusFunctions.Cli -c Release --nologo -v q
focus() { dotnet run --project src/FocusFunctions.Cli -c Release --no-build -- "$@"; }

echo "== Uploading to tiles/$slide/"
focus upload "$work" --slide "$slide" --connection "$connection"

echo "== focus process"
focus process --connection "$connection" --model "$model"

echo "== Result rows (table FocusResults)"
focus results --connection "$connection" --slide "$slide"

echo "== Containers"
for container in tiles rejected quarantine; do
  focus list "$container" --connection "$connection"
done

echo "== The slide's QC page (focus report --slide $slide)"
mkdir -p artifacts
report="artifacts/$slide-report.html"
focus report --slide "$slide" --output "$report" --connection "$connection"
echo "Open it in a browser (it needs no server and makes no request): xdg-open $report"
