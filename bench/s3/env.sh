# env.sh — shared defaults, sourced by the other scripts (not run directly).
# Every value can be overridden from the environment.
BENCH_VENV=${BENCH_VENV:-${VENV:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.venv}}
BENCH_S3_PORT=${BENCH_S3_PORT:-18333}
# The other SeaweedFS ports follow the S3 port (gRPC ones are each +10000), so one variable
# moves a whole second server; this also keeps clear of weed's own 9333/8080/8888.
BENCH_MASTER_PORT=${BENCH_MASTER_PORT:-$((BENCH_S3_PORT + 1))}
BENCH_VOLUME_PORT=${BENCH_VOLUME_PORT:-$((BENCH_S3_PORT + 2))}
BENCH_FILER_PORT=${BENCH_FILER_PORT:-$((BENCH_S3_PORT + 3))}
BENCH_METRICS_PORT=${BENCH_METRICS_PORT:-$((BENCH_S3_PORT + 4))}   # Prometheus: S3 request counts
# Where the server keeps data, config, log and PID (one state dir per S3 port).
BENCH_S3_STATE=${BENCH_S3_STATE:-${TMPDIR:-/tmp}/bench-s3-$BENCH_S3_PORT}
BENCH_ACCESS_KEY=${BENCH_ACCESS_KEY:-testkey}
BENCH_SECRET_KEY=${BENCH_SECRET_KEY:-testsecret}
BENCH_BUCKET=${BENCH_BUCKET:-bench}
# Clients always talk to the local server with the bench keys: a caller's own AWS_* settings
# (endpoint, keys, token, profile, config files) are overridden, so nothing leaves loopback.
export AWS_ACCESS_KEY_ID=$BENCH_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$BENCH_SECRET_KEY
export AWS_ENDPOINT_URL=http://127.0.0.1:$BENCH_S3_PORT AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export S3_ENDPOINT_URL=$AWS_ENDPOINT_URL   # s5cmd's name for it
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE
export PATH="$BENCH_VENV/bin:$PATH"
# The native s5cmd binary (the venv's `s5cmd` is a Python wrapper that adds a process and CPU).
S5CMD=${S5CMD:-$(ls "$BENCH_VENV"/lib/python3*/site-packages/s5cmd/bin/s5cmd 2>/dev/null | head -n1 || true)}
export S5CMD=${S5CMD:-s5cmd}
[ -x "$BENCH_VENV/bin/weed" ] || echo "env.sh: no tools in BENCH_VENV=$BENCH_VENV (run make bench-deps, or set BENCH_VENV)" >&2
