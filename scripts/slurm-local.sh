#!/usr/bin/env bash
# slurm-local.sh start|stop STATE_DIR — a one-node Slurm cluster on 127.0.0.1 without systemd, for
# the scale-out tests and benchmark (and to try RUNNER=slurm on one machine): a munge key and
# munged on a socket of its own, slurm.conf under STATE_DIR (loopback only, free ports, no
# accounting, no cgroups), `slurmctld -D` and `slurmd -D` in the background.
#   start: prints `export SLURM_CONF=STATE_DIR/slurm.conf` once the node is idle (deadline 60 s).
#   stop:  stops slurmd, slurmctld and munged of STATE_DIR by their PIDs, removes STATE_DIR.
# Needs root (slurmd runs jobs as their user) and `slurmctld slurmd slurm-client munge` (make deps).
set -euo pipefail
command=${1:-}; state=${2:-}
[ -n "$command" ] && [ -n "$state" ] || { echo "usage: slurm-local.sh start|stop STATE_DIR" >&2; exit 2; }
mkdir -p "$state"; state=$(cd "$state" && pwd)
conf=$state/slurm.conf

# Two free loopback ports (slurmctld, slurmd), apart from those seaweedfs.sh picks from.
free_ports() { python3 "$(dirname "$0")/free-port-block.py" 2 23000 26000; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  for program in munged slurmctld slurmd sinfo; do
    command -v "$program" >/dev/null || [ -x "/usr/sbin/$program" ] \
      || { echo "slurm-local: $program missing: run make deps (slurmctld slurmd slurm-client munge)" >&2; exit 1; }
  done
  [ "$(id -u)" = 0 ] || { echo "slurm-local: needs root (slurmd starts jobs as their user)" >&2; exit 1; }
  export PATH=$PATH:/usr/sbin
  mkdir -p "$state/ctld" "$state/d" "$state/munge"
  # A key of our own, 1024 bits, mode 0400 (munged refuses a key others can read).
  ( umask 077; head -c 128 /dev/urandom >"$state/munge/munge.key" ); chmod 0400 "$state/munge/munge.key"
  munged --force --key-file="$state/munge/munge.key" --socket="$state/munge/munge.socket" \
    --pid-file="$state/munge/munged.pid" --log-file="$state/munge/munged.log" --seed-file="$state/munge/munged.seed"
  local port cpus
  port=$(free_ports)
  cpus=$(nproc)
  cat >"$conf" <<CONF
ClusterName=imagekit
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$state/munge/munge.socket
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
ReturnToService=2
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$conf
  slurmctld -D -i -f "$conf" >"$state/slurmctld.out" 2>&1 </dev/null &
  echo $! >"$state/slurmctld.pid"
  slurmd -D -N localhost -f "$conf" >"$state/slurmd.out" 2>&1 </dev/null &
  echo $! >"$state/slurmd.pid"
  local deadline=$((SECONDS + 60))
  until [ "$(sinfo -h -n localhost -o %t 2>/dev/null)" = idle ]; do
    if ! alive "$state/slurmctld.pid" || ! alive "$state/slurmd.pid" || [ $SECONDS -ge $deadline ]; then
      tail -5 "$state/slurmctld.log" "$state/slurmd.log" >&2 2>/dev/null || true
      echo "slurm-local: the node did not become idle (logs in $state)" >&2
      stop; exit 1
    fi
    sleep 0.2
  done
  echo "slurm-local: one node (localhost, $cpus CPUs) on 127.0.0.1:$port (state $state)" >&2
  echo "export SLURM_CONF=$conf"
}

stop() {
  local pidfile pid
  for pidfile in "$state/slurmd.pid" "$state/slurmctld.pid" "$state/munge/munged.pid"; do
    alive "$pidfile" || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  # Remove only a directory this script made (it holds slurm.conf).
  [ -f "$conf" ] && rm -rf "$state"
  return 0
}

case $command in
  start) start ;;
  stop) stop ;;
  *) echo "usage: slurm-local.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
