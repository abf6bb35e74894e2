#!/bin/bash
# Both cores against one core (issue 13's figure), repeated so that a noisy machine still gives a figure:
# `throughput compare s3-folder-2 s3-folder-1-cpu1 <folder> 5 1` RUNS times for every read-ahead budget and GC mode
# given, interleaved run by run, then the median of all rounds of each (with its range, the records a second of
# both sides and the cores two workers used).
#
#   bash tests/AuditTools.Benchmarks/scripts/two-cores.sh <folder> [runs] [budgets in bytes] [gc modes]
#
# budgets: "default" (LogReader.AheadBytes) or byte counts, e.g. "16777216 33554432"; gc modes: "project" (the
# benchmark project's, non-concurrent) and "pwsh" (concurrent, as pwsh runs), e.g. "project pwsh".
# The folder of eight gzip files of 125,000 lines the results use:
#   for i in 1 2 3 4 5 6 7 8; do python3 ../shared/bench/gen_s3_access_log.py 125000 --seed $i | gzip > bench8/f$i.log.gz; done
# Build first: dotnet build tests/AuditTools.Benchmarks -c Release
set -euo pipefail
folder=${1:?the folder of log files}
runs=${2:-6}
budgets=${3:-default}
modes=${4:-project pwsh}
here=$(cd "$(dirname "$0")/../../.." && pwd)
dll="$here/tests/AuditTools.Benchmarks/bin/Release/net10.0/AuditTools.Benchmarks.dll"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for ((i = 1; i <= runs; i++)); do
  for mode in $modes; do
    for budget in $budgets; do
      concurrent=0
      [ "$mode" = pwsh ] && concurrent=1
      ahead=""
      [ "$budget" != default ] && ahead=$budget
      line=$(DOTNET_gcConcurrent=$concurrent AUDITTOOLS_BENCH_AHEAD=$ahead dotnet "$dll" throughput compare s3-folder-2 s3-folder-1-cpu1 "$folder" 5 1 2>&1 \
        | grep -E '^round|cores used' | tr '\n' ' ')
      echo "$mode $budget $line" >> "$out"
      echo "run $i, GC $mode, budget $budget: $(grep -oE 'ratio [0-9.]+x' <<< "$line" | tr '\n' ' ')(load $(cut -d' ' -f1 /proc/loadavg))"
    done
  done
done
python3 - "$out" <<'EOF'
import re, statistics, sys
rounds, cores = {}, {}
for line in open(sys.argv[1]):
    mode, budget = line.split()[:2]
    for two, one, ratio in re.findall(r's3-folder-2 (\d+)/s.*?s3-folder-1-cpu1 (\d+)/s.*?ratio ([0-9.]+)x', line):
        rounds.setdefault((mode, budget), []).append((int(two), int(one), float(ratio)))
    cores.setdefault((mode, budget), []).extend(float(c) for c in re.findall(r's3-folder-2 median ([0-9.]+)', line))
for key, values in rounds.items():
    ratios = [v[2] for v in values]
    print(f"GC {key[0]}, budget {key[1]}: ratio {statistics.median(ratios):.2f}x ({min(ratios):.2f}x - {max(ratios):.2f}x) over {len(values)} rounds;"
          f" two workers {statistics.median(v[0] for v in values):.0f}/s, one worker on one CPU {statistics.median(v[1] for v in values):.0f}/s,"
          f" cores used {statistics.median(cores[key]):.2f}")
EOF
