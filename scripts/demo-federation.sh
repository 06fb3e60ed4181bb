#!/usr/bin/env bash
# The demo federation (docs/workstation.md, "Demo federation"): a local coordinator and two simulated peer
# sites, real processes on loopback with mutual TLS, around a command (the workstation). Once per demo
# folder it makes a consortium CA with certificates for the demo site and the two peers, the coordinator's
# config (state on SQLite in the folder) and each peer's own synthetic data. On every run it starts the
# coordinator (a free loopback port) and the peers in the background, logs in DIR/federation/logs, runs
# the command, and stops all of them when the command ends or the script is interrupted.
#
# Usage: scripts/demo-federation.sh --dir DEMO_DIR --bin BUILD_DIR --model MODEL_DIR [--] COMMAND [ARGS...]
#   BUILD_DIR holds app/cli/fedmrg-cli and app/programs/fedmrg-coordinator (build/release, build/ci).
#   In COMMAND's arguments, @FEDERATION@ becomes DEMO_DIR/federation (what `fedmrg --demo-federation` reads)
#   and @COORDINATOR@ the coordinator's address, 127.0.0.1:PORT.
# Environment: FEDMRG_DEMO_PEER_DELAY_MS (default 15000): each peer's pause before its synthetic training (when
#   fedmrg-cli federate has no --train engine), so that rounds without the workstation come every 15 s or so, not
#   hundreds a minute; FEDMRG_DEMO_DEADLINE_S (default 240): a round closes with the sites that uploaded by then
#   (the workstation is dropped from a round it is too slow for).
set -euo pipefail

die() { echo "demo-federation: $*" >&2; exit 2; }

demo="" bin="" model=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) demo=${2:?"--dir needs a folder"}; shift 2 ;;
    --bin) bin=${2:?"--bin needs the build folder"}; shift 2 ;;
    --model) model=${2:?"--model needs a model folder"}; shift 2 ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
done
[ -n "$demo" ] || die "--dir DEMO_DIR is required"
[ -n "$bin" ] || die "--bin BUILD_DIR is required"
[ -n "$model" ] || die "--model MODEL_DIR is required"
[ $# -gt 0 ] || die "no command to run (the workstation)"
cli="$bin/app/cli/fedmrg-cli"
coordinator="$bin/app/programs/fedmrg-coordinator"
for p in "$cli" "$coordinator"; do [ -x "$p" ] || die "$p: not built (cmake --build ... --target $(basename "$p"))"; done
[ -f "$model/config.json" ] || die "$model: not a model folder (no config.json)"

mkdir -p "$demo"
demo=$(cd "$demo" && pwd)
model=$(cd "$model" && pwd)
fed="$demo/federation"
ca="$fed/ca"
logs="$fed/logs"
peers=(peer-b peer-c)  # each trains like FL-MRG-Synth's site of the same letter, on data of its own seed
declare -A peerSeed=([peer-b]=1002 [peer-c]=1003)
peer_delay_ms="${FEDMRG_DEMO_PEER_DELAY_MS:-15000}"
deadline_s="${FEDMRG_DEMO_DEADLINE_S:-240}"

# ---- once per demo folder --------------------------------------------------------------------------------
if [ ! -f "$fed/.complete" ]; then
  echo "demo-federation: setting up the consortium in $fed"
  rm -rf "$fed"
  mkdir -p "$fed" "$logs"
  "$coordinator" certs init --dir "$ca" --name fedmrg-demo >"$logs/setup.log"
  "$coordinator" certs issue-coordinator --dir "$ca" --host 127.0.0.1 --host localhost >>"$logs/setup.log"
  for site in demo-site "${peers[@]}"; do
    "$coordinator" certs issue-site --dir "$ca" --site "$site" >>"$logs/setup.log"
  done
  for peer in "${peers[@]}"; do
    mkdir -p "$fed/peers/$peer"
    "$cli" synth --out "$fed/peers/$peer/data" --studies-per-site 8 --size 256 --seed "${peerSeed[$peer]}" \
      --threads 2 >>"$logs/setup.log" 2>&1
  done
  touch "$fed/.complete"
fi

# ---- every run --------------------------------------------------------------------------------------------
mkdir -p "$logs"
# Written on every run: the model folder or the deadline may have changed since the last one.
cat >"$fed/coordinator.conf" <<EOF
# The demo federation's coordinator (scripts/demo-federation.sh). Port 0: the system picks a free one.
listen = 127.0.0.1:0
tls_cert = $ca/coordinator/cert.pem
tls_key = $ca/coordinator/key.pem
tls_ca = $ca/ca.pem
state = sqlite:$fed/coordinator.db
upload_dir = $fed/uploads
model = $model
strategy = fedmrg
# Rounds keep coming: two peers are enough for one, and it waits for the workstation until the deadline.
min_sites = 2
fraction = 1.0
deadline_seconds = $deadline_s
max_rounds = 100000
allowed_sites = demo-site, ${peers[0]}, ${peers[1]}
EOF
if [ -f "$ca/crl.pem" ]; then echo "tls_crl = $ca/crl.pem" >>"$fed/coordinator.conf"; fi

processes="$fed/processes.txt"  # "name pid" of every background process of this run (kept after the stop)
: >"$processes"
pids=()
command_pid=""

stop_all() {
  trap - EXIT INT TERM HUP
  if [ -n "$command_pid" ] && kill -0 "$command_pid" 2>/dev/null; then kill -TERM "$command_pid" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # A clean stop takes a moment (the coordinator closes its store); after 10 s what is left is killed.
  for _ in $(seq 1 100); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "demo-federation: coordinator and peers stopped (logs in $logs)"
}
trap 'stop_all; exit $rc' EXIT
trap 'rc=130; exit 130' INT
trap 'rc=143; exit 143' TERM HUP
rc=0

# The coordinator's port: the last run's when it is free (the demo site keeps its settings), else any free one.
start_coordinator() {  # $1: the port to ask for (0: any); sets coordinator_pid and port
  "$coordinator" --config "$fed/coordinator.conf" --listen "127.0.0.1:$1" >"$logs/coordinator.out" \
    2>"$logs/coordinator.log" &
  coordinator_pid=$!
  pids+=("$coordinator_pid")  # stopped with the rest if the script is interrupted now
  port=""
  for _ in $(seq 1 300); do
    port=$(sed -n 's/^fedmrg-coordinator: listening on port \([0-9]*\)$/\1/p' "$logs/coordinator.out" || true)
    [ -n "$port" ] && return 0
    kill -0 "$coordinator_pid" 2>/dev/null || { wait "$coordinator_pid" || true; return 1; }
    sleep 0.1
  done
  kill -KILL "$coordinator_pid" 2>/dev/null || true
  wait "$coordinator_pid" 2>/dev/null || true
  return 1
}
last_port=$(sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p' "$fed/coordinator.address" 2>/dev/null || true)
if ! { [ -n "$last_port" ] && start_coordinator "$last_port"; }; then
  start_coordinator 0 || { rc=1; tail -5 "$logs/coordinator.log" >&2; die "the coordinator did not start"; }
fi
echo "coordinator $coordinator_pid" >>"$processes"
address="127.0.0.1:$port"
echo "$address" >"$fed/coordinator.address"

# The peers train with the engine on their own data when fedmrg-cli federate can (--train engine), else its
# synthetic training, paced by a pause. Low priority and one thread each: the workstation comes first.
engine_training=0
if "$cli" federate --help 2>&1 | grep -q -- '--train '; then engine_training=1; fi
row=0
for peer in "${peers[@]}"; do
  certs="$ca/sites/$peer"
  row=$((row + 1))  # row 0 of the prototype table is the demo site's
  if [ $engine_training = 1 ]; then
    training=(--train engine --model "$model" --data "$fed/peers/$peer/data" --site "site-${peer#peer-}"
              --row "$row" --num-sites 3 --threads 1 --steps 10)
  else
    training=(--train-delay-ms "$peer_delay_ms")
  fi
  nice -n 10 "$cli" federate --coordinator "$address" --site-id "$peer" --state "$fed/peers/$peer/state" \
    --ca "$certs/ca.pem" --cert "$certs/cert.pem" --key "$certs/key.pem" "${training[@]}" \
    >"$logs/$peer.log" 2>&1 &
  pids+=($!)
  echo "$peer $!" >>"$processes"
done
echo "demo-federation: coordinator on $address, peers ${peers[*]} ($([ $engine_training = 1 ] && echo engine || echo synthetic) training; logs in $logs)"

args=()
for a in "$@"; do
  a=${a//@FEDERATION@/$fed}
  args+=("${a//@COORDINATOR@/$address}")
done
"${args[@]}" &
command_pid=$!
echo "command $command_pid" >>"$processes"
wait "$command_pid" || rc=$?
command_pid=""
exit "$rc"
