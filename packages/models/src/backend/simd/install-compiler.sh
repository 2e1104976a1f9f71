#!/usr/bin/env bash
# Installs the compiler that builds kernels.c: Debian bookworm's clang 14 and lld 14 (wasm-ld),
# the versions the embedded kernels-binary.ts records. Idempotent; says what it does.
set -euo pipefail
say() { echo "install-compiler: $*"; }
if command -v clang-14 >/dev/null && command -v wasm-ld-14 >/dev/null && command -v llvm-objdump-14 >/dev/null; then
  say "$(clang-14 --version | head -1) and wasm-ld-14 already installed"
  exit 0
fi
command -v apt-get >/dev/null || { say "no apt-get: install clang 14 and lld 14 (wasm-ld) yourself, or set CLANG"; exit 1; }
sudo_cmd=; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
say "apt-get install clang-14 lld-14 llvm-14 (Debian bookworm: 1:14.0.6-12, "Debian clang version 14.0.6")"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq clang-14 lld-14 llvm-14 >/dev/null
say "installed $(clang-14 --version | head -1)"
