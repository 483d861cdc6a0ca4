#!/bin/bash
# Load a synthetic country into qorgau_scale_<SCALE with . -> _> (dropped and made again),
# then check its audit chain; the log (load average every minute, the generator's summary,
# the times) goes to var/national/<database>.log. The benchmarks read these databases.
#
#   bench/national.sh 0.1        # qorgau_scale_0_1
#   bench/national.sh 10 4       # qorgau_scale_10 with four maker processes
#   RESUME=1 bench/national.sh 10 4   # finish an interrupted load of qorgau_scale_10
set -u
SCALE=${1:?usage: bench/national.sh SCALE [WORKERS]}
WORKERS=${2:-2}
DB=qorgau_scale_${SCALE//./_}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
cd "$(dirname "$0")/.."
mkdir -p var/national
LOG=var/national/$DB.log
export DATABASE_URL=$PG/$DB SECRET_KEY=${SECRET_KEY:-national-bench} DEBUG=${DEBUG:-true}
{
echo "commit $(git rev-parse HEAD) $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${RESUME:-}" ]; then
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
    .venv/bin/qorgau migrate -v0
    MORE=""
else
    MORE="--resume"
fi
( while sleep 60; do echo "load $(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; done ) &
SAMPLER=$!
trap 'kill $SAMPLER' EXIT
/usr/bin/time -f "time: %e s wall, %U s user, %S s sys (with the makers), %M KB max RSS" \
    .venv/bin/qorgau generate-national --scale "$SCALE" --seed 1 --as-of 2026-12-01 \
    --workers "$WORKERS" --no-progress $MORE
echo "loaded $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
psql "$PG/postgres" -Atc "SELECT 'size ' || pg_size_pretty(pg_database_size('$DB'))"
/usr/bin/time -f "verify: %e s wall" .venv/bin/qorgau verify-audit
echo "end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$LOG" 2>&1
