#!/usr/bin/env bash
# The README's test command: install the Debian packages the tests need when they are missing (apt-get,
# as root, or through sudo), then run `dotnet test glov.sln`. Extra arguments go to `dotnet test`
# (e.g. --filter). .ci/run runs exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

# ---- Debian packages the build and tests need -------------------------------------------------
# One package per line; add yours here with a comment saying which test needs it.
APT_PACKAGES=(
  dataset-fashion-mnist   # real images: IDX loader tests and configs/fashion-mnist.yaml
  chromium                # headless browser that renders the HTML report in the report tests
  slurm-wlm               # slurmctld, slurmd, sbatch: the Slurm test runs the emitted job array (scripts/slurm-test.sh)
  munge                   # Slurm's authentication daemon, started by scripts/slurm-test.sh
)
# -------------------------------------------------------------------------------------------------

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]} > 0)); then
  echo "test: installing ${missing[*]}"
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v dotnet >/dev/null || { echo "test: dotnet is not on PATH (the .NET 10 SDK is expected on this machine)" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test glov.sln "$@" 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary per test project; add them up into one closing line.
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Passed:") p += $(i + 1) + 0
         if ($i == "Failed:") f += $(i + 1) + 0
         if ($i == "Skipped:") s += $(i + 1) + 0
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
