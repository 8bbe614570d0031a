#!/usr/bin/env bash
# `tern run --timeout` against a guest blocked in a WASI call (modules/blocking_waits.wat): the
# run must end with the timeout's trap message well within a generous bound, never hang.
#
#   blocking_timeout.sh --tern PATH --engine interp|jit --wat FILE --scratch DIR --case CASE
#
# CASE: poll_hour (a one-hour poll_oneoff clock), read_stdin (a stdin that stays open),
# write_stdout (a stdout pipe nobody reads), accept (sock_accept on --listen), open_fifo
# (path_open of a FIFO nobody writes).
set -u

tern="" engine="" wat="" scratch="" case=""
while (($#)); do
  case "$1" in
    --tern) tern=$2; shift ;;
    --engine) engine=$2; shift ;;
    --wat) wat=$2; shift ;;
    --scratch) scratch=$2; shift ;;
    --case) case=$2; shift ;;
    *) echo "blocking_timeout.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -n $tern && -n $engine && -n $wat && -n $scratch && -n $case ]] || {
  echo "blocking_timeout.sh: --tern, --engine, --wat, --scratch and --case are required" >&2
  exit 2
}
readonly bound_ms=5000  # the timeout is 300 ms; this only tells "ended" from "hung"

rm -rf "$scratch"
mkdir -p "$scratch/dir" || exit 1
run=("$tern" run --engine "$engine" --timeout 300ms)
stdin=/dev/null stdout="$scratch/stdout"
case $case in
  poll_hour) ;;
  read_stdin)
    # Held open for writing here, never written: the guest's read waits.
    mkfifo "$scratch/in" && exec {held_in}<>"$scratch/in" || exit 1
    stdin="$scratch/in" ;;
  write_stdout)
    # Held open for reading here, never read: the pipe fills and the guest's write waits.
    mkfifo "$scratch/out" && exec {held_out}<>"$scratch/out" || exit 1
    stdout="$scratch/out" ;;
  accept) run+=(--listen 127.0.0.1:0) ;;
  open_fifo)
    mkfifo "$scratch/dir/fifo" || exit 1
    run+=(--dir "$scratch/dir") ;;
  *) echo "blocking_timeout.sh: unknown case $case" >&2; exit 2 ;;
esac

start=$(date +%s%N)
# `timeout` only so that a regression fails here rather than at CTest's limit.
timeout -k 1 30 "${run[@]}" --invoke "$case" "$wat" <"$stdin" >"$stdout" 2>"$scratch/stderr"
status=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))

fail() {
  echo "FAILED ($case on $engine): $*"
  echo "--- stderr ---"
  cat "$scratch/stderr"
  exit 1
}
((status == 124 || status == 137)) && fail "still blocked after 30 s"
((status == 1)) || fail "exit status $status, expected 1 (a trap)"
grep -q '^Error: the --timeout of 300ms elapsed$' "$scratch/stderr" ||
  fail "no 'the --timeout of 300ms elapsed' trap"
((elapsed_ms < bound_ms)) || fail "ended after ${elapsed_ms} ms, more than ${bound_ms} ms"
echo "$case on $engine: trapped after ${elapsed_ms} ms"
rm -rf "$scratch"
echo "passed"
