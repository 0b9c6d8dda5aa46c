# Shared by the conformance scripts (sourced, not run): installs schemathesis from PyPI into a
# venv on first use, starts $LOKET with the demo organisation on a fresh SQLite database in
# $WORK/data, and sets ORIGIN to its address; the server is stopped and $WORK removed on exit.
VENV=target/schemathesis-venv
test -x "$LOKET" || { echo "build Loket first (cargo build)" >&2; exit 1; }

if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "==> installing schemathesis into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi

"$LOKET" demo --live-calls false --data-dir "$WORK/data" --listen 127.0.0.1:0 >"$WORK/loket.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
ORIGIN=""
for _ in $(seq 1 120); do
  ORIGIN=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/loket.log" | head -n1 || true)
  [ -n "$ORIGIN" ] && curl -sf "$ORIGIN/readyz" >/dev/null && break
  sleep 0.5
done
[ -n "$ORIGIN" ] || { cat "$WORK/loket.log" >&2; echo "Loket did not start" >&2; exit 1; }
