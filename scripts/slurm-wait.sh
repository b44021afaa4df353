#!/usr/bin/env bash
# slurm-wait.sh SECONDS FILE... — wait until the Slurm jobs that make submitted (RUNNER=slurm)
# have written every FILE (a stage's merged records), polling squeue; SECONDS limits the wait (0:
# no limit). Fails, cancelling those jobs still queued, when they are gone or can never run (a
# shard failed) before a FILE is there; it names each missing shard and its log. Rerunning make
# resubmits only the shards without a finished file, each resuming its checkpoint.
set -euo pipefail
limit=$1
shift
started=$SECONDS

# Our jobs: those of every stage of these datasets whose records are not there yet (read once).
ids=()
for file in "$@"; do
  dir=$(dirname "$file")
  for jobs in "$dir"/shards/*.jobs; do
    [ -f "$jobs" ] || continue
    [ -f "$dir/$(basename "$jobs" .jobs).ndjson" ] && continue
    read -r array merge <"$jobs" || continue
    [ "$array" = - ] || ids+=("$array")
    ids+=("$merge")
  done
done

all_there() {
  local file
  for file in "$@"; do [ -f "$file" ] || return 1; done
}

fail() {
  local queued dir jobs stage array n k log waiting
  queued=$(ours | awk '{ print $1 }' | sort -u)
  # shellcheck disable=SC2086  # one id a word
  [ -z "$queued" ] || scancel $queued 2>/dev/null || true
  echo "pipeline: $1" >&2
  for dir in "${dirs[@]}"; do
    for jobs in "$dir"/shards/*.jobs; do
      [ -f "$jobs" ] || continue
      stage=$(basename "$jobs" .jobs)
      [ -f "$dir/$stage.ndjson" ] && continue
      read -r array _ <"$jobs" || true
      n=$(sed -n 's/.*--shards \([0-9]*\).*/\1/p' "$dir/shards/$stage.merge.sh")
      waiting=0
      for ((k = 0; k < ${n:-0}; k++)); do
        [ -f "$dir/$stage.$k-of-$n.ndjson" ] && continue
        log=$dir/logs/slurm-$stage-${array}_$k.out
        if [ -f "$log" ]; then
          echo "pipeline: $dir/$stage.$k-of-$n.ndjson: shard $k of $n did not finish (log: $log)" >&2
        else
          waiting=$((waiting + 1))
        fi
      done
      [ "$waiting" = 0 ] || echo "pipeline: $dir/$stage.ndjson: $waiting of its $n shards did not start (a job before them failed)" >&2
    done
  done
  echo "pipeline: rerun the same make command: finished shards are kept, the others resume" >&2
  exit 1
}

# Queued jobs of ours, one line each: ARRAY-OR-JOB-ID STATE REASON.
ours() {
  local queue
  queue=$(squeue -h -o '%F %T %r') || { echo "pipeline: squeue failed: is Slurm (slurmctld) reachable?" >&2; exit 1; }
  awk -v ids=" ${ids[*]} " 'index(ids, " " $1 " ")' <<<"$queue"
}

dirs=()
for file in "$@"; do dirs+=("$(dirname "$file")"); done
while ! all_there "$@"; do
  queue=$(ours)
  # Jobs that can still run: not those whose dependency failed (they wait forever unless cancelled).
  live=$(awk '!($2 == "PENDING" && $3 == "DependencyNeverSatisfied")' <<<"$queue")
  if [ -z "$live" ]; then
    all_there "$@" && break
    fail "the Slurm jobs ended without writing $(for f in "$@"; do [ -f "$f" ] || printf '%s ' "$f"; done)"
  fi
  if [ "$limit" != 0 ] && [ $((SECONDS - started)) -ge "$limit" ]; then
    fail "the Slurm jobs did not finish within SLURM_WAIT=$limit s"
  fi
  sleep 0.5
done
