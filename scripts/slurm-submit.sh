#!/usr/bin/env bash
# slurm-submit.sh DIR STAGE N INPUT-STAGE [SBATCH-FLAGS...] — submit one stage of a dataset
# (RUNNER=slurm): a job array of the shards not finished yet (DIR/shards/STAGE.sh, K from
# SLURM_ARRAY_TASK_ID), after the merge job of INPUT-STAGE when that is still to come, then the
# merge (DIR/shards/STAGE.merge.sh) as a job after the array. Dependent jobs are cancelled when
# what they wait for fails (--kill-on-invalid-dep), so nothing is left pending. Writes "ARRAY MERGE"
# (ARRAY "-" when every shard was done) to DIR/shards/STAGE.jobs for the next stage and for
# slurm-wait.sh. Logs: DIR/logs/slurm-STAGE-JOB_TASK.out (absolute: Slurm needs that). When the
# jobs of an earlier submission of the stage are still queued (found by name), no second set is
# submitted: they are waited for, with the merge job added when it was never submitted.
set -euo pipefail
dir=$1 stage=$2 n=$3 input_stage=$4
shift 4
shards=$dir/shards
logs=$dir/logs
input=$dir/$input_stage.ndjson
mkdir -p "$logs"
# The jobs' names say the work folder (a hash of its absolute path) and the stage, so the jobs of
# an earlier make are found in the queue by name: also when it was killed between sbatch's answer
# and the .jobs write below, which a lookup through that file would miss.
tag=$(printf '%s' "$dir" | cksum | cut -d ' ' -f 1)
name="imagekit-$(basename "$dir")-$stage-$tag"
user=$(id -un)

# queued NAME: the (array) job id of our pending or running job of exactly that name, or
# nothing. (`squeue --name` takes a comma-separated list, so names are compared here.)
queued() {
  local out
  out=$(squeue -h -u "$user" -t PENDING,RUNNING,SUSPENDED -o '%F %j') || { echo "slurm-submit: squeue failed: is Slurm (slurmctld) reachable?" >&2; exit 1; }
  awk -v name="$1" '$2 == name { print $1 }' <<<"$out" | sort -un | sed -n '$p'
}

# record ARRAY MERGE: DIR/shards/STAGE.jobs for the next stage and slurm-wait.sh, replaced whole
# (a reader never sees it half written).
record() {
  echo "$1 $2" >"$shards/$stage.jobs.tmp-$$"
  mv -f "$shards/$stage.jobs.tmp-$$" "$shards/$stage.jobs"
}

# One submission of this stage at a time (two makes started together): the second finds the
# first one's jobs in the queue.
exec {submitting}>"$shards/.$stage.submit.lock"
flock "$submitting"

# Jobs of an earlier make (stopped while it waited) still queued for this stage: a second set
# would write the same checkpoints at once, so they are waited for instead.
old_array=$(queued "$name")
old_merge=$(queued "$name-merge")
if [ -n "$old_merge" ]; then
  record "${old_array:--}" "$old_merge"
  printf '== %s: %s: Slurm jobs %s and %s of an earlier make are still queued: waiting for them\n' \
    "$(basename "$dir")" "$stage" "${old_array:--}" "$old_merge" >&2
  exit 0
fi
if [ -n "$old_array" ]; then
  recorded=
  [ -f "$shards/$stage.jobs" ] && read -r recorded _ <"$shards/$stage.jobs"
  if [ "$recorded" = "$old_array" ]; then
    # Their merge was submitted and is gone: Slurm cancelled it when a shard failed.
    printf 'slurm-submit: %s: %s: shards of an earlier make (Slurm job array %s) are still running, but one failed and their merge was cancelled: wait for them (squeue -j %s) or scancel %s, then run make again\n' \
      "$(basename "$dir")" "$stage" "$old_array" "$old_array" "$old_array" >&2
    exit 1
  fi
  # Stopped between the two submissions: the shards run, only their merge is missing.
  merge=$(sbatch --parsable --job-name "$name-merge" -o "$logs/slurm-$stage-merge-%j.out" \
    --dependency="afterok:$old_array" --kill-on-invalid-dep=yes "$@" "$shards/$stage.merge.sh")
  merge=${merge%%;*}
  record "$old_array" "$merge"
  printf '== %s: %s: the shards of an earlier make are still queued (Slurm job array %s): merge job %s submitted after them\n' \
    "$(basename "$dir")" "$stage" "$old_array" "$merge" >&2
  exit 0
fi

after=()
if [ ! -f "$input" ]; then
  [ -f "$shards/$input_stage.jobs" ] || { echo "slurm-submit: $input is missing and no job makes it" >&2; exit 1; }
  read -r _ before <"$shards/$input_stage.jobs"
  after=(--dependency="afterok:$before" --kill-on-invalid-dep=yes)
fi

todo=()
for ((k = 0; k < n; k++)); do
  out=$dir/$stage.$k-of-$n.ndjson
  if [ -f "$out" ] && [ -f "$input" ] && ! [ "$input" -nt "$out" ]; then continue; fi
  todo+=("$k")
done

array=-
if [ ${#todo[@]} -gt 0 ]; then
  list=$(IFS=,; echo "${todo[*]}")
  array=$(sbatch --parsable --job-name "$name" --array "$list" -o "$logs/slurm-$stage-%A_%a.out" \
    "${after[@]}" "$@" "$shards/$stage.sh")
  array=${array%%;*}
  after=(--dependency="afterok:$array" --kill-on-invalid-dep=yes)
fi
merge=$(sbatch --parsable --job-name "$name-merge" -o "$logs/slurm-$stage-merge-%j.out" "${after[@]}" "$@" "$shards/$stage.merge.sh")
merge=${merge%%;*}
record "$array" "$merge"
printf '== %s: %s: Slurm job array %s (shards %s of %s), then merge job %s\n' \
  "$(basename "$dir")" "$stage" "$array" "${list:-none left}" "$n" "$merge" >&2
