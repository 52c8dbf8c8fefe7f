#!/usr/bin/env bash
# llama.cpp's own llama-batched-bench on one GLOV step's shape (a shared 600-token prompt, then 10 sequences
# × 50 tokens), the reference our plain step is compared with. Builds the pinned llama.cpp natively with the
# tool on first use (12-20 minutes on 2 cores) through scripts/build-llama-cuda.sh; never run by the tests.
#
#   bench/Glov.Bench.Llama/reference.sh MODEL.gguf [THREADS] [CANDIDATES] [TOKENS] [PROMPT_TOKENS]
#
# The build lands in $GLOV_BENCH_DIR/llama-native (default /tmp/glov-bench); point GLOV_LLAMA_LIBRARY at it
# to run the C# bench on the same native libraries. The llama.cpp source: $LLAMA_SOURCE, else the archive in
# ../shared/vendor/llama.cpp. Extra build options (e.g. --no-amx on CPUs that advertise AMX but fault on it):
# $BUILD_OPTIONS.
set -euo pipefail
die() { echo "reference.sh: $*" >&2; exit 2; }
[[ $# -ge 1 ]] || die "usage: reference.sh MODEL.gguf [THREADS] [CANDIDATES] [TOKENS] [PROMPT_TOKENS]"
model=$1 threads=${2:-2} candidates=${3:-10} tokens=${4:-50} prompt=${5:-600}
[[ -f $model ]] || die "$model: no such model file"
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${GLOV_BENCH_DIR:-/tmp/glov-bench}/llama-native
if [[ ! -x $out/llama-batched-bench ]]; then
  source=${LLAMA_SOURCE:-$(ls "$repo"/../shared/vendor/llama.cpp/llama.cpp-*.tar.* 2>/dev/null | head -1)}
  [[ -n $source ]] || die "no llama.cpp source: set LLAMA_SOURCE (a source folder or archive of the version LLamaSharp pins)"
  # shellcheck disable=SC2086
  "$repo/scripts/build-llama-cuda.sh" --cpu --tools ${BUILD_OPTIONS:-} "$source" "$out"
fi
# One unified KV cache whose prompt cells the sequences share, as our generator keeps it.
"$out/llama-batched-bench" -m "$model" -t "$threads" -c $((prompt + candidates * tokens + 256)) -b 2048 -ub 512 \
  -npp "$prompt" -ntg "$tokens" -npl "$candidates" -pps -kvu 2>&1 | grep -E '^\|'
