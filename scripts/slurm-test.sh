#!/usr/bin/env bash
# A private one-node Slurm cluster on localhost for the Slurm test: writes a munge key and a slurm.conf into
# a temporary folder, starts munged, slurmctld and slurmd from it, waits until the node is idle, submits the
# given batch script, waits (bounded) until every task of it has ended, prints each task's state, exits 0
# only if all COMPLETED, and stops the daemons it started, whatever happens. Installs nothing:
# scripts/test.sh installs slurm-wlm and munge.
#
#   scripts/slurm-test.sh [--timeout SECONDS] JOB.sbatch      (default: 100 s for the job)
set -euo pipefail

timeout_s=100
if [[ ${1:-} == --timeout ]]; then timeout_s=$2; shift 2; fi
(($# == 1)) || { echo "slurm-test: usage: $0 [--timeout SECONDS] JOB.sbatch" >&2; exit 2; }
job_script=$1
for tool in munged mungekey slurmctld slurmd sinfo sbatch squeue scontrol; do
  command -v "$tool" >/dev/null || { echo "slurm-test: $tool not found: install Debian's slurm-wlm and munge (scripts/test.sh does)" >&2; exit 3; }
done

dir=$(mktemp -d /tmp/glov-slurm.XXXXXX)
pids=()
stop() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if ((status != 0)); then
    for log in "$dir"/*.log; do [[ -f $log ]] && { echo "--- $log"; tail -20 "$log"; } >&2; done
  fi
  rm -rf "$dir"
  exit "$status"
}
trap stop EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)); }

host=$(hostname -s)
mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
chmod 755 "$dir/munge"
mungekey --create --keyfile="$dir/munge/munge.key" --force
munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed" --force
pids+=("$(cat "$dir/munge/munged.pid")")

cat >"$dir/slurm.conf" <<CONF
ClusterName=glovtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
PlugStackConfig=$dir/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=60
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=glov Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
touch "$dir/plugstack.conf"
export SLURM_CONF=$dir/slurm.conf

slurmctld -i
for _ in $(seq 100); do [[ -s $dir/slurmctld.pid ]] && break; sleep 0.1; done
pids+=("$(cat "$dir/slurmctld.pid")")
slurmd
for _ in $(seq 100); do [[ -s $dir/slurmd.pid ]] && break; sleep 0.1; done
pids+=("$(cat "$dir/slurmd.pid")")

state=
for _ in $(seq 300); do
  state=$(sinfo -h -o %t 2>/dev/null || true)
  [[ $state == idle ]] && break
  sleep 0.1
done
[[ $state == idle ]] || { echo "slurm-test: the node did not become idle (state: '${state:-none}')" >&2; exit 4; }
echo "slurm-test: one-node cluster $host up (SLURM_CONF=$SLURM_CONF)" >&2

job=$(sbatch --parsable "$job_script")
echo "slurm-test: submitted job $job" >&2
deadline=$((SECONDS + timeout_s))
while [[ -n $(squeue -h -j "$job" -o %i 2>/dev/null) ]]; do
  if ((SECONDS >= deadline)); then
    echo "slurm-test: job $job still running after ${timeout_s}s; cancelling" >&2
    scancel "$job" || true
    exit 5
  fi
  sleep 0.5
done
# Finished jobs stay visible to scontrol for MinJobAge seconds: one line per task, "JobId=… JobState=… ExitCode=…".
states=$(scontrol -o show job "$job" | grep -o 'JobId=[0-9]* ArrayJobId=[0-9]* ArrayTaskId=[0-9]*\|JobState=[A-Z_]*\|ExitCode=[0-9:]*' | paste -d' ' - - -)
echo "$states"
[[ -n $states ]] && ! grep -qv 'JobState=COMPLETED' <<<"$states"
