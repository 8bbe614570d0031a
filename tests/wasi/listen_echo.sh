#!/usr/bin/env bash
# End to end through `tern run --listen`: starts the guest echo server (echo_server.c) on
# 127.0.0.1:0, finds the port the kernel chose, connects with bash's /dev/tcp, sends a line and
# checks that the same line comes back, then the server's exit status and summary.
#
#   listen_echo.sh --tern PATH --engine interp|jit --scratch DIR --wasm FILE
#
# The port is found from the listening socket tern holds (/proc/PID/fd and /proc/net/tcp), so
# the client connects exactly once, to the right server, as soon as it listens.
set -u

tern="" engine="" scratch="" wasm=""
while (($#)); do
  case "$1" in
    --tern) tern=$2; shift ;;
    --engine) engine=$2; shift ;;
    --scratch) scratch=$2; shift ;;
    --wasm) wasm=$2; shift ;;
    *) echo "listen_echo.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -n $tern && -n $engine && -n $scratch && -n $wasm ]] || {
  echo "listen_echo.sh: --tern, --engine, --scratch and --wasm are required" >&2
  exit 2
}
readonly timeout_tenths=200  # each wait below gives up after 20 s, ample on a loaded machine

rm -rf "$scratch"
mkdir -p "$scratch/sandbox" || exit 1

"$tern" run --engine "$engine" --dir "$scratch/sandbox::/sandbox" --listen 127.0.0.1:0 "$wasm" \
  >"$scratch/stdout" 2>"$scratch/stderr" &
server=$!
# Never leave the server behind, also when CTest's timeout stops this script.
trap 'kill "$server" 2>/dev/null' EXIT
trap 'exit 1' TERM INT

fail() {
  echo "FAILED: $*"
  kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  echo "--- server stdout ---"
  cat "$scratch/stdout"
  echo "--- server stderr ---"
  cat "$scratch/stderr"
  exit 1
}

# The local port of a TCP socket in LISTEN state (0A) that process $1 holds, or nothing.
listening_port() {
  local fd link inodes=" "
  for fd in /proc/"$1"/fd/*; do
    link=$(readlink "$fd" 2>/dev/null) || continue
    [[ $link =~ ^socket:\[([0-9]+)\]$ ]] && inodes+="${BASH_REMATCH[1]} "
  done
  local _sl local_address _rem state _queues _timer _retr _uid _timeout inode _rest
  while read -r _sl local_address _rem state _queues _timer _retr _uid _timeout inode _rest; do
    if [[ $state == 0A && $inodes == *" $inode "* ]]; then
      echo $((16#${local_address#*:}))
      return
    fi
  done < <(tail -n +2 /proc/net/tcp)
}

port=""
for ((i = 0; i < timeout_tenths; ++i)); do
  kill -0 "$server" 2>/dev/null || fail "tern exited before listening"
  port=$(listening_port "$server")
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || fail "tern did not listen within 20 s"

line="hello over tern --listen, engine $engine"
exec {conn}<>"/dev/tcp/127.0.0.1/$port" || fail "cannot connect to 127.0.0.1:$port"
printf '%s\n' "$line" >&"$conn"
# Everything until the server shuts its side down (read's status is 1 at end of stream).
IFS= read -r -d '' -t $((timeout_tenths / 10)) reply <&"$conn"
(($? > 128)) && fail "no end of stream from the server within 20 s (got '$reply')"
exec {conn}>&-
[[ $reply == "$line"$'\n' ]] ||
  fail "echo $(printf %q "$reply"), expected $(printf %q "$line"$'\n')"

for ((i = 0; i < timeout_tenths; ++i)); do
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$server" 2>/dev/null && fail "tern still running 20 s after the client closed"
wait "$server"
status=$?
((status == 0)) || fail "tern exited with status $status"
grep -Eq '^echo_server: [1-9][0-9]* checks, 0 failures$' "$scratch/stdout" ||
  fail "no 'echo_server: N checks, 0 failures' summary"
echo "port $port: echoed '$line'"
cat "$scratch/stdout"
rm -rf "$scratch"
echo "passed"
