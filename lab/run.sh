#!/bin/bash
# `npm run lab`: installs the real stack from Debian packages, runs every scenario of lab/scenarios.py against the
# RabbitMQ broker on 127.0.0.1:5672, and writes lab/results.json and lab/RESULTS.md. Takes 10 to 14 minutes.
# Whatever happens (error, Ctrl-C, kill), the EXIT trap ends the processes the lab started, deletes its network
# namespace (with its veth pair and nftables rules) and its vhost, and brings the broker back if it is down.
set -euo pipefail
LAB="$(cd "$(dirname "$0")" && pwd)"
OUT="$LAB/out"
PY=/usr/bin/python3   # Debian's python3-oslo.messaging is for Debian's python, not a pyenv one first in PATH
PACKAGES=(apache2 libapache2-mod-wsgi-py3 uwsgi uwsgi-plugin-python3 python3-eventlet python3-oslo.messaging nftables iproute2)
STARTED_BROKER=0

cleanup() {
  set +e
  # Every process the lab started was recorded in out/pids, each leading its own process group (apache's and
  # uWSGI's children included): end those groups and nothing else.
  if [[ -f "$OUT/pids" ]]; then
    while read -r pid; do kill -TERM -- "-$pid" 2>/dev/null; done < "$OUT/pids"
    sleep 2
    while read -r pid; do kill -KILL -- "-$pid" 2>/dev/null; done < "$OUT/pids"
  fi
  [[ -n "${LAB_PID:-}" ]] && kill "$LAB_PID" 2>/dev/null
  "$LAB/netns.sh" down
  # The broker-restart scenario stops the broker's application: make sure it runs and accepts connections again.
  if ! rabbitmqctl -q status >/dev/null 2>&1 || ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
    rabbitmqctl start_app >/dev/null 2>&1
    rabbitmqctl await_startup --timeout 120 >/dev/null 2>&1
  fi
  rabbitmqctl -q delete_vhost heartbeat-lab >/dev/null 2>&1
  if [[ "$STARTED_BROKER" == 1 ]]; then rabbitmqctl stop >/dev/null 2>&1; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

missing=()
for p in "${PACKAGES[@]}" rabbitmq-server; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "lab: installing ${missing[*]}"
  apt-get update -qq
  # Debian's maintainer scripts must not start the system apache2 / uwsgi services: the lab runs its own instances.
  # (A policy-rc.d the machine already has is left as it is.)
  own_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" || status=$?
  if [[ "$own_policy" == 1 ]]; then rm -f /usr/sbin/policy-rc.d; fi
  ((status == 0)) || exit "$status"
fi

if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  echo "lab: no broker on 127.0.0.1:5672, starting Debian's rabbitmq-server (stopped again at the end)"
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 rabbitmq-server -detached
  STARTED_BROKER=1
  rabbitmqctl await_startup --timeout 120
fi

rm -rf "$OUT"
mkdir -p "$OUT"
cd "$LAB"
"$PY" run_lab.py &
LAB_PID=$!
wait "$LAB_PID"
LAB_PID=
"$PY" report.py
echo "lab: wrote lab/results.json and lab/RESULTS.md (raw logs in lab/out/, not committed)"
