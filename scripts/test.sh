#!/usr/bin/env bash
# Every test of the project: .NET unit, Azurite integration (the tests start Azurite themselves, in memory, on
# loopback), infrastructure (Bicep build + lint, schema validation), and the Python training tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test FocusFunctions.sln -c Release --nologo 2>&1 | tee "$log"
dotnet_status=${PIPESTATUS[0]}
/usr/bin/python3 -m pytest training/tests -q -p no:cacheprovider 2>&1 | tee -a "$log"
python_status=${PIPESTATUS[0]}
set -e

# One closing line over both runners: "N passed, N failed".
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
py_passed=$(grep -oE '[0-9]+ passed' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
py_failed=$(grep -oE '[0-9]+ failed' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
echo
echo "$(( passed + py_passed )) passed, $(( failed + py_failed )) failed"
[ "$dotnet_status" -eq 0 ] && [ "$python_status" -eq 0 ]
