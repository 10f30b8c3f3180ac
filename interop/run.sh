#!/usr/bin/env bash
# Runs the revoke SDK's interop tests against two real authorization servers:
# panva's oidc-provider (Node.js, started here on a free loopback port) and
# ory/fosite (Go, composed in process by the tests).
#
# oidc-provider also serves its endpoints over TLS on a second loopback port
# (it picks a free one itself and advertises it as mtls_endpoint_aliases) for
# the mutual-TLS tests, and requires DPoP nonces. The tests generate every
# TLS key, certificate and DPoP key they use at test time; none is committed.
#
# Installs what it needs itself (npm ci from the committed lockfile; Go
# modules come through go test), and fails loudly, never skips, when a peer
# cannot start. Every process it starts is stopped on exit, also on failure.
#
# Usage: bash interop/run.sh            (from anywhere)
# Env:   READY_TIMEOUT  seconds to wait for oidc-provider (default 60)
#        GO_TEST_FLAGS  extra flags for go test (e.g. "-run OIDC -v")
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ready_timeout="${READY_TIMEOUT:-60}"

fail() {
	echo "interop/run.sh: FAIL: $*" >&2
	exit 1
}

for tool in node npm go; do
	command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is not installed; the interop tests need node, npm and go"
done

workdir="$(mktemp -d)"
server_pid=""

# stop_server ends the oidc-provider started below: TERM, then KILL if it
# has not gone within 5 s (a node still starting up can miss a TERM).
stop_server() {
	[[ -n "$server_pid" ]] || return 0
	local pid="$server_pid"
	server_pid=""
	kill -TERM "$pid" 2>/dev/null || return 0
	local i
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local status=$?
	# A forked child that has not yet become node inherits this trap; only
	# the script itself cleans up.
	[[ "${BASHPID:-$$}" == "$$" ]] || exit "$status"
	stop_server
	if [[ $status -ne 0 && -s "$workdir/oidc-provider.log" ]]; then
		echo "---- oidc-provider log (last 60 lines) ----" >&2
		tail -n 60 "$workdir/oidc-provider.log" >&2 || true
		echo "---- end of oidc-provider log ----" >&2
	fi
	rm -rf "$workdir"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start=$SECONDS

echo "interop: installing oidc-provider from the committed lockfile (npm ci)"
(cd "$here/oidc-provider" && npm ci --no-audit --no-fund --loglevel=error) ||
	fail "npm ci in interop/oidc-provider failed"

# free_port asks the kernel for an unused loopback port. Another process may
# take it before the server binds it; the loop below then tries again.
free_port() {
	node -e 'const s = require("node:net").createServer();
s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

issuer=""
for attempt in 1 2 3; do
	port="$(free_port)" || fail "could not find a free loopback port"
	log="$workdir/oidc-provider.log"
	: >"$log"
	node "$here/oidc-provider/server.mjs" "$port" >"$log" 2>&1 &
	server_pid=$!

	deadline=$((SECONDS + ready_timeout))
	while ((SECONDS < deadline)); do
		if line="$(grep -m1 '^oidc-provider ready ' "$log")"; then
			issuer="${line#oidc-provider ready }"
			break
		fi
		if ! kill -0 "$server_pid" 2>/dev/null; then
			break
		fi
		sleep 0.2
	done
	[[ -n "$issuer" ]] && break

	if kill -0 "$server_pid" 2>/dev/null; then
		fail "oidc-provider printed no ready line within ${ready_timeout}s on 127.0.0.1:$port"
	fi
	wait "$server_pid" 2>/dev/null || true
	server_pid=""
	if grep -q 'EADDRINUSE' "$log" && ((attempt < 3)); then
		echo "interop: port $port was taken before oidc-provider bound it; trying another" >&2
		continue
	fi
	fail "oidc-provider exited before it was ready (attempt $attempt, port $port)"
done
[[ -n "$issuer" ]] || fail "oidc-provider did not start"
echo "interop: oidc-provider ready at $issuer (after $((SECONDS - start))s)"
mtls_line="$(grep -m1 '^oidc-provider mTLS aliases at ' "$log")" ||
	fail "oidc-provider started without its mutual-TLS listener"
echo "interop: ${mtls_line#oidc-provider }"

export OIDC_PROVIDER_URL="$issuer"
cd "$here"
go vet ./...
# shellcheck disable=SC2086 # GO_TEST_FLAGS is a list of flags on purpose.
go test -race -count=1 -timeout 4m ${GO_TEST_FLAGS:-} ./...

echo "interop: all peers passed in $((SECONDS - start))s"
