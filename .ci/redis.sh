# Sourced by .ci/run: a throw-away redis-server for the Redis suites (test/redis), exported as
# REDIS_URL. Loopback only, no persistence, its own temp dir; stopped when .ci/run exits.
if ! command -v redis-server >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y redis-server
fi
REDIS_DIR="$(mktemp -d)"
REDIS_PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$REDIS_DIR" \
  --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
stop_ci_redis() {
  [ -f "$REDIS_DIR/redis.pid" ] && kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true
  rm -rf "$REDIS_DIR"
}
trap 'stop_ci_redis' EXIT
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" ping
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
echo "::: redis-server $(redis-server --version | cut -d' ' -f3) at $REDIS_URL"
