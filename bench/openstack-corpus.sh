#!/usr/bin/env bash
# Fetch Debian's OpenStack configuration and code into .corpus/openstack/ (idempotent): the config files nova,
# neutron, cinder, glance, keystone, heat ship (oslo.config samples, uWSGI inis, Apache vhosts), oslo.messaging
# and nova's Python code, and Apache's own configuration. Used to look at what the rules find on real files.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=.corpus/openstack
DEBS=.corpus/debs-openstack
mkdir -p "$OUT" "$DEBS"
PKGS=(nova-common nova-api nova-compute nova-conductor nova-scheduler python3-nova python3-oslo.messaging
      neutron-common neutron-server neutron-openvswitch-agent neutron-dhcp-agent neutron-l3-agent neutron-metadata-agent
      cinder-common cinder-api glance-common glance-api keystone heat-common heat-api
      apache2 libapache2-mod-wsgi-py3 rabbitmq-server)
if [ -z "$(apt-cache policy nova-common 2>/dev/null | grep 'Candidate: [0-9]')" ]; then apt-get update -qq; fi
missing=()
for p in "${PKGS[@]}"; do ls "$DEBS/${p}_"*.deb >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  (cd "$DEBS" && for p in "${missing[@]}"; do apt-get download -qq "$p" || echo "not available: $p" >&2; done)
fi
for deb in "$DEBS"/*.deb; do
  stamp="$OUT/.$(basename "$deb").done"
  [ -f "$stamp" ] || { dpkg -x "$deb" "$OUT"; touch "$stamp"; }
done
echo "unpacked $(ls "$DEBS" | wc -l) packages into $OUT"
