# Sourced by the scale benchmarks: a throwaway PostgreSQL cluster (initdb + pg_ctl as the postgres user) in a fresh
# $work directory on a free 127.0.0.1 port. Sets: bin, work, port, pids (processes to kill at exit). Removes it all at exit.
# Usage: source tests/scale/throwaway-postgres.sh NAME
bin=$(ls -d /usr/lib/postgresql/*/bin | sort | tail -1)
work=$(mktemp -d "/tmp/estimator-$1-XXXX"); chown postgres:postgres "$work"; chmod 755 "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
su postgres -s /bin/sh -c "$bin/initdb -D $work/data -U postgres --auth=trust -E UTF8 --no-sync" >/dev/null
su postgres -s /bin/sh -c "$bin/pg_ctl -D $work/data -l $work/pg.log -w -o '-c listen_addresses=127.0.0.1 -p $port -k $work -c fsync=off' start" >/dev/null
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; su postgres -s /bin/sh -c "$bin/pg_ctl -D $work/data -m immediate -w stop" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
