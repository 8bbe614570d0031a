#!/usr/bin/env bash
# `tern serve` end to end against the WAGI handler (handler.c), with curl as the client:
# GET and POST, the CGI environment, isolation between requests, 500 for a trap, 504 for the
# --timeout, 413 for a large body, malformed output, the guest's stderr in the log, a flood of
# garbage, huge and slow requests survived, the guards against slow and malicious clients
# (slowloris, endless headers, a client that never reads, a connection cap answering 503), the
# metrics parsed, and SIGTERM draining a request in flight.
#
#   serve_test.sh --tern PATH --engine interp|jit --wasm FILE --scratch DIR
set -u

tern="" engine="" wasm="" scratch=""
while (($#)); do
  case "$1" in
    --tern) tern=$2; shift ;;
    --engine) engine=$2; shift ;;
    --wasm) wasm=$2; shift ;;
    --scratch) scratch=$2; shift ;;
    *) echo "serve_test.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -n $tern && -n $engine && -n $wasm && -n $scratch ]] || {
  echo "serve_test.sh: --tern, --engine, --wasm and --scratch are required" >&2
  exit 2
}
command -v curl >/dev/null || { echo "serve_test.sh: curl is required (apt install curl)"; exit 1; }

rm -rf "$scratch"
mkdir -p "$scratch" || exit 1
log=$scratch/server.log
failures=0
fail() {
  echo "FAILED: $*"
  failures=$((failures + 1))
}

"$tern" serve --engine "$engine" --addr 127.0.0.1:0 --timeout 3s --max-body 1000 \
  --header-timeout 2s --max-connections 64 --env GREETING=hi --route "/app=$wasm" --route "/=$wasm" 2>"$log" &
server=$!
trap 'kill -9 "$server" 2>/dev/null' EXIT
trap 'exit 1' TERM INT

port=""
for _ in $(seq 200); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log")
  [[ -n $port ]] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
[[ -n $port ]] || { echo "FAILED: the server did not start"; cat "$log"; exit 1; }
base=http://127.0.0.1:$port

# request NAME CURL-ARGS...: the status in $status, the body in $body, headers in $headers.
request() {
  local name=$1
  shift
  status=$(curl -s -m 30 -o "$scratch/$name.body" -D "$scratch/$name.headers" -w '%{http_code}' "$@")
  body=$(cat "$scratch/$name.body" 2>/dev/null)
  headers=$(tr -d '\r' <"$scratch/$name.headers" 2>/dev/null)
}
expect() {  # expect NAME STATUS BODY-REGEX
  [[ $status == "$2" ]] || fail "$1: status $status, expected $2 (body: ${body:0:200})"
  [[ $body =~ $3 ]] || fail "$1: body '${body:0:200}' does not match '$3'"
}

request get "$base/app/hello?x=1"
expect get 200 '^hello from /hello$'
[[ $headers =~ X-Request-Id:\ [0-9a-f]{8} ]] || fail "get: no X-Request-Id header"

request env -H 'X-Test: 42' "$base/app/env?a=b&c=d"
expect env 200 'REQUEST_METHOD=GET'
for want in 'SCRIPT_NAME=/app' 'PATH_INFO=/env' 'QUERY_STRING=a=b&c=d' 'HTTP_X_TEST=42' \
  'SERVER_PROTOCOL=HTTP/1.1' 'REMOTE_ADDR=127.0.0.1' 'GREETING=hi' 'CONTENT_LENGTH=0'; do
  [[ $body == *"$want"* ]] || fail "env: no $want in: $body"
done

request root "$base/other/path"
expect root 200 '^hello from /other/path$'

request echo -H 'Content-Type: text/x-test' --data-binary 'hello body' "$base/app/echo"
expect echo 200 '^hello body$'
request post-env -H 'Content-Type: text/x-test' --data-binary 'hello body' "$base/app/env"
for want in 'REQUEST_METHOD=POST' 'CONTENT_TYPE=text/x-test' 'CONTENT_LENGTH=10'; do
  [[ $body == *"$want"* ]] || fail "post-env: no $want in: $body"
done

for i in 1 2 3; do
  request "counter$i" "$base/app/counter"
  expect "counter$i" 200 '^1$'
done

request status "$base/app/status"
expect status 418 '^teapot$'
[[ $headers == *"X-Handler: yes"* ]] || fail "status: no X-Handler header"

request redirect "$base/app/redirect"
[[ $status == 302 && $headers == *"Location: /elsewhere"* ]] || fail "redirect: $status $headers"

request stderr "$base/app/stderr"
expect stderr 200 '^logged$'

request trap "$base/app/trap"
expect trap 500 'Internal Server Error'
request loop "$base/app/loop"
expect loop 504 'Gateway Timeout'
head -c 2000 /dev/zero | tr '\0' x >"$scratch/big"
request big --data-binary "@$scratch/big" "$base/app/echo"
expect big 413 'Payload Too Large'
request garbage "$base/app/garbage"
expect garbage 500 'Internal Server Error'
request after-faults "$base/app/counter"
expect after-faults 200 '^1$'

# Garbage, a huge header and slow clients (slowloris: headers never finished) while serving.
slow=()
for _ in $(seq 20); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /app/hello HTTP/1.1\r\nHost: x\r\n' >&$fd &&
    slow+=("$fd")
done
for _ in $(seq 30); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port" && head -c 300 /dev/urandom >&3 && printf '\r\n\r\n' >&3 &&
    timeout 10 cat <&3 >/dev/null) 2>/dev/null &
done
huge=$(head -c 100000 /dev/zero | tr '\0' a)
request huge -H "X-Huge: $huge" "$base/app/hello"
[[ $status =~ ^4[0-9][0-9]$ ]] || fail "huge header: status $status, expected a 4xx"
request during-flood "$base/app/hello"
expect during-flood 200 '^hello from /hello$'
wait $(jobs -p | grep -v "^$server\$") 2>/dev/null
for fd in "${slow[@]}"; do exec {fd}>&-; done
request after-flood "$base/app/counter"
expect after-flood 200 '^1$'
kill -0 "$server" 2>/dev/null || fail "the server died"

# The guards of tools/serve/guarded_server.h, all at once (the waits overlap):
# - slowloris proper: 10 connections trickle a header a byte every 0.2 s; --header-timeout (2s)
#   ends each, where cpp-httplib alone waits as long as every byte comes within 5 s;
# - a client that never reads a 32 MiB response: dropped once a write makes no progress for 5 s;
# - a head of 2,000 header lines, each short (cpp-httplib 0.11 limits lines, not their number):
#   400 at 64 KiB.
trickle() {  # trickle FILE: writes to FILE the seconds until the server closed the connection
  trap '' PIPE
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return
  printf 'GET /app/hello HTTP/1.1\r\nHost: x\r\nX-Slow: ' >&3
  local start=$EPOCHREALTIME
  for _ in $(seq 100); do
    read -r -t 0 -u 3 && break # the answer (400) or the end of the connection
    printf 'x' >&3 2>/dev/null || break
    sleep 0.2
  done
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", b - a }' >"$1"
}
for i in $(seq 10); do trickle "$scratch/trickle$i" & done
exec {lazy}<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /app/large HTTP/1.1\r\nHost: x\r\n\r\n' >&$lazy
for i in $(seq 2000); do printf 'X-Many-%d: %0100d\n' "$i" 0; done >"$scratch/many-headers"
request many -H "@$scratch/many-headers" "$base/app/hello"
[[ $status == 400 ]] || fail "2000 headers: status $status, expected 400"
request during-slow "$base/app/hello"
expect during-slow 200 '^hello from /hello$'
wait $(jobs -p | grep -v "^$server\$") 2>/dev/null
for i in $(seq 10); do
  held=$(cat "$scratch/trickle$i" 2>/dev/null)
  [[ -n $held ]] && awk -v s="$held" 'BEGIN { exit !(s >= 1.5 && s < 5) }' ||
    fail "slowloris $i: held ${held:-?} s, expected the 2 s --header-timeout"
done
# The non-reader is gone within the 5 s without progress (and the slow ones): one connection
# open, the metrics request's own.
for _ in $(seq 100); do
  request open "$base/.well-known/tern/metrics"
  open=$(grep -E '^tern_connections_open ' "$scratch/open.body" | awk '{print $2}')
  [[ $open == 1 ]] && break
  sleep 0.1
done
[[ $open == 1 ]] || fail "connections still open after the non-reader's deadline: $open"
exec {lazy}>&-

# Past --max-connections (64) a connection is answered 503 at once, not queued behind idle ones.
idle=()
for _ in $(seq 70); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$port" && idle+=("$fd")
done
sleep 0.3
request busy -m 3 "$base/app/hello"
[[ $status == 503 ]] || fail "over --max-connections: status $status, expected 503"
[[ $headers == *"Retry-After: 1"* ]] || fail "503: no Retry-After"
for fd in "${idle[@]}"; do exec {fd}>&-; done
for _ in $(seq 50); do
  request after-busy "$base/app/counter"
  [[ $status == 200 ]] && break
  sleep 0.1
done
expect after-busy 200 '^1$'

request metrics "$base/.well-known/tern/metrics"
[[ $status == 200 ]] || fail "metrics: status $status"
# Every sample line: NAME{LABELS} VALUE, in the Prometheus text format.
bad=$(grep -v '^#' "$scratch/metrics.body" | grep -Ev '^[a-z_]+(\{[a-z]+="[^"]*"\})? [-+0-9.e]+$')
[[ -z $bad ]] || fail "metrics: lines not in the text format: $bad"
metric() { grep -E "^$1 " "$scratch/metrics.body" | awk '{print $2}'; }
[[ $(metric 'tern_requests_total\{status="200"\}') -ge 10 ]] || fail "metrics: 200s: $(metric 'tern_requests_total\{status="200"\}')"
[[ $(metric 'tern_requests_total\{status="504"\}') == 1 ]] || fail "metrics: no 504 counted"
[[ $(metric 'tern_requests_total\{status="413"\}') == 1 ]] || fail "metrics: no 413 counted"
[[ $(metric tern_timeouts_total) == 1 ]] || fail "metrics: timeouts $(metric tern_timeouts_total)"
[[ $(metric tern_traps_total) == 1 ]] || fail "metrics: traps $(metric tern_traps_total)"
[[ $(metric tern_connections_rejected_total) -ge 1 ]] || fail "metrics: no rejected connection"
[[ $(metric tern_instances_live) == 0 ]] || fail "metrics: instances live $(metric tern_instances_live)"
[[ $(metric tern_instantiation_duration_seconds_count) -ge 10 ]] || fail "metrics: instantiations"
[[ $(metric 'tern_request_duration_seconds_bucket\{le="\+Inf"\}') -ge 10 ]] || fail "metrics: histogram"

# SIGTERM while a request sleeps in its guest: that request is still answered, then tern exits 0.
curl -s -m 30 -o "$scratch/sleep.body" -w '%{http_code}' "$base/app/sleep" >"$scratch/sleep.status" &
client=$!
# SIGTERM once the guest runs (a connection not yet accepted when the listener closes is refused).
for _ in $(seq 200); do
  curl -s -m 5 "$base/.well-known/tern/metrics" | grep -q '^tern_instances_live 1$' && break
  sleep 0.05
done
kill -TERM "$server"
wait "$client"
[[ $(cat "$scratch/sleep.status") == 200 && $(cat "$scratch/sleep.body") == slept ]] ||
  fail "drain: the request in flight got $(cat "$scratch/sleep.status") '$(cat "$scratch/sleep.body")'"
for _ in $(seq 100); do
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$server" 2>/dev/null; then
  fail "the server did not exit after SIGTERM"
else
  wait "$server"
  code=$?
  [[ $code == 0 ]] || fail "the server exited with $code after SIGTERM"
fi

# The log: one line per request, the guest's stderr and each fault with its request id.
grep -Eq '^[0-9a-f]{8} GET /app/hello 200 [0-9]+us mem=[0-9]+$' "$log" || fail "log: no request line"
grep -Eq '^[0-9a-f]{8} stderr: a line for the log$' "$log" || fail "log: no guest stderr line"
grep -Eq '^[0-9a-f]{8} error: Error: unreachable' "$log" || fail "log: no trap message"
grep -Eq '^[0-9a-f]{8} error: wasm backtrace:' "$log" || fail "log: no backtrace"
grep -Eq '^[0-9a-f]{8} error: the --timeout of 3s elapsed' "$log" || fail "log: no timeout"
grep -Eq '^[0-9a-f]{8} error: malformed CGI output' "$log" || fail "log: no malformed output"
grep -q 'SIGTERM, draining' "$log" || fail "log: no drain"

if ((failures)); then
  echo "--- server log ---"
  tail -n 60 "$log"
  exit 1
fi
echo "serve_test: all checks passed ($engine)"
