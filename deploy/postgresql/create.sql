-- Newsdesk's PostgreSQL role and database, least privilege: a sample, run once as the
-- server's superuser (Debian: the postgres user), with the password given on the command
-- line so it is in no file:
--
--     sudo -u postgres psql -v ON_ERROR_STOP=1 -v password="$(openssl rand -base64 30)" \
--         -f deploy/postgresql/create.sql
--
-- then put that password in DATABASE_URL (/etc/newsdesk/env):
--     DATABASE_URL=postgres://newsdesk:PASSWORD@127.0.0.1:5432/newsdesk
-- (a password with / @ : or + is written percent-encoded there; base64 may contain / and +,
-- so `openssl rand -hex 24` is simpler).
--
-- The role logs in and owns the one database and its schema (migrations create and alter
-- tables), and nothing else: not a superuser, cannot create databases or roles, cannot
-- bypass row security or replicate. Nobody else may connect to the database or use its
-- schema. Backups (manage.py backup_database: pg_dump) and restores (pg_restore --clean)
-- run as this role too, on what it owns.

\set ON_ERROR_STOP 1

CREATE ROLE newsdesk WITH LOGIN PASSWORD :'password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;

CREATE DATABASE newsdesk WITH OWNER newsdesk ENCODING 'UTF8' TEMPLATE template0;

-- Connecting is granted to PUBLIC by default: only the site's role (and superusers) may.
REVOKE ALL ON DATABASE newsdesk FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE newsdesk TO newsdesk;

\connect newsdesk

-- The site's tables live in a schema of its own role (PostgreSQL 15 already takes CREATE on
-- "public" from PUBLIC; older servers granted it to every role).
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO newsdesk;
