#!/usr/bin/env bash
# Builds the .deb from a configured build folder and checks that it carries the three programs,
# the desktop entry, the icon, the default model with its chest gate statistics and provenance, the translations, and the copyright file with the project licence and the third-party
# notices. Usage: scripts/check-package.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: check-package.sh BUILD_DIR}
(cd "$build" && cpack -G DEB >cpack.log 2>&1) || { cat "$build/cpack.log"; exit 1; }
deb=$(ls -t "$build"/fedmrg-workstation_*.deb | head -n 1)
echo "package: $deb ($(du -h "$deb" | cut -f1))"
contents=$(dpkg-deb -c "$deb")
status=0
for f in ./usr/bin/fedmrg ./usr/bin/fedmrg-cli ./usr/bin/fedmrg-coordinator \
         ./usr/share/applications/fedmrg.desktop ./usr/share/icons/hicolor/scalable/apps/fedmrg.svg \
         ./usr/share/doc/fedmrg-workstation/copyright \
         ./usr/share/fedmrg/models/default/config.json ./usr/share/fedmrg/models/default/chest_gate.json \
         ./usr/share/fedmrg/models/default/provenance.json \
         ./usr/share/fedmrg/models/default/sites/site-d/specialized.safetensors; do
  if grep -q " ${f}\$" <<<"$contents"; then echo "package: has $f"; else echo "package: MISSING $f"; status=1; fi
done
# Translations: compiled into bin/fedmrg (ui/CMakeLists.txt). The packaged program's --help in a
# German locale (no display needed; its own settings folder, so no stored language interferes).
unpacked=$(mktemp -d)
dpkg-deb -x "$deb" "$unpacked"
if LC_ALL=de_DE.UTF-8 LANGUAGE= XDG_CONFIG_HOME="$unpacked/config" "$unpacked/usr/bin/fedmrg" --help 2>&1 |
  grep -q "FedMRG-Arbeitsstation"; then echo "package: fedmrg speaks German (embedded translations)"
else echo "package: fedmrg --help is not German under LC_ALL=de_DE.UTF-8: translations MISSING"; status=1; fi
rm -rf "$unpacked"
copyright=$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/doc/fedmrg-workstation/copyright 2>/dev/null || true)
for text in "Copyright (c) 2026 The FedMRG Workstation authors" "Copyright (c) 2018 Stanford Machine Learning Group" \
            "WordNet 3.0 Copyright 2006 by Princeton University"; do
  if grep -qF "$text" <<<"$copyright"; then echo "package: copyright has \"$text\""
  else echo "package: copyright LACKS \"$text\""; status=1; fi
done
echo "package: depends on $(dpkg-deb -f "$deb" Depends | tr ',' '\n' | wc -l) Debian packages"
exit $status
