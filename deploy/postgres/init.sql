-- The tradecore database and, per service, a login role that owns its schema and nothing else,
-- so no service can read another's tables (the same layout `npm start` provisions locally).
-- Run as a superuser, or a role with CREATEDB and CREATEROLE, passing every role's password:
--   psql "postgres://admin@host/postgres" -v ON_ERROR_STOP=1 \
--     -v user_account_password=… -v broker_connection_password=… -v broker_account_password=… \
--     -v virtual_broker_password=… -v saga_orchestrator_password=… -v automation_password=… \
--     -f deploy/postgres/init.sql
-- Idempotent: a re-run resets the passwords and ownership and creates nothing twice.
\set ON_ERROR_STOP on

SELECT 'CREATE DATABASE tradecore'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'tradecore') \gexec
\connect tradecore

REVOKE ALL ON DATABASE tradecore FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;

CREATE TEMPORARY TABLE service_role (name name PRIMARY KEY, password text NOT NULL CHECK (password <> ''));
INSERT INTO service_role VALUES
  ('user_account', :'user_account_password'),
  ('broker_connection', :'broker_connection_password'),
  ('broker_account', :'broker_account_password'),
  ('virtual_broker', :'virtual_broker_password'),
  ('saga_orchestrator', :'saga_orchestrator_password'),
  ('automation', :'automation_password');

SELECT format('CREATE ROLE %I LOGIN', name) FROM service_role
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = service_role.name) \gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', name, password)
FROM service_role \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE tradecore TO %I', name) FROM service_role \gexec
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', name, name) FROM service_role \gexec
SELECT format('ALTER SCHEMA %I OWNER TO %I', name, name) FROM service_role \gexec
SELECT format('ALTER ROLE %I SET search_path = %I', name, name) FROM service_role \gexec

DROP TABLE service_role;
