#!/usr/bin/env bash
# The device side of scripts/gpu-bundle.sh, for a Linux x64 machine with an NVIDIA GPU, Python 3 and the CUDA 13 +
# cuDNN 9 libraries (as pip's nvidia-* packages or system libraries), but no .NET:
#   bash scripts/gpu-device.sh stash PARTS_DIR      moves the bundle parts that came with this call to $FOCUS_BUNDLE_STORE
#   bash scripts/gpu-device.sh tiles SRC_DIR OUT_DIR [SIZE] [STRIDE]   cuts real tiles (PNG) from the images in SRC_DIR
#   bash scripts/gpu-device.sh unpack                                  joins, checks and unpacks the parts (once)
#   bash scripts/gpu-device.sh run [gpu-check options]                 unpacks if not yet done, and runs gpu-check
# FOCUS_BUNDLE_STORE (default /var/tmp/focus-bundle) outlives a call while the machine stays up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
store=${FOCUS_BUNDLE_STORE:-/var/tmp/focus-bundle}
python=${PYTHON:-python3}   # one with Pillow (the tiles command); the unpack needs only the standard library

# Folders holding the CUDA 13, cuBLAS, cuRAND and cuDNN 9 libraries that ONNX Runtime's CUDA provider loads.
cuda_library_path() {
  local roots dirs=""
  roots="$("$python" -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null || true) /usr/local/cuda/lib64 /usr/lib/x86_64-linux-gnu"
  for lib in libcudart.so.13 libcublasLt.so.13 libcurand.so.10 libcudnn.so.9; do
    local found
    # shellcheck disable=SC2086 # roots is a list of folders
    found=$(find $roots -name "$lib*" -print 2>/dev/null | head -1 || true)
    [ -n "$found" ] && dirs="$dirs:$(dirname "$found")"
  done
  echo "${dirs#:}" | tr ':' '\n' | awk 'NF && !seen[$0]++' | paste -sd:
}

# Joins the parts, checks the whole against its SHA-256 and unpacks it, once.
unpack() {
  app="$store/focus-worker"
  if [ ! -x "$app/FocusFunctions.Worker" ]; then
    (cd "$store" && cat focus-worker.tar.xz.part-* > focus-worker.tar.xz && sha256sum -c focus-worker.sha256)
    # Python's standard library unpacks xz where no xz program is installed.
    "$python" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$store/focus-worker.tar.xz" "$store"
    rm -f "$store/focus-worker.tar.xz"
  fi
}

case "${1:-}" in
  stash)
    mkdir -p "$store"
    mv "${2:?parts folder}"/focus-worker.* "$store"/
    ls -l "$store"
    ;;
  tiles)
    "$python" "$here/cut-tiles.py" "${2:?source folder}" "${3:?output folder}" --size "${4:-1024}" --stride "${5:-512}"
    ;;
  unpack)
    unpack
    ;;
  run)
    shift
    unpack
    cuda_dirs=$(cuda_library_path)
    echo "gpu-device: CUDA libraries from ${cuda_dirs:-nowhere (CPU only)}"
    export LD_LIBRARY_PATH="$app${cuda_dirs:+:$cuda_dirs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
    "$app/FocusFunctions.Worker" gpu-check "$@"
    ;;
  *)
    sed -n '2,9p' "$0" >&2
    exit 1
    ;;
esac
