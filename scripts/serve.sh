#!/usr/bin/env bash
# `make serve`: the production stack on this machine — PostgreSQL, Redis, gunicorn and the task
# worker, under config.settings.production. Ctrl-C stops everything.
#
# VETTED_LOCAL_SERVE=1 gives production settings safe local defaults: a published secret key,
# loopback host names only, plain HTTP without secure cookies. Never use it on a real host;
# deploy/ and the README's "Deploying" section describe that.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

export DJANGO_SETTINGS_MODULE=config.settings.production
export VETTED_LOCAL_SERVE=1
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/vetted}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
# No SMTP server on a developer machine: notification emails are printed instead.
export DJANGO_EMAIL_BACKEND=${DJANGO_EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}
export GUNICORN_BIND="$HOST:$PORT"

step() { printf '\n==> %s\n' "$*"; }

step "Checking PostgreSQL ($DATABASE_URL) and Redis ($REDIS_URL)"
"$PY" scripts/preflight.py

step "Migrating, setting up roles, collecting static files"
"$PY" manage.py migrate --noinput
"$PY" manage.py setup_roles
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py heartbeat_start

children=()
stop() {
  trap - INT TERM EXIT
  for pid in "${children[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop' EXIT

# Each child in its own session, so Ctrl-C reaches this script alone and the trap above stops
# both children in order; otherwise they would see the interrupt first and exit on their own,
# which looks like a crash below.
detach=()
if command -v setsid >/dev/null 2>&1; then detach=(setsid); fi

workers=$("$PY" -c 'import config.gunicorn as g; print(g.workers)')
step "Serving http://$HOST:$PORT/ with $workers gunicorn workers and one task worker (Ctrl-C stops both)"
"${detach[@]}" "$PY" -m gunicorn -c config/gunicorn.py config.wsgi:application &
children+=($!)
"${detach[@]}" "$PY" manage.py db_worker --no-reload &
children+=($!)

# Both run until Ctrl-C; if either stops on its own, the stack is broken: stop the other.
status=0
wait -n || status=$?
echo "error: gunicorn or the task worker stopped (exit status $status); stopping the stack." >&2
exit $(( status == 0 ? 1 : status ))
