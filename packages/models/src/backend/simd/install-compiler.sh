#!/usr/bin/env bash
# Installs the compilers that build kernels.c: Debian bookworm's clang 14 and lld 14 (wasm-ld), and
# clang 19 + lld 19 for the relaxed-SIMD builds (clang 14 emits a pre-standard FMA opcode), the
# versions the embedded kernels-binary.ts records. Idempotent; says what it does.
set -euo pipefail
say() { echo "install-compiler: $*"; }
if command -v clang-14 >/dev/null && command -v wasm-ld-14 >/dev/null && command -v llvm-objdump-14 >/dev/null \
  && command -v clang-19 >/dev/null && command -v wasm-ld-19 >/dev/null && [ -x /usr/lib/llvm-19/bin/llvm-objdump ]; then
  say "$(clang-14 --version | head -1), $(clang-19 --version | head -1) and their wasm-ld already installed"
  exit 0
fi
command -v apt-get >/dev/null || { say "no apt-get: install clang 14 and lld 14 (wasm-ld) yourself, or set CLANG"; exit 1; }
sudo_cmd=; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
say "apt-get install clang-14 lld-14 llvm-14 clang-19 lld-19 llvm-19 (Debian bookworm: 1:14.0.6-12 and 1:19.1.7-3~deb12u1)"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq clang-14 lld-14 llvm-14 clang-19 lld-19 llvm-19 >/dev/null
say "installed $(clang-14 --version | head -1) and $(clang-19 --version | head -1)"
