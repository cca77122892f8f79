# Sourced by scripts/test.sh (and the scripts it runs): a stage timer. Each stage appends one line
# to $PROBECTL_STAGES (default build/stage-times.tsv): name, start and end in seconds since the
# epoch, exit status. scripts/stage-table.sh prints the table, with the matrix's rows, after any run.
# shellcheck shell=bash

: "${PROBECTL_STAGES:=$PWD/build/stage-times.tsv}"
export PROBECTL_STAGES

# stage NAME COMMAND [ARGS...]: runs the command, records its wall time, returns its status.
stage() {
  local name=$1 start end status=0
  shift
  start=$(date +%s)
  "$@" || status=$?
  end=$(date +%s)
  mkdir -p "$(dirname "$PROBECTL_STAGES")"
  printf '%s\t%s\t%s\t%s\n' "$name" "$start" "$end" "$status" >>"$PROBECTL_STAGES"
  return "$status"
}
