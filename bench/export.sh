#!/usr/bin/env bash
# Benchmark of the streaming case export (issue 6), on a release build.
#
#   bench/export.sh                 # 1,000,000 demo cases in target/bench-export/
#   CASES=200000 bench/export.sh    # a smaller register
#   SKIP_BUILD=1 bench/export.sh    # use the release binary as it is
#   BIN=/tmp/accord-old SKIP_BUILD=1 bench/export.sh   # another build, for a "before"
#   PG=postgres://root@127.0.0.1/accord_bench_export bench/export.sh
#                                   # the same cases on PostgreSQL too (issue 14):
#                                   # copied there once by `accord copy`
#
# It measures, on the same database file:
#   1. `accord export` (the command line): rows per second and peak RSS;
#   2. the `sqlite3` shell writing the same 22 columns with `-csv` (the
#      baseline: raw codes and fen, no labels, no BOM), and the ratio;
#   3. `GET /export/cases.csv` from a running `accord serve`: rows per
#      second and how much the server's resident memory grows (VmHWM after
#      the download minus VmRSS before it);
#   4. with PG set, 1 and 3 again on a PostgreSQL database holding the same
#      cases, beside SQLite's figures, and whether the files are identical.
# Needs: sqlite3 (apt-get install sqlite3), curl, /usr/bin/time; psql for PG.
# Targets (issues 6, 14): >= 200,000 rows/s on either backend; server growth
# < 50 MB at 1,000,000 rows.
set -euo pipefail
cd "$(dirname "$0")/.."

CASES=${CASES:-1000000}
WORK=${WORK:-target/bench-export}
PORT=${PORT:-18086}
BIN=${BIN:-target/release/accord}
DB=$WORK/accord-$CASES.db
mkdir -p "$WORK"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    cargo build --release --quiet
fi
if [ ! -f "$DB" ]; then
    echo "generating $CASES demo cases into $DB ..."
    "$BIN" --db "$DB" demo --cases "$CASES" --no-users >/dev/null
    # Fold the load's write-ahead log into the file, as a server's
    # checkpoints would have, so the first run reads what the others read.
    sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
fi
ROWS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM cases")
# A warm page cache for every run, as on a server that has been up.
cat "$DB" >/dev/null

rate() { awk -v r="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }'; }

# 1. The command line.
/usr/bin/time -f "%e %M" -o "$WORK/time-accord" \
    "$BIN" --db "$DB" export --lang zh --out "$WORK/accord.csv" 2>/dev/null
read -r A_SECS A_KB <"$WORK/time-accord"
A_LINES=$(($(wc -l <"$WORK/accord.csv")))

# 2. The sqlite3 shell, same columns. (Its 3.40 has no ORDER BY inside
# group_concat, so the names are ordered in subqueries instead.)
SQL="SELECT c.case_no, c.received_on, c.accepted_on, c.source, c.category, c.project,
  c.district, c.summary, c.amount_claimed, c.status, c.agreement_type, c.amount_agreed,
  c.agreement_on, c.performance_due, c.fulfilment, c.judicial_confirmation, c.closed_on,
  (SELECT group_concat(name, '; ') FROM (SELECT name FROM parties p WHERE p.case_id = c.id AND p.role = 'applicant' ORDER BY position)),
  (SELECT group_concat(party_type, '; ') FROM (SELECT party_type FROM parties p WHERE p.case_id = c.id AND p.role = 'applicant' ORDER BY position)),
  (SELECT group_concat(name, '; ') FROM (SELECT name FROM parties p WHERE p.case_id = c.id AND p.role = 'respondent' ORDER BY position)),
  (SELECT group_concat(party_type, '; ') FROM (SELECT party_type FROM parties p WHERE p.case_id = c.id AND p.role = 'respondent' ORDER BY position)),
  (SELECT group_concat(name, '; ') FROM (SELECT m.name FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id
      WHERE cm.case_id = c.id ORDER BY m.name, m.id))
FROM cases c ORDER BY c.received_on, c.id;"
/usr/bin/time -f "%e %M" -o "$WORK/time-sqlite3" \
    sqlite3 -csv -header "$DB" "$SQL" >"$WORK/sqlite3.csv"
read -r S_SECS S_KB <"$WORK/time-sqlite3"

# 2b. For reference: the shell running accord's own query shape (one JSON
# array per day, src/store/export.rs), which accord then turns into CSV.
JSQL="SELECT c.received_on, json_group_array(json_array(c.case_no, c.accepted_on, c.source, c.category,
  c.project, c.district, c.summary, c.amount_claimed, c.status, c.agreement_type, c.amount_agreed,
  c.agreement_on, c.performance_due, c.fulfilment, c.judicial_confirmation, c.closed_on,
  (SELECT json_array(COALESCE(SUM(p.role = 'applicant'), 0), json_group_array(p.party_type), json_group_array(p.name))
     FROM parties p INDEXED BY parties_case WHERE p.case_id = c.id),
  (SELECT group_concat(cm.mediator_id) FROM case_mediators cm WHERE cm.case_id = c.id)))
FROM cases c GROUP BY c.received_on ORDER BY c.received_on;"
/usr/bin/time -f "%e %M" -o "$WORK/time-sqlite3-json" \
    sqlite3 -csv "$DB" "$JSQL" >/dev/null
read -r J_SECS J_KB <"$WORK/time-sqlite3-json"

# 3. The server: download_via DB PORT FILE sets H_SECS, RSS_BEFORE,
# HWM_BEFORE and HWM_AFTER.
download_via() {
    local db=$1 port=$2 file=$3
    # The admin's password, should the database have an admin already (a
    # demo with sign-ins, a copy); otherwise the server creates one with it.
    printf 'bench-password-1\n' | "$BIN" --db "$db" user passwd admin --password-stdin >/dev/null 2>&1 || true
    ACCORD_ADMIN_PASSWORD=bench-password-1 ACCORD_SECURE_COOKIES=false RUST_LOG=warn \
        "$BIN" --db "$db" serve --bind "127.0.0.1:$port" >"$WORK/serve-$port.log" 2>&1 &
    SERVER=$!
    trap 'kill $SERVER 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    local jar=$WORK/cookies-$port token
    rm -f "$jar"
    token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//')
    curl -s -c "$jar" -b "$jar" -o /dev/null \
        --data-urlencode "csrf_token=$token" --data-urlencode "username=admin" --data-urlencode "password=bench-password-1" \
        "http://127.0.0.1:$port/login"
    # One small request first, so the pool and caches are as in service.
    curl -s -b "$jar" -o /dev/null "http://127.0.0.1:$port/cases"
    RSS_BEFORE=$(awk '/^VmRSS/ { print $2 }' /proc/$SERVER/status)
    HWM_BEFORE=$(awk '/^VmHWM/ { print $2 }' /proc/$SERVER/status)
    H_SECS=$(curl -s -b "$jar" -o "$file" -w '%{time_total}' "http://127.0.0.1:$port/export/cases.csv")
    HWM_AFTER=$(awk '/^VmHWM/ { print $2 }' /proc/$SERVER/status)
    kill $SERVER
    wait $SERVER 2>/dev/null || true
    trap - EXIT
}
download_via "$DB" "$PORT" "$WORK/web.csv"
H_LINES=$(($(wc -l <"$WORK/web.csv")))

# 4. PostgreSQL: the same cases, copied once.
if [ -n "${PG:-}" ]; then
    PG_ROWS=$(psql "$PG" -Atc "SELECT COUNT(*) FROM cases" 2>/dev/null || echo 0)
    if [ "$PG_ROWS" != "$ROWS" ]; then
        echo "copying the $ROWS cases to $PG ..."
        "$BIN" copy --from "$DB" --to "$PG" --from-files "$WORK/files" --to-files "$WORK/files-pg" >/dev/null
        psql "$PG" -qc "VACUUM ANALYZE" >/dev/null
    fi
    /usr/bin/time -f "%e %M" -o "$WORK/time-accord-pg" \
        "$BIN" --db "$PG" export --lang zh --out "$WORK/accord-pg.csv" 2>/dev/null
    read -r P_SECS P_KB <"$WORK/time-accord-pg"
    S_H_SECS=$H_SECS S_RSS_BEFORE=$RSS_BEFORE S_HWM_BEFORE=$HWM_BEFORE S_HWM_AFTER=$HWM_AFTER
    download_via "$PG" "$((PORT + 1))" "$WORK/web-pg.csv"
    PH_SECS=$H_SECS PG_GROWTH=$(((HWM_AFTER - RSS_BEFORE) / 1024))
    H_SECS=$S_H_SECS RSS_BEFORE=$S_RSS_BEFORE HWM_BEFORE=$S_HWM_BEFORE HWM_AFTER=$S_HWM_AFTER
fi

echo
echo "accord CSV export benchmark: $ROWS cases ($(du -h "$DB" | cut -f1) database), $(nproc) cores"
printf '  %-34s %8s s  %10s rows/s  peak RSS %6d MB\n' "accord export (command line)" "$A_SECS" "$(rate "$ROWS" "$A_SECS")" $((A_KB / 1024))
printf '  %-34s %8s s  %10s rows/s  peak RSS %6d MB\n' "sqlite3 -csv, same columns" "$S_SECS" "$(rate "$ROWS" "$S_SECS")" $((S_KB / 1024))
printf '  %-34s %8s s  %10s rows/s\n' "GET /export/cases.csv (server)" "$H_SECS" "$(rate "$ROWS" "$H_SECS")"
printf '  %-34s %8s s  %10s rows/s  (no CSV of its own)\n' "sqlite3, accord's JSON-per-day query" "$J_SECS" "$(rate "$ROWS" "$J_SECS")"
awk -v a="$A_SECS" -v s="$S_SECS" 'BEGIN { printf "  ratio accord / sqlite3 -csv (time): %.2f (rate: %.2fx)\n", (s > 0 ? a / s : 0), (a > 0 ? s / a : 0) }'
echo "  server RSS before the download:    $((RSS_BEFORE / 1024)) MB (peak so far $((HWM_BEFORE / 1024)) MB)"
echo "  server peak RSS after it:          $((HWM_AFTER / 1024)) MB"
echo "  server growth (peak - before):     $(((HWM_AFTER - RSS_BEFORE) / 1024)) MB"
if cmp -s "$WORK/accord.csv" "$WORK/web.csv"; then echo "  the command's file and the download are identical"; else echo "  WARNING: the command's file and the download differ"; fi
if [ -n "${PG:-}" ]; then
    echo
    echo "the same cases on PostgreSQL ($PG):"
    printf '  %-34s %8s s  %10s rows/s  peak RSS %6d MB  (SQLite %s rows/s)\n' "accord export (command line)" "$P_SECS" "$(rate "$ROWS" "$P_SECS")" $((P_KB / 1024)) "$(rate "$ROWS" "$A_SECS")"
    printf '  %-34s %8s s  %10s rows/s  server growth %4d MB  (SQLite %s rows/s)\n' "GET /export/cases.csv (server)" "$PH_SECS" "$(rate "$ROWS" "$PH_SECS")" "$PG_GROWTH" "$(rate "$ROWS" "$H_SECS")"
    awk -v p="$P_SECS" -v s="$A_SECS" 'BEGIN { printf "  ratio PostgreSQL / SQLite (rate, command line): %.2f\n", (p > 0 ? s / p : 0) }'
    for f in accord-pg.csv web-pg.csv; do
        if cmp -s "$WORK/accord.csv" "$WORK/$f"; then echo "  $f is identical to SQLite's export"; else echo "  WARNING: $f differs from SQLite's export"; fi
    done
fi
echo "  files: accord.csv $(du -h "$WORK/accord.csv" | cut -f1) ($A_LINES lines), web.csv $(du -h "$WORK/web.csv" | cut -f1) ($H_LINES lines), sqlite3.csv $(du -h "$WORK/sqlite3.csv" | cut -f1)"
