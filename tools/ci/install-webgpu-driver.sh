#!/usr/bin/env bash
# Installs what the webgpu test suite needs on a Debian bookworm machine without a GPU: Mesa's
# lavapipe (a Vulkan driver on the CPU) from bookworm-backports, since bookworm's own Mesa 22.3
# lacks a Vulkan feature Dawn (the `webgpu` npm package) requires. Idempotent; says what it does.
# Elsewhere (no apt, no root, another distribution) it says why it did nothing: the webgpu suite
# then skips, saying why. A machine with a GPU and its Vulkan driver needs none of this.
set -euo pipefail
say() { echo "install-webgpu-driver: $*"; }
if ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 && dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q bpo; then
  say "lavapipe from bookworm-backports already installed ($(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)), nothing to do"
  exit 0
fi
if ! command -v apt-get >/dev/null || [ "$(. /etc/os-release && echo "${VERSION_CODENAME:-}")" != bookworm ]; then
  say "not Debian bookworm: not installing lavapipe (the webgpu suite will skip unless a WebGPU adapter exists)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  sudo_cmd=sudo
  command -v sudo >/dev/null || { say "not root and no sudo: not installing lavapipe (the webgpu suite will skip)"; exit 0; }
else
  sudo_cmd=
fi
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  say "adding the bookworm-backports suite (/etc/apt/sources.list.d/bookworm-backports.sources)"
  printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    | $sudo_cmd tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null
fi
say "apt-get install -t bookworm-backports mesa-vulkan-drivers (lavapipe, for the webgpu suite)"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers >/dev/null
say "installed mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
