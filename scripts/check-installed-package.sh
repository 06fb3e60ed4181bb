#!/usr/bin/env bash
# Installs the built .deb with dpkg, then runs the programs from the INSTALLED paths: `fedmrg
# --version` (no display needed), and `fedmrg-cli generate` on a study made by the installed
# `fedmrg-cli synth`, with no --model, so the installed default model in /usr/share/fedmrg must be
# found beside /usr/bin. Removes the package again at the end, also after a failure, so the machine
# is left as found. A package left installed by an earlier, killed run is replaced and removed too.
# Needs root or sudo. Usage: scripts/check-installed-package.sh BUILD_DIR (after check-package.sh)
set -euo pipefail
build=${1:?usage: check-installed-package.sh BUILD_DIR}
pkg=fedmrg-workstation
deb=$(ls -t "$build"/${pkg}_*.deb 2>/dev/null | head -n 1 || true)
[ -n "$deb" ] || { echo "installed: no ${pkg}_*.deb in $build (run scripts/check-package.sh first)"; exit 1; }
deb=$(readlink -f "$deb")
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n)
else echo "installed: needs root or password-less sudo to install $deb"; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
work=$(mktemp -d)
cleanup() {
  "${sudo[@]}" dpkg -r "$pkg" >"$work/remove.log" 2>&1 || { echo "installed: dpkg -r $pkg FAILED"; cat "$work/remove.log"; }
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then echo "installed: $pkg is STILL installed"
  else echo "installed: $pkg removed again"; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "installed: dpkg -i $deb"
if ! "${sudo[@]}" dpkg -i "$deb" >"$work/install.log" 2>&1; then
  # Missing dependencies leave the package unconfigured: apt fetches them and finishes the install.
  echo "installed: dpkg -i needs dependencies; apt-get -f install"
  "${sudo[@]}" apt-get install -f -y --no-install-recommends >>"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
fi
dpkg-query -W -f='${Status}\n' "$pkg" | grep -q "ok installed" || { cat "$work/install.log"; echo "installed: $pkg not installed"; exit 1; }
installed=$(date +%s)

status=0
check() {  # check NAME COMMAND...: runs it, keeps its output in $work/NAME.out, says whether it passed
  local name=$1; shift
  if "$@" >"$work/$name.out" 2>&1; then echo "installed: $name ok"; else echo "installed: $name FAILED: $*"; cat "$work/$name.out"; status=1; fi
}
# From a folder outside the checkout and the build, so nothing but the installed files can be found.
cd "$work"
check version env -u DISPLAY -u WAYLAND_DISPLAY /usr/bin/fedmrg --version
grep -q "fedmrg" "$work/version.out" && echo "installed: $(head -n 1 "$work/version.out")" || { echo "installed: --version printed no version"; status=1; }
check synth /usr/bin/fedmrg-cli synth --out "$work/synth" --studies-per-site 1 --size 512 --seed 7 --threads 2
study=$(ls "$work"/synth/site-a/images/*.dcm 2>/dev/null | head -n 1 || true)
if [ -z "$study" ]; then echo "installed: synth wrote no study"; status=1
else
  check generate /usr/bin/fedmrg-cli generate --json "$work/draft.json" "$study"
  model=/usr/share/fedmrg/models/default
  grep -q "^Model folder: $model " "$work/generate.out" || { echo "installed: generate did not use $model"; status=1; }
  grep -q "^DRAFT - machine-generated" "$work/generate.out" || { echo "installed: generate printed no draft"; status=1; }
  # The JSON (2-space indented): a draft with text, and the state of each of the 14 observations.
  if grep -q '"draft": true' "$work/draft.json" && grep -q '"text": "[^"]' "$work/draft.json" &&
     [ "$(grep -c '"state":' "$work/draft.json")" -eq 14 ]; then
    echo "installed: draft.json has the draft and 14 observations"
  else echo "installed: draft.json WRONG"; head -c 600 "$work/draft.json"; status=1; fi
fi
echo "installed: install took $((installed - start)) s, the checks $(( $(date +%s) - installed )) s"
exit $status
