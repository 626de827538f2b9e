#!/usr/bin/env bash
# The cluster path on a real Slurm: starts a single-node cluster on this machine (Debian's
# slurm-wlm and munge, installed here as root; state in a temporary folder), submits a quick
# reproduction as a 4-task job array with `sbatch --wait`, builds its report, and checks that
# every run's numbers and weights equal those of the same reproduction in one process.
# Stops the daemons at the end. Needs root (to install and run the daemons); elsewhere it
# says so and exits 0. Run after `swift build -c release`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) != 0 ]]; then
  echo "test-slurm: skipped: starting slurmctld, slurmd and munged needs root (this user is $(id -un))" >&2
  exit 0
fi
statnet=$PWD/.build/release/statnet
[[ -x $statnet ]] || { echo "test-slurm: build first: swift build -c release" >&2; exit 1; }
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "test-slurm: installing slurm-wlm and munge with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

work=$(mktemp -d /tmp/statnet-slurm.XXXXXX)
host=$(hostname -s)
cleanup() {
  [[ -f $work/slurmd.pid ]] && kill "$(cat "$work/slurmd.pid")" 2>/dev/null || true
  [[ -f $work/slurmctld.pid ]] && kill "$(cat "$work/slurmctld.pid")" 2>/dev/null || true
  [[ -f $work/munged.pid ]] && kill "$(cat "$work/munged.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT

# munge: a key of our own, its socket and state in the temporary folder.
mkdir -p "$work/munge" "$work/state" "$work/spool"
chmod 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
socket=$work/munge/munge.socket
munged --force --key-file="$work/munge/munge.key" --socket="$socket" --pid-file="$work/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/seed"
cpus=$(nproc)
cat > "$work/slurm.conf" <<CONF
ClusterName=statnet-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -qE "idle|mixed" && break
  sleep 1
done
sinfo -h -o "%P %T %c" | sed 's/^/test-slurm: node /' >&2 || { cat "$work"/*.log >&2; exit 1; }

export STATNET_BIN=$statnet
repro=(--quick --data "${STATNET_DATA:-$PWD/../shared/data/mnist}")
SECONDS=0
"$statnet" reproduce --out "$work/one" --threads 1 "${repro[@]}" > "$work/one.log" 2>&1
one=$SECONDS
SECONDS=0
# One CPU per task: two tasks at a time on this 2-core node.
(cd "$work" && sbatch --wait --array=1-4 --cpus-per-task=1 "$OLDPWD/scripts/slurm/reproduce.sbatch" "$work/array" "${repro[@]}") \
  || { echo "test-slurm: the job array failed" >&2; cat "$work"/statnet-reproduce-*.log "$work/slurmctld.log" >&2; exit 1; }
(cd "$work" && sbatch --wait "$OLDPWD/scripts/slurm/report.sbatch" "$work/array") \
  || { echo "test-slurm: the report job failed" >&2; cat "$work"/statnet-report-*.log >&2; exit 1; }
array=$SECONDS

# Every run of the array equals the one-process run: numbers and weights.
python3 - "$work/one" "$work/array" <<'PY'
import hashlib, json, os, sys
one, array = sys.argv[1], sys.argv[2]
a, b = json.load(open(f"{one}/results.json")), json.load(open(f"{array}/results.json"))
runs_a = {r["id"]: r for r in a["runs"]}
runs_b = {r["id"]: r for r in b["runs"]}
assert set(runs_a) == set(runs_b) and len(runs_a) == a["plan"]["plannedRuns"], (sorted(runs_a), sorted(runs_b))
keys = ["testAccuracy", "testLoss", "testLossPaperScaled", "validationAccuracy", "validationLoss"]
for i, r in runs_a.items():
    for k in keys:
        assert r[k] == runs_b[i][k], (i, k, r[k], runs_b[i][k])
    digest = lambda d: hashlib.sha256(open(f"{d}/runs/{i}/model.safetensors", "rb").read()).hexdigest()
    assert digest(one) == digest(array), (i, "model.safetensors differs")
logs = [f for f in os.listdir(os.path.dirname(array)) if f.startswith("statnet-reproduce-")]
assert len(logs) == 4, logs
print(f"test-slurm: {len(runs_a)} runs of the 4-task array equal the one-process runs (numbers and weights); report: {array}/report.md")
PY
echo "test-slurm: wall time: one process, one thread per run: ${one} s; the 4-task array, one CPU per task, on $cpus CPUs: ${array} s" >&2
