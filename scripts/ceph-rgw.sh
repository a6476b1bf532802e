#!/usr/bin/env bash
# Starts and stops a throwaway, single-node, loopback-only Ceph RADOS Gateway (RGW): an independent
# implementation of STS (AssumeRoleWithWebIdentity, AssumeRole), IAM roles and OIDC providers, and S3, against
# which the interop suite (aws-delegation-interop-tests) proves that the credentials this project obtains are
# scoped the way it asked. See docs/interop.md.
#
#   scripts/ceph-rgw.sh start [--max-lifetime SECONDS] [--owner-pid PID]
#   scripts/ceph-rgw.sh stop
#   scripts/ceph-rgw.sh status
#
# start prints (and writes to $CEPH_RGW_DIR/env) the lines
#   CEPH_RGW_ENDPOINT=http://127.0.0.1:7480
#   CEPH_RGW_ACCESS_KEY=...   CEPH_RGW_SECRET_KEY=...   CEPH_RGW_ACCOUNT=...   CEPH_RGW_USER_ARN=...
# It is idempotent: when the gateway already answers, it prints them again and does nothing else.
#
# Shape: 1 monitor, 1 OSD on memstore (nothing on disk but config and logs), no cephx, no manager; every daemon
# bound to 127.0.0.1 (monitor 3300/6789, OSD 6800+, gateway 7480); everything under one temporary directory,
# removed by stop. The cluster stops by itself after --max-lifetime seconds (default 1800) or as soon as the
# --owner-pid process ends (the test JVM), whichever comes first. Needs root and the Debian packages
# ceph-mon ceph-osd radosgw ceph-common.
set -euo pipefail

DIR="${CEPH_RGW_DIR:-${TMPDIR:-/tmp}/aws-delegation-ceph-rgw}"
PORT="${CEPH_RGW_PORT:-7480}"
ENDPOINT="http://127.0.0.1:${PORT}"
# The gateway's tenant doubles as the "account id" in role and provider ARNs (arn:aws:iam::<tenant>:role/...).
ACCOUNT="123456789012"
ADMIN_UID="admin"
# Throwaway keys of a loopback-only test gateway that lives for minutes; not secrets.
ACCESS_KEY="AKIAINTEROPADMIN0001"
SECRET_KEY="interop/admin/secret/key/for/a/local/rgw0"
STS_KEY="aws-delegation16"   # rgw_sts_key: exactly 16 characters
CONF="$DIR/ceph.conf"
MAX_LIFETIME=1800
OWNER_PID=""

die() { echo "ceph-rgw.sh: $*" >&2; exit 1; }
log() { echo "ceph-rgw.sh: $*" >&2; }

print_env() {
  cat "$DIR/env"
}

gateway_up() {
  curl -s -o /dev/null -m 2 -w '%{http_code}' "$ENDPOINT/" 2>/dev/null | grep -q '^200$'
}

pid_alive() {
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

stop_daemon() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

cmd_stop() {
  if [ -d "$DIR" ]; then
    stop_daemon "$DIR/run/watchdog.pid"
    # The gateway first, then the OSD, then the monitor.
    stop_daemon "$DIR/run/client.rgw.a.pid"
    stop_daemon "$DIR/run/osd.0.pid"
    stop_daemon "$DIR/run/mon.a.pid"
    rm -rf "$DIR"
    log "stopped"
  fi
}

check_prerequisites() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (Ceph daemons need it); CI runs as root. Locally: sudo $0 start"
  local missing=()
  for bin in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph curl uuidgen; do
    command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
  done
  [ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}; install the Debian packages: apt-get install -y ceph-mon ceph-osd radosgw ceph-common"
  for port in 3300 6789 "$PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "127.0.0.1:$port is taken by another process; stop it (or a gateway started from another directory) first"
    fi
  done
}

write_config() {
  local fsid="$1"
  cat > "$CONF" <<CONF
[global]
fsid = $fsid
mon_host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv6 = false
ms_bind_ipv4 = true
# Without this the gateway waits 300 s on "failed to fetch mon config".
ms_mon_client_mode = crc secure
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
mon_max_pg_per_osd = 1000
osd_crush_chooseleaf_type = 0
mon_warn_on_pool_no_redundancy = false
run_dir = $DIR/run
pid_file = $DIR/run/\$name.pid
admin_socket = $DIR/run/\$name.asok
log_file = $DIR/log/\$name.log
keyring = $DIR/keyring

[mon.a]
mon_data = $DIR/mon/a

[osd.0]
osd_data = $DIR/osd/0
osd_objectstore = memstore
memstore_device_bytes = 1073741824

[client.rgw.a]
rgw_data = $DIR/rgw
rgw_frontends = beast endpoint=127.0.0.1:$PORT
rgw_enable_apis = s3, admin, sts, iam
rgw_s3_auth_use_sts = true
rgw_sts_key = $STS_KEY
rgw_dns_name = 127.0.0.1
CONF
}

start_watchdog() {
  # Stops the cluster after MAX_LIFETIME seconds, or when OWNER_PID ends: no test run leaves it behind.
  local self deadline
  self="$(readlink -f "$0")"
  deadline=$(( $(date +%s) + MAX_LIFETIME ))
  nohup setsid bash -c '
    while [ "$(date +%s)" -lt '"$deadline"' ]; do
      if [ -n "'"$OWNER_PID"'" ] && ! kill -0 "'"$OWNER_PID"'" 2>/dev/null; then break; fi
      sleep 2
    done
    rm -f "'"$DIR"'/run/watchdog.pid"
    CEPH_RGW_DIR="'"$DIR"'" CEPH_RGW_PORT="'"$PORT"'" "'"$self"'" stop' >/dev/null 2>&1 &
  echo $! > "$DIR/run/watchdog.pid"
}

cmd_start() {
  if [ -f "$DIR/env" ] && pid_alive "$DIR/run/client.rgw.a.pid" && gateway_up; then
    log "already running at $ENDPOINT"
    print_env
    return 0
  fi
  check_prerequisites
  cmd_stop >/dev/null 2>&1 || true
  mkdir -p "$DIR"/{run,log,mon/a,osd/0,rgw}
  trap 'log "start failed; see the logs in $DIR/log (kept until the next start)"; stop_daemon "$DIR/run/client.rgw.a.pid"; stop_daemon "$DIR/run/osd.0.pid"; stop_daemon "$DIR/run/mon.a.pid"; stop_daemon "$DIR/run/watchdog.pid"' ERR
  start_watchdog
  local started fsid uuid
  started=$(date +%s)
  fsid="$(uuidgen)"
  write_config "$fsid"

  monmaptool --create --fsid "$fsid" --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' "$DIR/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" >/dev/null
  ceph-mon -c "$CONF" -i a
  timeout 60 ceph -c "$CONF" --connect-timeout 30 status >/dev/null

  uuid="$(uuidgen)"
  timeout 60 ceph -c "$CONF" osd new "$uuid" >/dev/null
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$uuid" >/dev/null 2>&1
  ceph-osd -c "$CONF" -i 0 2>>"$DIR/log/osd-start.log"

  radosgw -c "$CONF" -n client.rgw.a
  for _ in $(seq 1 120); do gateway_up && break; sleep 0.5; done
  gateway_up || { log "the gateway did not answer on $ENDPOINT in 60 s"; false; }

  radosgw-admin -c "$CONF" user create --tenant "$ACCOUNT" --uid "$ADMIN_UID" --display-name "interop admin" \
      --access-key "$ACCESS_KEY" --secret-key "$SECRET_KEY" >/dev/null
  radosgw-admin -c "$CONF" caps add --tenant "$ACCOUNT" --uid "$ADMIN_UID" \
      --caps "roles=*;oidc-provider=*;users=*;buckets=*" >/dev/null
  trap - ERR

  cat > "$DIR/env" <<ENV
CEPH_RGW_ENDPOINT=$ENDPOINT
CEPH_RGW_ACCESS_KEY=$ACCESS_KEY
CEPH_RGW_SECRET_KEY=$SECRET_KEY
CEPH_RGW_ACCOUNT=$ACCOUNT
CEPH_RGW_USER_ARN=arn:aws:iam::$ACCOUNT:user/$ADMIN_UID
ENV
  log "running at $ENDPOINT after $(( $(date +%s) - started )) s; stops by itself within $MAX_LIFETIME s"
  print_env
}

cmd_status() {
  if [ -f "$DIR/env" ] && gateway_up; then print_env; else echo "not running"; return 3; fi
}

action="${1:-}"
shift || true
while [ $# -gt 0 ]; do
  case "$1" in
    --max-lifetime) MAX_LIFETIME="$2"; shift 2 ;;
    --owner-pid) OWNER_PID="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
case "$action" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start [--max-lifetime SECONDS] [--owner-pid PID] | stop | status" >&2; exit 2 ;;
esac
