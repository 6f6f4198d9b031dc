#!/usr/bin/env bash
# Publish SendResult JSON lines to bounceguard.send-results with kcat.
#
#   examples/publish_send_results.sh                                # the bundled sample
#   examples/publish_send_results.sh results.jsonl
#   BOOTSTRAP=kafka:29092 examples/publish_send_results.sh results.jsonl
#   KCAT_OPTS="-X security.protocol=SASL_SSL -X sasl.mechanisms=PLAIN ..." examples/publish_send_results.sh
#
# Each line must be one JSON object (model SendResult, see schemas/). The record key is
# tenant/address in lower case, the key bounceguard uses, so one address's outcomes stay in
# order on one partition. bounceguard normalizes addresses again on its side (IDNA, etc.).
# Needs kcat (Debian: apt-get install kcat) and awk.
set -euo pipefail

FILE="${1:-$(dirname "$0")/sample_events.jsonl}"
BOOTSTRAP="${BOOTSTRAP:-${BOUNCEGUARD_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}}"
TOPIC="${TOPIC:-bounceguard.send-results}"
KCAT="${KCAT:-kcat}"
read -r -a extra <<< "${KCAT_OPTS:-}"

command -v "$KCAT" >/dev/null || { echo "kcat not found (apt-get install kcat)" >&2; exit 2; }
[ -r "$FILE" ] || { echo "cannot read $FILE" >&2; exit 2; }

# key<TAB>value per line. Lines without a "recipient" string are rejected here rather than
# dead-lettered later.
keyed=$(mktemp)
trap 'rm -f "$keyed"' EXIT
awk '
  NF == 0 { next }
  {
    if (!match($0, /"recipient"[ \t]*:[ \t]*"[^"]+"/)) { printf "line %d: no recipient\n", NR > "/dev/stderr"; bad = 1; next }
    field = substr($0, RSTART, RLENGTH); sub(/^"recipient"[ \t]*:[ \t]*"/, "", field); sub(/"$/, "", field)
    tenant = "default"
    if (match($0, /"tenant"[ \t]*:[ \t]*"[^"]+"/)) {
      tenant = substr($0, RSTART, RLENGTH); sub(/^"tenant"[ \t]*:[ \t]*"/, "", tenant); sub(/"$/, "", tenant)
    }
    printf "%s/%s\t%s\n", tenant, tolower(field), $0
  }
  END { exit bad }
' "$FILE" > "$keyed" || { echo "nothing published: fix the lines above" >&2; exit 1; }

count=$(wc -l < "$keyed")
"$KCAT" -P -b "$BOOTSTRAP" -t "$TOPIC" -K $'\t' -X acks=all -X enable.idempotence=true ${extra[@]+"${extra[@]}"} -l "$keyed"
echo "published $count send results to $TOPIC"
