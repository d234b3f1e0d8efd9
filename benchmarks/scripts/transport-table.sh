#!/usr/bin/env bash
# Round-trip latency of every latency-harness transport at a few payload sizes, as a Markdown table,
# plus framed/bare ratios at 64 B and one-way UDS streaming throughput. Reproducible: every cell is
# one `./ipc4j bench latency ... --json` run; the machine's load (uptime) is printed per run.
#
#   benchmarks/scripts/transport-table.sh                 # the full table (~3-5 minutes)
#   TRANSPORTS="spin uds" SIZES="64 4KiB" benchmarks/scripts/transport-table.sh
#
# Environment (all optional):
#   TRANSPORTS      transports to run (default: all ten)
#   SIZES           payload sizes (default: "64 64KiB 4MiB")
#   MESSAGES_<S>    measured round trips per size, e.g. MESSAGES_64=100000 (defaults below)
#   RATIO_REPEATS   interleaved framed/bare repetitions at 64 B for the ratios (default 3; 0 = skip)
#   RATIO_CPUS      run the ratio repetitions under `taskset -c RATIO_CPUS` (e.g. 1: both JVMs on one
#                   core, which removes the same-core/cross-core bimodality of small round trips)
#   THROUGHPUT_MESSAGES  1 MiB frames streamed over uds (default 2000; 0 = skip)
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
IPC4J="$ROOT/ipc4j"
TRANSPORTS=${TRANSPORTS:-"spin hybrid futex posix-sem fifo pipe uds tcp uds-raw pipe-raw"}
SIZES=${SIZES-"64 64KiB 4MiB"}     # set to "" to skip the table
RATIO_REPEATS=${RATIO_REPEATS:-3}
RATIO_CPUS=${RATIO_CPUS:-}
THROUGHPUT_MESSAGES=${THROUGHPUT_MESSAGES:-2000}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/ipc4j-transport-table-XXXXXX")
trap 'rm -rf "$OUT"' EXIT

# measured / warm-up round trips for a size
messages() {
  local key="MESSAGES_${1//[^A-Za-z0-9]/_}"
  if [[ -n "${!key:-}" ]]; then echo "${!key}"; return; fi
  case "$1" in
    64|64B|1KiB|4KiB) echo 100000 ;;
    *KiB) echo 20000 ;;
    *) echo 1000 ;;
  esac
}
warmup() { echo $(( $(messages "$1") / 10 )); }

json_field() { sed -n "s/.*\"$2\":\\([0-9.]*\\).*/\\1/p" "$1"; }
load() { uptime | sed 's/.*load average: //'; }
us() { awk -v ns="$1" 'BEGIN { v = ns / 1000; printf (v >= 100 ? "%.0f" : "%.1f"), v }'; }

"$IPC4J" --help >/dev/null   # builds first when the build is missing or stale, outside the measurements

run() { # transport size file [cpus]
  local m w pin=()
  m=$(messages "$2"); w=$(warmup "$2")
  [[ -n "${4:-}" ]] && pin=(taskset -c "$4")
  echo "# $(date +%T) load $(load): $1 size $2, $w + $m round trips${4:+ on CPUs $4}" >&2
  "${pin[@]}" "$IPC4J" bench latency --transport "$1" --size "$2" --messages "$m" --warmup "$w" --timeout 60 --json "$3" >/dev/null
}

for s in $SIZES; do
  for t in $TRANSPORTS; do
    run "$t" "$s" "$OUT/$t-$s.json" || echo "# $t $s failed" >&2
  done
done

if [[ -n "$SIZES" ]]; then
echo
echo "Round trip, p50 / p99 in microseconds ($(nproc) cores; load before the table: see the # lines on stderr)"
echo
header="| transport |"; rule="|---|"
for s in $SIZES; do header+=" $s p50 | $s p99 |"; rule+="---:|---:|"; done
echo "$header"; echo "$rule"
for t in $TRANSPORTS; do
  row="| $t |"
  for s in $SIZES; do
    f="$OUT/$t-$s.json"
    if [[ -s "$f" ]]; then
      row+=" $(us "$(json_field "$f" p50_ns)") | $(us "$(json_field "$f" p99_ns)") |"
    else
      row+=" - | - |"
    fi
  done
  echo "$row"
done
fi

if (( RATIO_REPEATS > 0 )); then
  echo
  echo "Framed vs bare at 64 B (p50 ratio per interleaved repetition; median last)${RATIO_CPUS:+; both JVMs on CPUs $RATIO_CPUS}"
  echo
  echo "| pair | ratios | median |"; echo "|---|---|---:|"
  for pair in "uds uds-raw" "pipe pipe-raw"; do
    set -- $pair
    ratios=()
    for ((i = 1; i <= RATIO_REPEATS; i++)); do
      run "$1" 64 "$OUT/r-$1-$i.json" "$RATIO_CPUS"; run "$2" 64 "$OUT/r-$2-$i.json" "$RATIO_CPUS"
      ratios+=("$(awk -v a="$(json_field "$OUT/r-$1-$i.json" p50_ns)" -v b="$(json_field "$OUT/r-$2-$i.json" p50_ns)" \
                'BEGIN { printf "%.2f", a / b }')")
    done
    median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    echo "| $1 / $2 | ${ratios[*]} | $median |"
  done
fi

if (( THROUGHPUT_MESSAGES > 0 )); then
  echo "# $(date +%T) load $(load): uds throughput, 1 MiB x $THROUGHPUT_MESSAGES" >&2
  "$IPC4J" bench throughput --size 1MiB --messages "$THROUGHPUT_MESSAGES" --json "$OUT/thr.json" >/dev/null
  echo
  echo "UDS one-way streaming, 1 MiB frames x $THROUGHPUT_MESSAGES: $(json_field "$OUT/thr.json" gb_per_s) GB/s ($(json_field "$OUT/thr.json" gib_per_s) GiB/s)"
fi
