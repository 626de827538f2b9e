#!/usr/bin/env bash
# Submits a reproduction as a job array of N shards, and its report to run when all succeed.
#
#   scripts/slurm/submit.sh N OUT [statnet reproduce options...]
#
# Prints the two job ids. Extra sbatch options (partition, account, time) go in $SBATCH_ARGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
(($# >= 2)) || { echo "usage: $0 N OUT [statnet reproduce options...]" >&2; exit 64; }
n=$1 out=$2
shift 2
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_ARGS:-} --array="1-$n" scripts/slurm/reproduce.sbatch "$out" "$@")
array=${array%%;*}
report=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency="afterok:$array" scripts/slurm/report.sbatch "$out")
echo "reproduction: job array $array ($n tasks); report: job ${report%%;*} (runs when all tasks succeed)"
