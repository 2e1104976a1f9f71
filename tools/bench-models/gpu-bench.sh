#!/usr/bin/env bash
# One command for a GPU machine: checks the GPU and its Vulkan driver, installs the workspace,
# runs the benchmark on webgpu (Dawn on Vulkan) and on wasm beside it, and writes the report with
# the GPU named. Run from the repository root on the GPU machine:
#   RLGF_HUB_MIRROR=../shared/hub bash tools/bench-models/gpu-bench.sh [report.md] [extra bench flags]
# Needs the GPU's Vulkan driver (NVIDIA: the proprietary driver ships its Vulkan ICD; AMD/Intel:
# Mesa's mesa-vulkan-drivers). Fails in one line, saying what is missing, where there is no GPU.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-docs/results/performance-gpu-$(date -u +%Y%m%d).md}"
shift || true
say() { echo "gpu-bench: $*" >&2; }
gpu="unknown GPU"
if command -v nvidia-smi >/dev/null; then
  gpu="$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | head -1)"
elif command -v lspci >/dev/null; then
  gpu="$(lspci | grep -iE 'vga|3d|display' | head -1 | cut -d: -f3- | sed 's/^ //')"
fi
say "GPU: ${gpu}"
compgen -G '/usr/share/vulkan/icd.d/*.json' >/dev/null || compgen -G '/etc/vulkan/icd.d/*.json' >/dev/null || { say "no Vulkan driver (no ICD file in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d): install the GPU's Vulkan driver"; exit 1; }
[ -d node_modules/webgpu ] || { say "npm ci (the webgpu package carries Dawn's binary)"; npm ci --no-audit --no-fund; }
adapter="$(npx tsx -e "import('@rlgf/models').then(async (m) => console.log(await m.webGpuAdapterDescription())).catch((e) => { console.error(e.message); process.exit(1); })" | tail -1)" \
  || { say "Dawn found no WebGPU adapter on this machine: check the Vulkan driver (vulkaninfo --summary)"; exit 1; }
case "$adapter" in *llvmpipe*|*lavapipe*) say "the adapter is Mesa lavapipe (a CPU), not a GPU: ${adapter}"; exit 1 ;; esac
say "WebGPU adapter: ${adapter}"
tmp="$(mktemp -d)"
say "benchmark on webgpu (then wasm on the same machine), report to ${out}"
npm run bench:models -- --backend webgpu --threads 1 --skip-rl --out "$tmp/webgpu.md" "$@"
npm run bench:models -- --backend wasm --skip-rl --out "$tmp/wasm.md" "$@"
{
  echo "# @rlgf/models on a GPU machine: webgpu (Dawn on Vulkan) and wasm"
  echo
  echo "GPU: ${gpu}; WebGPU adapter: ${adapter}; $(date -u +%Y-%m-%dT%H:%MZ); commit $(git rev-parse --short HEAD)."
  echo "Command: \`bash tools/bench-models/gpu-bench.sh $*\`"
  echo
  echo "## webgpu"
  echo
  cat "$tmp/webgpu.md"
  echo
  echo "## wasm on the same machine"
  echo
  cat "$tmp/wasm.md"
} > "$out"
say "wrote ${out}"
