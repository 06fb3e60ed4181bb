#!/usr/bin/env bash
# Refreshes translations/*.ts from the sources and fails while any entry is unfinished, listing each
# one (file, context, English text), so that new UI strings after a merge are found and translated.
#   scripts/update-translations.sh [PRESET]     (default: ci; the build folder is build/PRESET)
# It runs lupdate through CMake (the targets update_translations = fedmrg_ui_lupdate for German and
# Chinese, fedmrg_ui_en_lupdate for the English plural forms), which adds new strings as unfinished and
# drops strings no source uses any more. Translate with Qt Linguist (linguist translations/fedmrg_de.ts)
# or in a text editor: fill <translation> and remove type="unfinished". Then run this again; the next
# build embeds the .qm files (docs/workstation.md, "Translations").
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target update_translations

# An entry is unfinished when its <translation> says so (new, or changed in the source) or, for a
# plural (numerus) entry, when a form is empty.
status=0
for ts in translations/fedmrg_*.ts; do
  report=$(awk -v file="$ts" '
    /<name>/ { sub(/.*<name>/, ""); sub(/<\/name>.*/, ""); context = $0 }
    /<source>/ { source = $0; sub(/.*<source>/, "", source); sub(/<\/source>.*/, "", source) }
    /type="unfinished"/ || /<numerusform><\/numerusform>/ || /<numerusform\/>/ {
      printf "%s: [%s] %s\n", file, context, source; n++ }
    END { exit n > 0 }' "$ts") || {
    echo "$report"
    status=1
  }
done
if [ "$status" -ne 0 ]; then
  echo "update-translations: the entries above are unfinished; translate them and run this again." >&2
  exit 1
fi
echo "update-translations: every entry of $(ls translations/fedmrg_*.ts | xargs -n1 basename | tr '\n' ' ')is translated."
