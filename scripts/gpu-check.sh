#!/usr/bin/env bash
# The GPU path, checked on a machine with an NVIDIA GPU in one go (well under 10 minutes on a 16-core
# box): builds glov with ONNX Runtime's CUDA package and llama.cpp with CUDA, runs the CUDA-dependent
# checks, and prints one step's speed on the GPU against the CPU, all in this one run.
#
#   scripts/gpu-check.sh [--jobs N]
#
# 1. llama.cpp (the pinned source in ../shared/vendor/llama.cpp) built with CUDA into .glov/llama-cuda
#    (reused when present), then used through GLOV_LLAMA_LIBRARY;
# 2. glov built with -p:GlovCuda=true (ONNX Runtime's CUDA provider);
# 3. the steering oracle tests on the GPU (exact == recompute, and llama.cpp against an independent
#    forward pass), and the scorer's features on the GPU against the CPU's (max |Δ| ≤ 1e-3);
# 4. a 3-step optimize on the stand-ins (stories260K, a random-weight CLIP) with both engines on cuda;
# 5. one GLOV step of the proposer and of the scorer, CPU vs GPU (bench/Glov.Bench.Gpu).
#
# Needs: this repository, ../shared (or GLOV_SHARED), the NVIDIA driver, the .NET SDK with its packages
# restorable, the CUDA toolkit's nvcc for the llama.cpp build, and the CUDA 13 runtime libraries that
# ONNX Runtime 1.31's CUDA provider loads (cuBLAS, cuDNN 9, cudart, cuRAND). Where these come as pip's
# nvidia-* wheels (e.g. beside PyTorch), they are found there. Each missing piece is named, exit 2.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
[[ ${1:-} == --jobs ]] && jobs=$2
die() { echo "gpu-check: $*" >&2; exit 2; }
step() { echo; echo "== $* ($(date -u +%H:%M:%S))"; }
start=$(date +%s)

shared=$(realpath "${GLOV_SHARED:-../shared}")
export GLOV_SHARED=$shared
archive=$(ls "$shared"/vendor/llama.cpp/llama.cpp-*.tar.* 2>/dev/null | head -1)
[[ -n $archive ]] || die "no llama.cpp source archive in $shared/vendor/llama.cpp"
command -v nvidia-smi >/dev/null || die "nvidia-smi not found: no NVIDIA driver on this machine"
nvidia-smi --query-gpu=index,name,memory.total,driver_version --format=csv,noheader || die "nvidia-smi sees no GPU"

# CUDA libraries from pip wheels (nvidia/<part>/lib), when the system has none of its own.
site=$(python3 -c 'import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))' 2>/dev/null || true)
if [[ -n $site ]]; then
  for lib in "$site"/nvidia/*/lib "$site"/nvidia/cu13/lib; do [[ -d $lib ]] && LD_LIBRARY_PATH=$lib:${LD_LIBRARY_PATH:-}; done
  export LD_LIBRARY_PATH
  [[ -x $site/nvidia/cuda_nvcc/bin/nvcc ]] && export CUDA_HOME=${CUDA_HOME:-$site/nvidia/cuda_nvcc}
  echo "CUDA libraries from pip wheels in $site/nvidia"
fi

step "llama.cpp with CUDA"
if [[ -f .glov/llama-cuda/libggml-cuda.so && -f .glov/llama-cuda/libllama.so ]]; then
  echo "reusing .glov/llama-cuda"
else
  scripts/build-llama-cuda.sh --jobs "$jobs" "$archive" .glov/llama-cuda
fi
export GLOV_LLAMA_LIBRARY=$PWD/.glov/llama-cuda

step "glov with ONNX Runtime's CUDA package"
dotnet build tests/Glov.LlamaCpp.Tests -c Release -p:GlovCuda=true -v quiet -nologo
dotnet build tests/Glov.Vision.Tests -c Release -p:GlovCuda=true -v quiet -nologo
dotnet build bench/Glov.Bench.Gpu -c Release -p:GlovCuda=true -v quiet -nologo
dotnet build src/Glov.Cli -c Release -p:GlovCuda=true -o .glov/bin-cuda -v quiet -nologo
glov=.glov/bin-cuda/glov

step "llama.cpp sees the GPU (the tests below run with device auto)"
mkdir -p .glov/models .glov/gpu-check
[[ -f .glov/models/stories260K.gguf ]] || "$glov" convert llama2c "$shared/models/stories260K/stories260K.bin" \
  "$shared/models/stories260K/tok512.bin" .glov/models/stories260K.gguf --chat-template chatml
[[ -d .glov/models/clip-tiny ]] || "$glov" vlm make-fixture --out .glov/models/clip-tiny --bpe "$shared/models/clip-bpe/bpe_simple_vocab_16e6.txt.gz"
"$glov" llm generate --model .glov/models/stories260K.gguf --prompt "Once upon a time" --raw --temperature 0 --max-tokens 12 --device cuda

step "steering oracles on the GPU (device auto = cuda:0 with this llama.cpp)"
dotnet test tests/Glov.LlamaCpp.Tests -c Release -p:GlovCuda=true --no-build \
  --filter "FullyQualifiedName~SteeringOracleTests|FullyQualifiedName~ProposerTests" --logger "console;verbosity=minimal"

step "scorer features on the GPU equal the CPU's (device auto = cuda:0 with this ONNX Runtime)"
dotnet test tests/Glov.Vision.Tests -c Release -p:GlovCuda=true --no-build \
  --filter "FullyQualifiedName~DeviceTests.Features_on_the_default_device" --logger "console;verbosity=minimal"

step "a 3-step optimize on the stand-ins, both engines on cuda"
"$glov" optimize --config configs/cifar10.yaml --name "gpu-check-$(date -u +%Y%m%d-%H%M%S)" --steps 3 \
  --runs-dir .glov/gpu-check --set "fitness.dataset=$shared/datasets/cifar10" --set guidance.force=true \
  --set proposer.device=cuda --set fitness.device=cuda 2>&1 | grep -E '^(device|step|final|stopped)'

step "one step, CPU vs GPU"
dotnet run -c Release -p:GlovCuda=true --no-build --project bench/Glov.Bench.Gpu -- --device cuda --dir .glov/gpu-check

echo; echo "gpu-check passed in $(( $(date +%s) - start )) s"
