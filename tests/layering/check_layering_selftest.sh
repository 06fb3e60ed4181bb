#!/usr/bin/env bash
# The test of the layering test: scripts/check-layering.sh passes a small clean tree that uses every layer
# the way it may, and fails, naming file:line and the rule, once any one wrong include is added to it.
#   tests/layering/check_layering_selftest.sh [TEMP_PARENT]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
checker="$here/../../scripts/check-layering.sh"
parent=${1:-${FEDMRG_TEST_TMP:-${TMPDIR:-/tmp}}}
mkdir -p "$parent"
work=$(mktemp -d "$parent/layering-selftest.XXXXXX")
trap 'rm -rf "$work"' EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# write <path> <line>...: a file of the fixture, one argument per line.
write() {
  local path=$1; shift
  mkdir -p "$(dirname "$clean/$path")"
  printf '%s\n' "$@" > "$clean/$path"
}

clean="$work/clean"
write engine/core/base.h         '#pragma once' '#include <vector>' '#include <torch/torch.h>'
write engine/text/tokens.h       '#pragma once' '#include "engine/core/base.h"'
write engine/labeler/labels.h    '#pragma once' '#include "engine/text/tokens.h"'
write engine/metrics/score.h     '#pragma once' '#include "engine/labeler/labels.h"'
write engine/imaging/image.h     '#pragma once' '#include <dcmtk/dcmdata/dctk.h>' '#include "engine/core/base.h"'
write engine/model/net.h         '#pragma once' '#include "engine/metrics/score.h"' '#include "engine/imaging/image.h"'
write engine/infer/fast.h        '// fedmrg:internal' '#pragma once' '#include "engine/model/net.h"'
write engine/infer/gen.h         '#pragma once' '#include "engine/model/net.h"'
write engine/infer/gen.cpp       '#include "engine/infer/gen.h"' '#include "engine/infer/fast.h"' '#include "local.h"'
write engine/infer/local.h       '#pragma once'
write engine/train/trainer.h     '#pragma once' '#include "engine/infer/gen.h"' '#include "engine/infer/fast.h"'
write engine/datasets/loader.h   '#pragma once' '#include "engine/infer/gen.h"'
write engine/synth/sim.h         '#pragma once' '#include "engine/train/trainer.h"'
write engine/synth/sim.cpp       '#include "engine/synth/sim.h"' '#include "engine/synth/random.h"'
write engine/synth/random.h      '// fedmrg:internal' '#pragma once'
write federation/link.h          '#pragma once' '#include <grpcpp/grpcpp.h>' '#include "engine/core/base.h"' \
                                 '#include "fedmrg/federation/v1/federation.pb.h"'
write coordinator/rounds.h       '#pragma once' '#include <libpq-fe.h>' '#include "federation/link.h"' '#include "engine/core/base.h"'
write app/site/site.h            '#pragma once' '#include <QString>' '#include "federation/link.h"' \
                                 '#include "engine/infer/gen.h"'
write ui/window.h                '#pragma once' '#include <QWidget>' '#include "app/site/site.h"' '#include "fedmrg_version.h"'
write app/programs/main.cpp      '#include "ui/window.h"' '#include "app/site/site.h"' '#include "engine/core/base.h"' \
                                 '#include "coordinator/rounds.h"'
write app/cli/cmd_run.cpp        '#include "engine/synth/sim.h"' '#include "app/site/site.h"' '#include "fedmrg_version.h"'
write app/cli/cmd_bench_decoder.cpp '#include "engine/infer/fast.h"'
write app/cli/cmd_device_check.cpp  '#include "engine/infer/fast.h"'

if out=$(bash "$checker" "$clean" 2>&1); then
  echo "ok: the clean tree passes ($out)"
else
  fail "the clean tree was refused:"; echo "$out"
fi

# breach <name> <file> <include line> <expected message>: the clean tree with one line added at the end of
# <file> must fail, and the report must name <file>:<that line> with <expected message>.
breach() {
  local name=$1 file=$2 include=$3 expected=$4
  local tree="$work/$name"
  cp -R "$clean" "$tree"
  mkdir -p "$(dirname "$tree/$file")"
  printf '%s\n' "$include" >> "$tree/$file"
  local line
  line=$(wc -l < "$tree/$file")
  local out rc=0
  out=$(bash "$checker" "$tree" 2>&1) || rc=$?
  if ((rc != 1)); then
    fail "$name: the checker exited with $rc, not 1, after adding $include to $file"; echo "$out"
  elif ! grep -qF -- "$file:$line: $expected" <<< "$out"; then
    fail "$name: no \"$file:$line: $expected\" in the report:"; echo "$out"
  elif (($(grep -c '' <<< "$out") != 2)); then
    fail "$name: more than the one breach reported:"; echo "$out"
  else
    echo "ok: $name is refused: $(head -n 1 <<< "$out")"
  fi
}

breach model_includes_infer engine/model/net.h '#include "engine/infer/gen.h"' \
  'engine/model includes engine/infer ("engine/infer/gen.h"); engine/model may include only engine/core, engine/text, engine/labeler, engine/metrics, engine/imaging'
breach core_includes_text engine/core/base.h '#include "engine/text/tokens.h"' \
  'engine/core includes engine/text ("engine/text/tokens.h"); engine/core is the bottom layer: it includes no other folder'
breach train_includes_datasets engine/train/trainer.h '#include "engine/datasets/loader.h"' \
  'engine/train includes engine/datasets'
breach datasets_includes_train engine/datasets/loader.h '#include "engine/train/trainer.h"' \
  'engine/datasets includes engine/train'
breach engine_includes_synth engine/train/trainer.h '#include "engine/synth/sim.h"' \
  'engine/train includes engine/synth ("engine/synth/sim.h")'
breach engine_includes_app engine/infer/gen.h '#include "app/site/site.h"' \
  'engine/infer includes app/site'
breach engine_includes_qt engine/core/base.h '#include <QString>' \
  'engine/core includes <QString> (Qt); engine/core never uses Qt'
breach engine_includes_sqlite engine/model/net.h '#include <sqlite3.h>' \
  'engine/model includes <sqlite3.h> (SQLite)'
breach synth_includes_federation engine/synth/sim.h '#include "federation/link.h"' \
  'engine/synth includes federation ("federation/link.h"); engine/synth (fedmrg_synth) may include only the engine'
breach federation_includes_site federation/link.h '#include "app/site/site.h"' \
  'federation includes app/site ("app/site/site.h"); federation may include only the engine'
breach site_includes_coordinator app/site/site.h '#include "coordinator/rounds.h"' \
  'app/site includes coordinator ("coordinator/rounds.h"); app/site may include only federation and the engine'
breach federation_includes_coordinator federation/link.h '#include "coordinator/rounds.h"' \
  'federation includes coordinator'
breach coordinator_includes_site coordinator/rounds.h '#include "app/site/site.h"' \
  'coordinator includes app/site ("app/site/site.h"); coordinator may include only federation and the engine'
breach coordinator_includes_qt coordinator/rounds.h '#include <QString>' \
  'coordinator includes <QString> (Qt)'
breach site_includes_ui app/site/site.h '#include "ui/window.h"' \
  'app/site includes ui ("ui/window.h"); app/site may include only federation and the engine'
breach site_includes_synth app/site/site.h '#include "engine/synth/sim.h"' \
  'app/site includes engine/synth'
breach site_includes_cli app/site/site.h '#include "app/cli/cli.h"' \
  'app/site includes app/cli'
breach ui_includes_engine ui/window.h '#include "engine/imaging/image.h"' \
  'ui includes engine/imaging ("engine/imaging/image.h"); ui may include only app/site (never the engine or federation directly)'
breach ui_includes_federation ui/window.h '#include "federation/link.h"' \
  'ui includes federation'
breach cli_includes_ui app/cli/cmd_run.cpp '#include "ui/window.h"' \
  'app/cli includes ui ("ui/window.h"); app/cli may include any layer but ui and app/programs'
breach workstation_includes_synth app/programs/main.cpp '#include "engine/synth/sim.h"' \
  'app/programs includes engine/synth'
breach site_includes_internal app/site/site.h '#include "engine/infer/fast.h"' \
  'includes "engine/infer/fast.h", an internal header (// fedmrg:internal) of the engine'
breach cli_command_includes_internal app/cli/cmd_run.cpp '#include "engine/infer/fast.h"' \
  'includes "engine/infer/fast.h", an internal header (// fedmrg:internal) of the engine'
breach cli_includes_synth_internal app/cli/cmd_run.cpp '#include "engine/synth/random.h"' \
  'includes "engine/synth/random.h", an internal header (// fedmrg:internal) of engine/synth'
breach unknown_path app/site/site.h '#include "third_party/x.h"' \
  'includes "third_party/x.h", which is in no layer'
breach unknown_engine_folder engine/model/net.h '#include "engine/extra/x.h"' \
  'includes "engine/extra/x.h" from engine/extra/, a folder the layering does not know'

if ((failures > 0)); then
  echo "$failures check(s) of the layering checker failed"
  exit 1
fi
echo "the layering checker passes the clean tree and refuses every breach"
