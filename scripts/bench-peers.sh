#!/usr/bin/env bash
# bench-peers.sh [--rounds R] [--execs N] [--out FILE] [--vm SUITE] [--build DIR]
#
# probectl side by side with its peers, on this machine, in one run: the time from starting the
# tool to its first event, and how many of N known execs it reports, for
#   probectl attach --type tracepoint execve
#   bpftrace -e 'tracepoint:syscalls:sys_enter_execve { ... }'   (the equivalent one-liner)
#   execsnoop-bpfcc                                             (BCC's execsnoop)
# Installs bpftrace and bpfcc-tools from Debian when they are missing. Rounds are interleaved
# (probectl, bpftrace, BCC, probectl, ...) so that a slow moment of the machine hits all tools.
#
# Method: start the tool; every 2 ms exec a marker binary until the marker shows in the tool's
# output (start-up to first event, to about 3 ms: scripts/peers-wait.py); then exec a second marker N times, wait, stop the tool with
# SIGINT, and count the second marker's lines. Prints a Markdown table (and writes it to FILE).
#
# BCC compiles its program at start-up against the running kernel's headers. Where the kernel has
# none (this machine's sandboxed kernel), BCC's row says so. --vm SUITE runs the whole comparison
# inside Debian's SUITE kernel under qemu (scripts/vm/run.sh), with that kernel's headers fetched
# from Debian, so BCC runs too; figures there are measured under software emulation.
set -euo pipefail
export LC_ALL=C  # $EPOCHREALTIME with a decimal point, whatever the locale
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=5 execs=100 out="" vm="" build=$repo/build
while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --execs) execs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --vm) vm=$2; shift 2 ;;
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    *) echo "bench-peers.sh: unknown option $1 (see the comment at the top of $0)" >&2; exit 64 ;;
  esac
done
[[ $rounds =~ ^[1-9][0-9]*$ && $execs =~ ^[1-9][0-9]*$ ]] ||
  { echo "bench-peers.sh: --rounds and --execs take a positive number" >&2; exit 64; }
probectl=$build/probectl
[[ -x $probectl ]] || { echo "bench-peers.sh: build first (bash scripts/build.sh): no $probectl" >&2; exit 64; }
[[ $(id -u) == 0 ]] || { echo "bench-peers.sh: run as root (the tools load BPF programs)" >&2; exit 64; }
command -v python3 >/dev/null || { echo "bench-peers.sh: needs python3 for its clock (apt install python3)" >&2; exit 64; }

if ! command -v bpftrace >/dev/null || ! command -v execsnoop-bpfcc >/dev/null; then
  if [[ -n ${PROBECTL_IN_VM:-} ]]; then
    echo "bench-peers.sh: bpftrace or bpfcc-tools missing in the VM: install them on the host first" >&2
    exit 64
  fi
  echo "bench-peers.sh: installing bpftrace and bpfcc-tools (Debian packages)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bpftrace bpfcc-tools >&2
fi

if [[ -n $vm ]]; then
  headers=$("$here/vm/fetch-headers.sh" "$vm")
  results=$(mktemp -d /tmp/probectl-peers-XXXXXX)
  cd "$repo"
  "$here/vm/run.sh" --kernel "$vm" --out "$results" --timeout 1800 -- env PROBECTL_IN_VM=1 \
    BCC_KERNEL_SOURCE="$headers" "$here/bench-peers.sh" --rounds "$rounds" --execs "$execs" --build "$build" \
    --out /run/results/peers.md >&2 || { echo "bench-peers.sh: the run in the VM failed ($results)" >&2; exit 1; }
  [[ -n $out ]] && cp "$results/peers.md" "$out"
  cat "$results/peers.md"
  exit 0
fi

work=$(mktemp -d /tmp/probectl-peers-XXXXXX)
trap 'rm -rf "$work"' EXIT
cp /bin/true "$work/pctl-peer-start"
cp /bin/true "$work/pctl-peer-count"

tools=(probectl bpftrace bcc)
declare -A startup_ms captured notes
command_of() {
  case $1 in
    probectl) echo "$probectl" attach --type tracepoint execve ;;
    bpftrace) echo bpftrace -B none -e \
      "'tracepoint:syscalls:sys_enter_execve { printf(\"%d %s\\n\", pid, str(args->filename)); }'" ;;
    bcc) echo execsnoop-bpfcc ;;
  esac
}
version_of() {
  case $1 in
    probectl) "$probectl" --version 2>/dev/null || echo "probectl $(git -C "$repo" rev-parse --short HEAD 2>/dev/null)" ;;
    bpftrace) bpftrace --version ;;
    bcc) echo "bpfcc-tools $(dpkg-query -W -f '${Version}' bpfcc-tools)" ;;
  esac
}

# One round of one tool: sets last_startup (ms, or empty) and last_captured, or last_note on failure.
measure() {
  local tool=$1 log=$work/$1.out err=$work/$1.err limit_ms=$((${PROBECTL_PEERS_TIMEOUT_S:-300} * 1000))
  last_startup="" last_captured=0 last_note=""
  local go=$work/go outcome start waiter
  # The last round's output (holding the marker) gone before the clock can read it.
  rm -f "$go" "$go.ready" "$go.tmp" "$log" "$err" "$work/outcome"
  # The clock first, so that its start-up is not the tool's; it waits for the tool's pid in $go.
  python3 "$here/peers-wait.py" "$log" "$work/pctl-peer-start" "$go" "$limit_ms" >"$work/outcome" &
  waiter=$!
  until [[ -e $go.ready ]]; do
    kill -0 "$waiter" 2>/dev/null || { last_note="the start-up clock (scripts/peers-wait.py) failed"; return; }
    sleep 0.01
  done
  start=${EPOCHREALTIME/,/.}
  # exec: $! is the tool itself, leading its own session, so SIGINT reaches it and its children.
  eval "exec env PYTHONUNBUFFERED=1 setsid $(command_of "$tool")" >"$log" 2>"$err" </dev/null &
  local pid=$!
  echo "$pid $start" >"$go.tmp" && mv "$go.tmp" "$go"
  wait "$waiter" || true
  outcome=$(cat "$work/outcome" 2>/dev/null || true)
  case $outcome in
    found\ *) last_startup=${outcome#found } ;;
    died)
      # The first line that says why (BCC: "Unable to find kernel headers"), else the last one.
      local why
      why=$(grep -m1 -iE 'unable|cannot|not found|no such|permission' "$err" || grep -v '^$' "$err" | tail -n 1) ||
        true
      last_note="exited before its first event: $(echo "${why:-no message}" | cut -c1-160)"
      return
      ;;
    timeout)
      last_note="no event within ${limit_ms} ms"
      kill -INT -- "-$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
      return
      ;;
    *)
      last_note="the start-up clock (scripts/peers-wait.py) failed: ${outcome:-no outcome}"
      kill -INT -- "-$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
      return
      ;;
  esac
  for ((i = 0; i < execs; i++)); do "$work/pctl-peer-count"; done
  sleep "${PROBECTL_PEERS_SETTLE_S:-2}"
  kill -INT -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  last_captured=$(grep -c pctl-peer-count "$log" || true)
}

for ((round = 1; round <= rounds; round++)); do
  for tool in "${tools[@]}"; do
    measure "$tool"
    if [[ -n $last_startup ]]; then
      startup_ms[$tool]+="$last_startup "
      captured[$tool]+="$last_captured "
      echo "bench-peers: round $round $tool: first event after $last_startup ms, $last_captured of $execs execs" >&2
    else
      notes[$tool]=$last_note
      echo "bench-peers: round $round $tool: $last_note" >&2
    fi
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR]=$1} END {if (NR) print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
range() { tr ' ' '\n' | grep -v '^$' | sort -n | awk 'NR==1{min=$1} {max=$1} END {if (NR) print min ".." max}'; }
base=$(echo "${startup_ms[probectl]:-}" | median)
{
  echo "### probectl and its peers, $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: kernel $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores$(
    grep -q 'probectl.emulated' /proc/cmdline && echo ', under qemu software emulation (TCG)')."
  echo "Method: scripts/bench-peers.sh, $rounds interleaved rounds, $execs known execs per round."
  echo
  echo "| tool | command | start-up to first event, median (min..max) | vs probectl | execs reported (per round) |"
  echo "|---|---|---|---|---|"
  for tool in "${tools[@]}"; do
    cmd=$(command_of "$tool" | sed "s|$repo/||; s/|/\\\\|/g")
    if [[ -z ${startup_ms[$tool]:-} ]]; then
      echo "| $(version_of "$tool") | \`$cmd\` | did not run: ${notes[$tool]} | | |"
      continue
    fi
    med=$(echo "${startup_ms[$tool]}" | median)
    ratio=$([[ -n $base ]] && awk -v a="$med" -v b="$base" 'BEGIN {printf "%.1fx", a / b}' || echo "")
    echo "| $(version_of "$tool") | \`$cmd\` | $med ms ($(echo "${startup_ms[$tool]}" | range)) | $ratio |" \
      "$(echo "${captured[$tool]}" | tr ' ' '\n' | grep -v '^$' | sed "s|$| of $execs|" | paste -sd, | sed 's/,/, /g') |"
  done
} | tee "${out:-/dev/null}"
