#!/usr/bin/env bash
# The main job on stand-in models: optimize -> evaluate -> report on CIFAR-10, in a few minutes, on a
# machine with nothing but scripts/test.sh's installs and ../shared.
#
# No instruction-tuned LLM and no pretrained CLIP can be downloaded in this workplace, so the script
# builds stand-ins: stories260K (a 260K-parameter story model) converted to GGUF as the optimizer LLM,
# and a random-weight CLIP with the real vocabulary as the scorer. The pipeline is real; the accuracies
# are MEANINGLESS. For real results see docs/usage.md ("Real models").
#
# Usage: scripts/demo.sh [steps]          (default 10 steps x 10 candidates)
# Env:   GLOV_SHARED   the shared assets folder (default: ../shared beside the repository)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-10}
shared=$(realpath "${GLOV_SHARED:-../shared}")
for need in models/stories260K/stories260K.bin models/stories260K/tok512.bin models/clip-bpe/bpe_simple_vocab_16e6.txt.gz datasets/cifar10/test; do
  [[ -e "$shared/$need" ]] || { echo "demo: missing $shared/$need (set GLOV_SHARED to the shared assets folder)" >&2; exit 2; }
done

echo "== building glov"
# Quiet when it works; the whole build output when it does not.
if ! build_log=$(dotnet build src/Glov.Cli -c Release -o .glov/bin -nologo 2>&1); then
  printf '%s\n' "$build_log" >&2
  echo "demo: the build failed (output above)" >&2
  exit 1
fi
glov=.glov/bin/glov

echo "== stand-in models (built once into .glov/models)"
mkdir -p .glov/models
[[ -f .glov/models/stories260K.gguf ]] || "$glov" convert llama2c "$shared/models/stories260K/stories260K.bin" \
  "$shared/models/stories260K/tok512.bin" .glov/models/stories260K.gguf --chat-template chatml
[[ -d .glov/models/clip-tiny ]] || "$glov" vlm make-fixture --out .glov/models/clip-tiny --bpe "$shared/models/clip-bpe/bpe_simple_vocab_16e6.txt.gz"

run=demo-cifar10-$(date -u +%Y%m%d-%H%M%S)
echo "== optimize ($run)"
# Differences from the paper's defaults, all because of the stand-ins: fewer steps; stories260K never writes
# a <category> placeholder, so three extra seed templates are scored up front and guidance is forced on,
# which makes the steering path run at all; 1,000 test images keep evaluation short.
"$glov" optimize --config configs/cifar10.yaml --name "$run" --steps "$steps" \
  --set "fitness.dataset=$shared/datasets/cifar10" \
  --set guidance.force=true \
  --set 'task.extra_seed_templates=["a blurry photo of a {}.", "art of the {}.", "a close-up photo of the {}."]' \
  --set evaluation.test_limit=1000

echo "== evaluate"
"$glov" evaluate "$run" --runs-dir runs

echo "== report"
"$glov" report "$run" --runs-dir runs \
  --notice "Stand-in models (stories260K as the optimizer LLM, a random-weight CLIP as the scorer): every accuracy in this report is meaningless. It shows that the pipeline runs, not how well GLOV works."

cat <<'NOTE'

!! The accuracies above are MEANINGLESS: stories260K is a tiny story model that cannot write prompt
!! templates, and the CLIP scorer has random weights. Point configs/cifar10.yaml at a real GGUF instruct
!! model and a real CLIP ONNX export for real numbers (docs/usage.md).
NOTE
