#!/usr/bin/env bash
# docker-entrypoint-initdb.d hook: runs once, when the postgres container starts on an empty
# volume, and hands the role passwords from its environment (deploy/secrets/postgres.env) to init.sql.
set -euo pipefail

psql --username "$POSTGRES_USER" --dbname postgres -v ON_ERROR_STOP=1 \
  -v user_account_password="$USER_ACCOUNT_DB_PASSWORD" \
  -v broker_connection_password="$BROKER_CONNECTION_DB_PASSWORD" \
  -v broker_account_password="$BROKER_ACCOUNT_DB_PASSWORD" \
  -v virtual_broker_password="$VIRTUAL_BROKER_DB_PASSWORD" \
  -v saga_orchestrator_password="$SAGA_ORCHESTRATOR_DB_PASSWORD" \
  -v automation_password="$AUTOMATION_DB_PASSWORD" \
  -f /tradecore/init.sql
