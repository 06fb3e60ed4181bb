#!/usr/bin/env bash
# Fails when a UI string has no German or Chinese translation (or an English plural form is missing),
# listing each one. It never changes translations/: lupdate runs on copies of the .ts files, from the
# sources as they are now, so a new tr() string that nobody translated fails the test suite
# (ctest: ui/translations_complete). scripts/update-translations.sh updates the files themselves.
#   check-translations.sh LUPDATE GENERATE_PROJECT_SCRIPT LUPDATE_DIR TS_DIR
# LUPDATE_DIR is the build's ui/.lupdate folder, which holds the project inputs that CMake wrote.
set -euo pipefail
lupdate="$1" generate="$2" projects="$3" ts_dir="$4"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # project name, lupdate options, .ts file names
  local project="$1" options="$2"
  shift 2
  cmake -DIN_FILE="$projects/$project.cmake" -DOUT_FILE="$work/$project.json" -P "$generate" >/dev/null
  local files=()
  for f in "$@"; do
    cp "$ts_dir/$f" "$work/$f"
    files+=("$work/$f")
  done
  local out
  # shellcheck disable=SC2086  # the options are separate words
  out=$("$lupdate" -project "$work/$project.json" $options -ts "${files[@]}" 2>&1) || {
    echo "$out"
    exit 1
  }
}
run fedmrg_ui_project "-no-obsolete -locations none" fedmrg_de.ts fedmrg_zh_CN.ts
run fedmrg_ui_en_project "-no-obsolete -pluralonly -locations none" fedmrg_en.ts

status=0
for ts in "$work"/fedmrg_*.ts; do
  name=$(basename "$ts")
  if ! awk -v file="$name" '
      /<name>/ { sub(/.*<name>/, ""); sub(/<\/name>.*/, ""); context = $0 }
      /<source>/ { source = $0; sub(/.*<source>/, "", source); sub(/<\/source>.*/, "", source) }
      /type="unfinished"/ || /<numerusform><\/numerusform>/ || /<numerusform\/>/ {
        printf "%s: [%s] %s\n", file, context, source; n++ }
      END { exit n > 0 }' "$ts"; then
    status=1
  fi
  # A string the sources no longer use is dropped by -no-obsolete: the committed file should not hold it.
  if ! cmp -s "$ts" "$ts_dir/$name"; then
    echo "$name: differs from what lupdate makes of the sources now (run scripts/update-translations.sh)"
    status=1
  fi
done
if [ "$status" -eq 0 ]; then echo "check-translations: every UI string is translated (de, zh_CN; en plurals)"; fi
exit "$status"
