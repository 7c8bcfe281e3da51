#!/usr/bin/env bash
# The README's "Try it" block, line for line (test/readme/try-it.spec.ts compares them, and
# test/readme/try-it.e2e-spec.ts runs this file against a launched suite). No `set -e` or `exit`:
# people paste it into their own shell. The connection is made by the BrokerConnection saga after
# the 202, so the loop waits (up to a minute) until it is CONNECTED or FAILED before reading accounts.
G=${G:-http://localhost:${GATEWAY_PORT:-3000}}
EMAIL=${EMAIL:-ada@example.com}
field() { node -pe "JSON.parse(require('fs').readFileSync(0))$1"; }
curl -s -XPOST $G/api/auth/register -H 'content-type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"Tr4ding-is-fun\",\"displayName\":\"Ada\"}"; echo
TOKEN=$(curl -s -XPOST $G/api/auth/login -H 'content-type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"Tr4ding-is-fun\"}" | field .accessToken)
AUTH="Authorization: Bearer $TOKEN"
CONNECTION=$(curl -s -XPOST $G/api/broker-connections -H "$AUTH" -H 'content-type: application/json' \
  -d '{"broker":"virtual","mode":"paper","paperAccounts":{"count":1,"startingCash":"50000.00"}}' | field .connectionId)
for try in $(seq 120); do
  STATUS=$(curl -s $G/api/broker-connections/$CONNECTION -H "$AUTH" | field .status)
  [ "$STATUS" = CONNECTED ] || [ "$STATUS" = FAILED ] && break
  sleep 0.5
done
echo "connection $CONNECTION: $STATUS"
ACCOUNT=$(curl -s $G/api/virtual-broker/accounts -H "$AUTH" | field '[0].accountId')
curl -s -XPOST $G/api/virtual-broker/accounts/$ACCOUNT/orders -H "$AUTH" -H 'content-type: application/json' \
  -d '{"symbol":"AAPL","side":"BUY","type":"MARKET","quantity":10,"timeInForce":"DAY"}'; echo
