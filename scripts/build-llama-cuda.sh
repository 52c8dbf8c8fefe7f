#!/usr/bin/env bash
# Builds llama.cpp's shared libraries (libllama.so, libmtmd.so, libggml*.so) for glov to load instead of
# LLamaSharp's bundled CPU build: set proposer.native_library (or GLOV_LLAMA_LIBRARY) to the output folder.
# Build the llama.cpp version LLamaSharp 0.30.0 binds (../shared/vendor/llama.cpp holds it); this script
# takes any source folder or archive and never downloads anything.
#
#   scripts/build-llama-cuda.sh [--cpu] [--no-amx] [--tools] [--jobs N] SOURCE [OUT]
#
#   SOURCE    a llama.cpp source folder, or an archive of one (.tar, .tar.gz, .tar.xz, ...)
#   OUT       where the libraries go (default: .glov/llama-cuda, or .glov/llama-cpu with --cpu)
#   --cpu     a CPU build for this machine's instruction set (GGML_NATIVE) instead of a CUDA build
#   --no-amx  keep AMX instructions out of a native CPU build (CPUs that advertise AMX but fault on it)
#   --tools   also build llama.cpp's llama-batched-bench into OUT (the speed reference bench/ compares against)
#   --jobs N  parallel compile jobs (default: all cores)
#
# A CUDA build needs the CUDA toolkit (nvcc on PATH, or CUDA_HOME) and is compiled for the GPUs present
# (CMAKE_CUDA_ARCHITECTURES=native); set CUDA_ARCHITECTURES (e.g. "80;90") to build for others.
# Extra CMake arguments: LLAMA_CMAKE_ARGS.
set -euo pipefail

die() { echo "build-llama-cuda.sh: $*" >&2; exit 2; }

cpu=0 noamx=0 tools=0 jobs=$(nproc)
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --cpu) cpu=1 ;;
    --no-amx) noamx=1 ;;
    --tools) tools=1 ;;
    --jobs) [[ $# -ge 2 ]] || die "--jobs needs a number"; jobs=$2; shift ;;
    --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
[[ $# -ge 1 && $# -le 2 ]] || die "usage: build-llama-cuda.sh [--cpu] [--no-amx] [--tools] [--jobs N] SOURCE [OUT]"
source_path=$1
out=${2:-.glov/llama-$([[ $cpu == 1 ]] && echo cpu || echo cuda)}
command -v cmake >/dev/null || die "cmake not found (apt-get install cmake)"
if [[ $cpu == 0 ]]; then
  nvcc=$(command -v nvcc || true)
  [[ -n $nvcc ]] || { [[ -x ${CUDA_HOME:-/usr/local/cuda}/bin/nvcc ]] && nvcc=${CUDA_HOME:-/usr/local/cuda}/bin/nvcc; }
  [[ -n $nvcc ]] || die "nvcc not found: install the CUDA toolkit, put nvcc on PATH or set CUDA_HOME (or build with --cpu)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/glov-llama-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ -f $source_path ]]; then
  echo "unpacking $source_path"
  tar -xf "$source_path" -C "$work" || die "$source_path: not an archive tar can read"
  header=$(find "$work" -maxdepth 3 -path '*/include/llama.h' -print -quit)
  [[ -n $header ]] || die "$source_path: the archive holds no llama.cpp source tree (no include/llama.h)"
  root=${header%/include/llama.h}
elif [[ -d $source_path ]]; then
  root=$(cd "$source_path" && pwd)
else
  die "$source_path: no such folder or archive"
fi
[[ -f $root/include/llama.h && -f $root/CMakeLists.txt ]] || die "$source_path: not a llama.cpp source tree (no include/llama.h)"

args=(
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON
  # The libraries (and with --tools the batched bench): no tests, server or web UI (whose prebuilt variant would download).
  -DLLAMA_BUILD_COMMON=$([[ $tools == 1 ]] && echo ON || echo OFF) -DLLAMA_BUILD_TESTS=OFF
  -DLLAMA_BUILD_TOOLS=$([[ $tools == 1 ]] && echo ON || echo OFF) -DLLAMA_BUILD_EXAMPLES=OFF
  -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF
  -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_MTMD=ON
  # The libraries find each other beside themselves wherever they are copied, like LLamaSharp's.
  '-DCMAKE_BUILD_RPATH=$ORIGIN' -DCMAKE_BUILD_RPATH_USE_ORIGIN=ON
  -DGGML_NATIVE=ON
)
if [[ $cpu == 1 ]]; then
  if [[ $noamx == 1 ]]; then
    args+=("-DCMAKE_C_FLAGS=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16" "-DCMAKE_CXX_FLAGS=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16")
  fi
else
  args+=(-DGGML_CUDA=ON "-DCMAKE_CUDA_COMPILER=$nvcc" "-DCMAKE_CUDA_ARCHITECTURES=${CUDA_ARCHITECTURES:-native}" -DGGML_CUDA_NCCL=OFF)
fi
# shellcheck disable=SC2206
args+=(${LLAMA_CMAKE_ARGS:-})

echo "configuring $root ($([[ $cpu == 1 ]] && echo CPU || echo "CUDA, $nvcc"))"
cmake -S "$root" -B "$work/build" "${args[@]}" > "$work/configure.log" 2>&1 || { tail -30 "$work/configure.log" >&2; die "cmake configure failed (log above)"; }
echo "compiling with $jobs jobs"
targets=(llama mtmd)
[[ $tools == 1 ]] && targets+=(llama-batched-bench)
cmake --build "$work/build" -j "$jobs" --target "${targets[@]}" > "$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; die "compile failed (log above)"; }

mkdir -p "$out"
find "$work/build/bin" -maxdepth 1 \( -name 'lib*.so*' -o -name 'llama-batched-bench' \) -exec cp -P {} "$out/" \;
[[ -f $out/libllama.so ]] || die "the build produced no libllama.so"
if [[ $cpu == 0 ]]; then
  [[ -f $out/libggml-cuda.so ]] || die "the build produced no libggml-cuda.so: CUDA was not enabled"
fi
out=$(cd "$out" && pwd)
echo "built: $(ls "$out" | tr '\n' ' ')"
echo "use it:  export GLOV_LLAMA_LIBRARY=$out   (or proposer.native_library: $out)"
