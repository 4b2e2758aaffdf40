#!/bin/bash
# The lab's network namespace: `netns.sh up` creates namespace hblab with a veth pair (host 10.231.0.1/30, namespace
# 10.231.0.2/30); `drop` / `restore` add and remove an nftables table inside the namespace that silently drops the
# client's packets to and from the forwarder; `down` deletes the namespace, which removes its veth pair and its
# nftables tables with it. Nothing is changed outside the namespace except the host end of the veth pair.
set -euo pipefail
NS=hblab HOST_IF=hblab-h NS_IF=hblab-n
case "${1:-}" in
  up)
    ip netns add "$NS"
    ip link add "$HOST_IF" type veth peer name "$NS_IF"
    ip link set "$NS_IF" netns "$NS"
    ip addr add 10.231.0.1/30 dev "$HOST_IF" && ip link set "$HOST_IF" up
    ip netns exec "$NS" ip addr add 10.231.0.2/30 dev "$NS_IF"
    ip netns exec "$NS" ip link set "$NS_IF" up
    ip netns exec "$NS" ip link set lo up ;;
  drop)
    ip netns exec "$NS" nft -f - <<'NFT'
table inet heartbeat_lab {
  chain out { type filter hook output priority 0; policy accept; ip daddr 10.231.0.1 tcp dport 35672 drop; }
  chain in { type filter hook input priority 0; policy accept; ip saddr 10.231.0.1 tcp sport 35672 drop; }
}
NFT
    ;;
  restore) ip netns exec "$NS" nft delete table inet heartbeat_lab ;;
  down)
    if ip netns list | grep -qw "$NS"; then ip netns del "$NS"; fi
    if ip link show "$HOST_IF" >/dev/null 2>&1; then ip link del "$HOST_IF"; fi ;;
  *) echo "usage: $0 up|drop|restore|down" >&2; exit 2 ;;
esac
