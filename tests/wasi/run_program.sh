#!/usr/bin/env bash
# Runs one WASI test program through the `tern` CLI in a fresh scratch directory and checks the
# exit status, the program's summary line and its output; then checks that nothing outside the
# preopen changed.
#
#   run_program.sh --tern PATH --engine interp|jit --scratch DIR --wasm FILE
#                  [--exit N] [--stdin TEXT] [--stdout REGEX] [--stderr REGEX] [--no-summary]
#                  [--escapes] [--option=TERN_RUN_OPTION]... [--arg=PROGRAM_ARG]...
#
# The scratch directory holds sandbox/ (preopened as /sandbox, the guest's fd 3) next to a
# sentinel file and directory outside it. --escapes adds the links sandbox.c tries to leave by:
# sandbox/escape_rel → ../outside.txt, escape_abs → the absolute path, escape_dir → ../outside_dir,
# and a directory sandbox/inner. Unless --no-summary, stdout must hold the line check.h's
# finish() prints, "NAME: N checks, 0 failures" with N > 0 (NAME: FILE without .wasm).
# Regexes are bash EREs matched against the whole output.
set -u

tern="" engine="" scratch="" wasm="" want_exit=0 stdin_text="" want_stdout=""
want_stderr="" summary=1 escapes=0
options=() args=()
while (($#)); do
  case "$1" in
    --tern) tern=$2; shift ;;
    --engine) engine=$2; shift ;;
    --scratch) scratch=$2; shift ;;
    --wasm) wasm=$2; shift ;;
    --exit) want_exit=$2; shift ;;
    --stdin) stdin_text=$2; shift ;;
    --stdout) want_stdout=$2; shift ;;
    --stderr) want_stderr=$2; shift ;;
    --no-summary) summary=0 ;;
    --escapes) escapes=1 ;;
    --option=*) options+=("${1#--option=}") ;;
    --arg=*) args+=("${1#--arg=}") ;;
    *) echo "run_program.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -n $tern && -n $engine && -n $scratch && -n $wasm ]] || {
  echo "run_program.sh: --tern, --engine, --scratch and --wasm are required" >&2
  exit 2
}
name=$(basename "$wasm" .wasm)

rm -rf "$scratch"
mkdir -p "$scratch/sandbox" "$scratch/outside_dir" || exit 1
scratch=$(cd "$scratch" && pwd)
printf 'sentinel\n' >"$scratch/outside.txt"
if ((escapes)); then
  mkdir "$scratch/sandbox/inner"
  ln -s ../outside.txt "$scratch/sandbox/escape_rel"
  ln -s "$scratch/outside.txt" "$scratch/sandbox/escape_abs"
  ln -s ../outside_dir "$scratch/sandbox/escape_dir"
fi
# An old time: a guest that touched anything outside would leave a newer one behind.
touch -h -d @1000000000 "$scratch/outside.txt" "$scratch/outside_dir"
printf '%s' "$stdin_text" >"$scratch/stdin"
# Created now: creating them during the run would change the scratch directory's times.
: >"$scratch/stdout" && : >"$scratch/stderr"

# Everything outside the preopen: path, type, size, link count, link target, mtime, ctime.
outside_state() {
  find "$scratch" -path "$scratch/sandbox" -prune -o -path "$scratch/stdout" -prune \
    -o -path "$scratch/stderr" -prune -o -printf '%p %y %s %n %l %T@ %C@\n' | sort
}
before=$(outside_state)

"$tern" run --engine "$engine" --dir "$scratch/sandbox::/sandbox" "${options[@]}" "$wasm" \
  "${args[@]}" <"$scratch/stdin" >"$scratch/stdout" 2>"$scratch/stderr"
status=$?

after=$(outside_state)
# Command substitution drops trailing newlines; the x keeps them.
out=$(cat "$scratch/stdout"; printf x) && out=${out%x}
err=$(cat "$scratch/stderr"; printf x) && err=${err%x}

problems=()
[[ $status == "$want_exit" ]] || problems+=("exit status $status, expected $want_exit")
if ((summary)); then
  summary_re="(^|"$'\n'")$name: [1-9][0-9]* checks, 0 failures"$'\n'
  [[ $out =~ $summary_re ]] || problems+=("no '$name: N checks, 0 failures' summary on stdout")
fi
[[ -z $want_stdout || $out =~ $want_stdout ]] || problems+=("stdout does not match: $want_stdout")
[[ -z $want_stderr || $err =~ $want_stderr ]] || problems+=("stderr does not match: $want_stderr")
[[ $before == "$after" ]] || problems+=("outside the preopen changed:"$'\n'"$(diff <(echo "$before") <(echo "$after"))")
[[ $(cat "$scratch/outside.txt") == sentinel ]] || problems+=("outside.txt was changed")

echo "$tern run --engine $engine --dir $scratch/sandbox::/sandbox ${options[*]} $wasm ${args[*]}"
echo "exit status $status"
echo "--- stdout ---"
printf '%s' "$out"
echo "--- stderr ---"
printf '%s' "$err"
if ((${#problems[@]})); then
  printf 'FAILED: %s\n' "${problems[@]}"
  exit 1
fi
rm -rf "$scratch"
echo "passed"
