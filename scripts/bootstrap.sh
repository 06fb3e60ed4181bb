#!/usr/bin/env bash
# Installs every Debian 12 package that the build, the tests and the demo need.
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ca-certificates ccache git file
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev libgl-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-charts-dev qt6-svg-dev
  libtorch-dev libopenblas0
  libdcmtk-dev dcmtk libopenjp2-7-dev
  libvtk9-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc libssl-dev libzstd-dev
  libsqlcipher-dev sqlcipher
  libpq-dev postgresql-15
  xvfb xauth libgl1-mesa-dri mesa-utils x11-apps imagemagick
  wordnet-base
  dpkg-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "bootstrap: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# libvtk9-qt-dev is deliberately absent: Debian builds VTK's Qt module against Qt5 (docs/design.md, section 6).
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "bootstrap: done"
