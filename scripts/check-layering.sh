#!/usr/bin/env bash
# Fails on any #include that goes against the layers; CTest runs it as the test "layering".
#   scripts/check-layering.sh [SOURCE_ROOT]     (default: this repository)
# Scans every header and source file in engine/, federation/, coordinator/, app/ and ui/ (tests may include anything)
# and prints each breach as file:line: what is included, and the rule it breaks.
#
# The layers, from the bottom up (a layer includes only layers below it, and itself):
#   engine      fedmrg_engine: LibTorch and DCMTK only, never Qt, gRPC, protobuf, SQLite, VTK or OpenSSL.
#               Its folders depend downwards: core, text, labeler, metrics, imaging, model, infer, train;
#               datasets (real data-set loaders) may use any folder below train, and no folder uses it.
#   engine/synth  fedmrg_synth, the FL-MRG-Synth simulator: the engine only; only app/cli and tests use it.
#   federation  the engine only (no Qt, no SQLite).
#   coordinator the coordinator's server side (rounds, durable state on SQLite or PostgreSQL, certificates):
#               federation and the engine, never Qt; only app/programs, app/cli and tests include it, so
#               that the workstation never links its databases.
#   app/site    federation and the engine.
#   ui          app/site only, never the engine or federation directly.
#   app/cli, app/programs   composition roots: any layer, except that app/cli never includes ui and
#               app/programs never includes engine/synth; neither includes the other.
# fedmrg_version.h (generated) may be included by every layer above the engine.
# A header whose first lines carry the comment "// fedmrg:internal" belongs to its library alone: only
# files of that library (engine, or engine/synth), tests, and fedmrg-cli's bench and device-check
# commands (app/cli/cmd_bench*, app/cli/bench_common.*, app/cli/cmd_device_check.*) may include it.
#
# Plain bash, find and awk: runs on a fresh Debian without Python.
set -euo pipefail

root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$root"

folders=()
for folder in engine federation coordinator app ui; do
  if [[ -d $folder ]]; then folders+=("$folder"); fi
done
if ((${#folders[@]} == 0)); then
  echo "check-layering: no engine/, federation/, app/ or ui/ under $root" >&2
  exit 2
fi

mapfile -t files < <(find "${folders[@]}" -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.cpp' -o -name '*.cc' \) \
                       | LC_ALL=C sort)
if ((${#files[@]} == 0)); then
  echo "check-layering: no source files under $root" >&2
  exit 2
fi

LC_ALL=C awk '
BEGIN {
  # The engine folders, bottom first. datasets sits beside train: it may use everything below train.
  n_engine = split("core text labeler metrics imaging model infer train", engine_order, " ")
  for (i = 1; i <= n_engine; i++) rank[engine_order[i]] = i
  rank["datasets"] = rank["train"]
  n_includes = 0
  n_errors = 0
  for (i = 1; i < ARGC; i++) seen[ARGV[i]] = 1
}

FNR <= 5 && /^[ \t]*\/\/[ \t]*fedmrg:internal/ { internal[FILENAME] = 1 }

/^[ \t]*#[ \t]*include[ \t]*["<]/ {
  text = $0
  sub(/^[ \t]*#[ \t]*include[ \t]*/, "", text)
  open_char = substr(text, 1, 1)
  close_char = (open_char == "<") ? ">" : "\""
  rest = substr(text, 2)
  end = index(rest, close_char)
  if (end == 0) next
  n_includes++
  inc_file[n_includes] = FILENAME
  inc_line[n_includes] = FNR
  inc_name[n_includes] = substr(rest, 1, end - 1)
  inc_angle[n_includes] = (open_char == "<")
}

# The layer of a repository path: engine/<folder>, synth, federation, site, cli, programs, ui, version;
# "?<folder>" for a folder inside a layer that this script does not know; "" for no layer at all.
function layer_of(path,   n, p) {
  n = split(path, p, "/")
  if (p[1] == "engine") {
    if (n < 3) return "?engine"
    if (p[2] == "synth") return "synth"
    if (p[2] in rank) return "engine/" p[2]
    return "?engine/" p[2]
  }
  if (p[1] == "federation" && n >= 2) return "federation"
  if (p[1] == "fedmrg" && p[2] == "federation") return "federation"   # generated protobuf and gRPC code
  if (p[1] == "coordinator" && n >= 2) return "coordinator"
  if (p[1] == "app") {
    if (n < 3) return "?app"
    if (p[2] == "site") return "site"
    if (p[2] == "cli") return "cli"
    if (p[2] == "programs") return "programs"
    return "?app/" p[2]
  }
  if (p[1] == "ui" && n >= 2) return "ui"
  if (path == "fedmrg_version.h") return "version"
  return ""
}

function shown(layer) {
  if (layer == "synth") return "engine/synth"
  if (layer == "site") return "app/site"
  if (layer == "cli") return "app/cli"
  if (layer == "programs") return "app/programs"
  if (layer == "version") return "fedmrg_version.h"
  return layer
}

function is_engine(layer) { return substr(layer, 1, 7) == "engine/" }

function engine_below(folder,   i, list, limit) {
  limit = (folder == "datasets") ? rank["train"] : rank[folder]
  list = ""
  for (i = 1; i < limit; i++) list = list (list == "" ? "" : ", ") "engine/" engine_order[i]
  return list
}

function allowed(from, to,   f, t) {
  if (from == to) return 1
  if (is_engine(from)) {
    if (!is_engine(to)) return 0
    f = substr(from, 8); t = substr(to, 8)
    if (t == "datasets") return 0
    if (f == "datasets") return rank[t] < rank["train"]
    return rank[t] < rank[f]
  }
  if (from == "synth" || from == "federation") return is_engine(to)
  if (from == "coordinator") return is_engine(to) || to == "federation"
  if (to == "version") return 1
  if (from == "site") return is_engine(to) || to == "federation"
  if (from == "ui") return to == "site"
  if (from == "cli") return is_engine(to) || to == "synth" || to == "federation" || to == "coordinator" || to == "site"
  if (from == "programs") return is_engine(to) || to == "federation" || to == "coordinator" || to == "site" || to == "ui"
  return 0
}

function rule(from) {
  if (is_engine(from)) {
    if (engine_below(substr(from, 8)) == "") return shown(from) " is the bottom layer: it includes no other folder"
    return shown(from) " may include only " engine_below(substr(from, 8))
  }
  if (from == "synth") return "engine/synth (fedmrg_synth) may include only the engine"
  if (from == "federation") return "federation may include only the engine"
  if (from == "coordinator") return "coordinator may include only federation and the engine"
  if (from == "site") return "app/site may include only federation and the engine (never ui, engine/synth or the programs)"
  if (from == "ui") return "ui may include only app/site (never the engine or federation directly)"
  if (from == "cli") return "app/cli may include any layer but ui and app/programs"
  if (from == "programs") return "app/programs may include any layer but engine/synth and app/cli"
  return "unknown layer " from
}

# Third-party headers a layer must not use; "" when allowed.
function banned_library(from, name) {
  if (is_engine(from) || from == "synth") {
    if (name ~ /^Q/) return "Qt"
    if (name ~ /^grpc/) return "gRPC"
    if (name ~ /^google\/protobuf\//) return "protobuf"
    if (name ~ /^(sqlite3|sqlcipher)/) return "SQLite"
    if (name ~ /^vtk/) return "VTK"
    if (name ~ /^openssl\//) return "OpenSSL"
  }
  if (from == "coordinator") {
    if (name ~ /^Q/) return "Qt"
    if (name ~ /^vtk/) return "VTK"
  }
  if (from == "federation") {
    if (name ~ /^Q/) return "Qt"
    if (name ~ /^(sqlite3|sqlcipher)/) return "SQLite"
    if (name ~ /^vtk/) return "VTK"
  }
  return ""
}

function may_use_internal(file, from, header_layer,   base) {
  if (is_engine(header_layer)) { if (is_engine(from)) return 1 }
  else if (from == header_layer) return 1
  if (from == "cli") {
    base = file; sub(/.*\//, "", base)
    return base ~ /^(cmd_bench|bench_common\.|cmd_device_check\.)/
  }
  return 0
}

function report(file, line, message) {
  printf "%s:%d: %s\n", file, line, message
  n_errors++
}

END {
  for (f in seen) {
    layer = layer_of(f)
    if (substr(layer, 1, 1) == "?") {
      report(f, 1, "file in " substr(layer, 2) "/, a folder the layering does not know (add it to scripts/check-layering.sh)")
      bad_file[f] = 1
    }
  }
  for (i = 1; i <= n_includes; i++) {
    f = inc_file[i]; line = inc_line[i]; name = inc_name[i]
    if (f in bad_file) continue
    from = layer_of(f)
    if (inc_angle[i]) {
      lib = banned_library(from, name)
      if (lib != "") report(f, line, shown(from) " includes <" name "> (" lib "); " shown(from) " never uses " lib)
      continue
    }
    target = name
    if (index(name, "/") == 0 && name != "fedmrg_version.h") {
      # "x.h" is found next to the including file first.
      dir = f; sub(/\/[^\/]*$/, "", dir)
      target = dir "/" name
      if (!(target in seen)) {
        report(f, line, "includes \"" name "\", which is no file next to it: spell includes from the repository root")
        continue
      }
    }
    to = layer_of(target)
    if (to == "") {
      report(f, line, "includes \"" name "\", which is in no layer: spell includes from the repository root (engine/, federation/, app/, ui/)")
      continue
    }
    if (substr(to, 1, 1) == "?") {
      report(f, line, "includes \"" name "\" from " substr(to, 2) "/, a folder the layering does not know (add it to scripts/check-layering.sh)")
      continue
    }
    if (!allowed(from, to))
      report(f, line, shown(from) " includes " shown(to) " (\"" name "\"); " rule(from))
    if ((target in internal) && !may_use_internal(f, from, to))
      report(f, line, "includes \"" name "\", an internal header (// fedmrg:internal) of " \
             (is_engine(to) ? "the engine" : shown(to)) "; only its own library, tests and the bench and device-check commands of fedmrg-cli may include it")
  }
  n_files = 0
  for (f in seen) n_files++
  if (n_errors > 0) {
    printf "check-layering: %d breach(es) of the layering in %d files (rules: scripts/check-layering.sh)\n", n_errors, n_files
    exit 1
  }
  printf "check-layering: %d files, %d includes, no breach of the layering\n", n_files, n_includes
}
' "${files[@]}"
