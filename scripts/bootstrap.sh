#!/usr/bin/env bash
# Installs every Debian 12 package that the build, the tests and the demo need.
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ca-certificates ccache git file
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev libgl-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n qt6-charts-dev qt6-svg-dev
  fonts-wqy-microhei
  libtorch-dev libopenblas0
  libdcmtk-dev dcmtk libopenjp2-7-dev libjpeg62-turbo-dev
  libvtk9-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc libssl-dev libzstd-dev
  libsqlcipher-dev sqlcipher
  libpq-dev postgresql-15
  orthanc
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
# orthanc: the PACS the integration tests talk DICOM to. The tests start their own instance with a
# configuration they write (free ports, loopback); the system service the package installs is not
# wanted. Where systemd runs, stop and disable it; in a container without systemd the package's
# postinst cannot start it (invoke-rc.d is refused or absent) and leaves only the unit's symlink.
if printf '%s\n' "${missing[@]}" | grep -qx orthanc; then
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now orthanc.service || true
  elif command -v service >/dev/null; then
    $SUDO service orthanc stop >/dev/null 2>&1 || true
  fi
fi
echo "bootstrap: done"
