#!/usr/bin/env bash
# Makes the secrets docker-compose.yml reads, under deploy/secrets/ (git-ignored): the access
# token key pair, the broker credentials key, and PostgreSQL passwords with the env files that
# carry them. For local use only; production keys live in Kubernetes Secrets (docs/deployment.md).
#
#   scripts/generate-dev-secrets.sh [directory]     # default: deploy/secrets
#
# Existing files are kept, so tokens and stored broker credentials survive a re-run;
# delete the directory (and the postgres volume: docker compose down -v) to start over.
set -euo pipefail

dir="${1:-$(cd "$(dirname "$0")/.." && pwd)/deploy/secrets}"
services=(user-account broker-connection broker-account virtual-broker saga-orchestrator automation)
command -v openssl >/dev/null || { echo "generate-dev-secrets: openssl is required" >&2; exit 1; }

mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"

# Hex keeps passwords URL-safe inside DATABASE_URL.
password() { openssl rand -hex 24; }
var_name() { echo "${1//-/_}" | tr '[:lower:]' '[:upper:]'; }
# Compose bind-mounts secret files as they are; the app runs as uid 1000, so they must be
# world-readable inside this owner-only directory.
readable() { chmod 644 "$@"; }

if [[ ! -f token-signing.pem || ! -f token-signing.pub.pem ]]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out token-signing.pem 2>/dev/null
  openssl pkey -in token-signing.pem -pubout -out token-signing.pub.pem
  echo "generate-dev-secrets: new access token key pair"
fi
readable token-signing.pem token-signing.pub.pem

if [[ ! -f postgres.env ]]; then
  {
    echo "POSTGRES_PASSWORD=$(password)"
    for service in "${services[@]}"; do echo "$(var_name "$service")_DB_PASSWORD=$(password)"; done
  } >postgres.env
  echo "generate-dev-secrets: new PostgreSQL passwords"
fi
# A service added since the file was made gets its password too (its role is created by init.sql).
for service in "${services[@]}"; do
  grep -q "^$(var_name "$service")_DB_PASSWORD=" postgres.env || echo "$(var_name "$service")_DB_PASSWORD=$(password)" >>postgres.env
done

db_password() { sed -n "s/^$(var_name "$1")_DB_PASSWORD=//p" postgres.env; }
database_url() { echo "postgres://${1//-/_}:$(db_password "$1")@postgres:5432/tradecore"; }

for service in "${services[@]}"; do
  [[ -f "$service.env" ]] && continue
  {
    echo "DATABASE_URL=$(database_url "$service")"
    case "$service" in
      user-account) echo "ADMIN_PASSWORD=${ADMIN_PASSWORD:-$(openssl rand -base64 18)}" ;;
      broker-connection)
        echo "CREDENTIALS_KEYS=dev1:$(openssl rand -base64 32)"
        echo "CREDENTIALS_ACTIVE_KEY_ID=dev1"
        ;;
    esac
  } >"$service.env"
done
chmod 600 postgres.env ./*.env

echo "generate-dev-secrets: secrets are in $dir"
echo "  admin login: admin@tradecore.local / $(sed -n 's/^ADMIN_PASSWORD=//p' user-account.env)"
