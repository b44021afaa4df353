#!/usr/bin/env bash
# shared-folder-check.sh HOSTS DIR — RUNNER=parallel assumes every host of HOSTS (GNU parallel's
# --sshlogin list; ':' is this machine) sees DIR at the same path, where the shards read their
# input and write their checkpoints. Checked, not assumed: a marker with a random token is written
# here and read back through each host; a host that cannot read it ends the run with its name.
set -euo pipefail
hosts=$1 dir=$2
mkdir -p "$dir"
token=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
marker="$dir/.shared-folder-check-$token"
echo "$token" >"$marker"
trap 'rm -f "$marker"' EXIT
IFS=, read -r -a list <<<"$hosts"
for host in "${list[@]}"; do
  # --nonall: the command once on each host of --sshlogin (here one), as the shards will run.
  # "reached" first tells a host that runs nothing (ssh refused, no shell) from one that runs
  # commands but has another folder at this path.
  errors=$(mktemp)
  seen=$(parallel --will-cite --nonall --sshlogin "$host" "echo reached; cat $(printf %q "$marker")" 2>"$errors" || true)
  # ssh's own words: its last line (the first is often a known-hosts warning or a banner).
  why=$(grep -v -e '^[[:space:]]*$' -e '^Warning: Permanently added' "$errors" | tail -n 1 || true)
  rm -f "$errors"
  # A login shell may print before the command (a .bashrc that echoes): the lines after "reached".
  if ! grep -qx reached <<<"$seen"; then
    echo "pipeline: host '$host' of HOSTS ran no command through GNU parallel: ${why:-it printed nothing (check that ssh to it logs in without a password and has a login shell)}" >&2
    exit 1
  fi
  if [ "$(sed -n '/^reached$/{n;p;q;}' <<<"$seen")" != "$token" ]; then
    echo "pipeline: host '$host' does not see $dir (RUNNER=parallel needs the work folder on a filesystem every host of HOSTS shares, at the same path): it could not read $marker" >&2
    exit 1
  fi
done
