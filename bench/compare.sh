#!/usr/bin/env bash
# compare.sh N M [K] [REPS] — byline vs newsboat on N feeds × M items.
#
# Starts bench/feedserver on loopback (a fresh one per repetition and tool, so
# both see the same documents), then per repetition, alternating which tool
# goes first, with fresh stores and temp HOME/XDG dirs:
#   cold     subscribe to all N feeds and fetch everything into an empty store
#            (byline: import --refresh OPML; newsboat: -x reload with a urls file;
#            before 2026-11-24T17:30Z byline ran import, then refresh: +25-30 ms)
#   warm     fetch again (byline: all 304; newsboat's first refetch is not
#            conditional because it stores validators only for known feeds)
#   warm2    fetch a third time (all 304 for both)
#   incr     GET /add?k=K on the server, then fetch again (K new items per feed)
#   index    byline only, right after cold: the first search (byline list
#            --search), which indexes every story the cold refresh stored
#            (byline builds its full-text index after a refresh; newsboat
#            has none)
#   startup  byline list --limit 50 ; newsboat -x print-unread
#   ttff     byline TUI time to first frame in a 120x40 pty (bench/ttff)
# Wall time and peak RSS (/usr/bin/time -v) per phase go to
# bench/results/compare-N-M-K-STAMP.tsv; medians and ratios are printed and
# written next to it as .md. Installs nothing: see docs/benchmarks.md.
#
# Environment: BENCH_BYLINE_CONFIG=path copies a config.toml for byline;
# BENCH_KEEP=1 keeps the temp dir; NEWSBOAT_THREADS (default 8);
# BENCH_PHASE_TIMEOUT (seconds, default 1200); BENCH_NICE (e.g. -10);
# BENCH_TOOLS=byline measures byline alone (e.g. to re-measure a new commit).
set -uo pipefail
{ # Parse the whole file before running it, so editing it mid-run is harmless.

N=${1:?usage: bench/compare.sh N M [K] [REPS]}
M=${2:?usage: bench/compare.sh N M [K] [REPS]}
K=${3:-10}
REPS=${4:-3}
THREADS=${NEWSBOAT_THREADS:-8}
PHASE_TIMEOUT=${BENCH_PHASE_TIMEOUT:-1200} # seconds; a hung phase is killed and recorded as failed
# BENCH_NICE=-10 raises the priority of the measured commands and the server
# (root only) to cut noise on a busy machine; unset, nothing is reniced.
NICE=()
[[ -n ${BENCH_NICE:-} ]] && NICE=(nice -n "$BENCH_NICE")

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/byline-bench.XXXXXX")
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
TSV=$RESULTS/compare-$N-$M-$K-$STAMP.tsv
MD=${TSV%.tsv}.md
SERVER_PID=

cleanup() {
	stop_server
	if [[ -z ${BENCH_KEEP:-} ]]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- build -------------------------------------------------------------------
mkdir -p "$WORK/bin"
log "building byline, feedserver, ttff"
(cd "$ROOT" && go build -o "$WORK/bin/bench-fs" ./bench/feedserver && go build -o "$WORK/bin/ttff" ./bench/ttff) || exit 1
HAVE_BYLINE=1
if ! (cd "$ROOT" && go build -o "$WORK/bin/byline" ./cmd/byline); then
	log "byline does not build; measuring newsboat alone"
	HAVE_BYLINE=
fi
BYLINE=$WORK/bin/byline
HAVE_NB=1
if [[ ${BENCH_TOOLS:-byline newsboat} != *newsboat* ]]; then
	HAVE_NB=
elif ! command -v newsboat >/dev/null; then
	echo "newsboat not found: apt-get install newsboat" >&2
	HAVE_NB=
fi
TIMEBIN=/usr/bin/time
if [[ ! -x $TIMEBIN ]]; then
	echo "/usr/bin/time not found: apt-get install time (peak RSS will read 0)" >&2
	TIMEBIN=
fi
[[ -n $HAVE_BYLINE || -n $HAVE_NB ]] || { echo "nothing to measure" >&2; exit 1; }

# --- feed server ---------------------------------------------------------------
start_server() {
	SERVERS=$((${SERVERS:-0} + 1))
	local out=$WORK/server-$SERVERS.out
	rm -f "$out"
	"${NICE[@]}" "$WORK/bin/bench-fs" -feeds "$N" -items "$M" -addr 127.0.0.1:0 -idle 10m -max-lifetime 4h \
		>"$out" 2>>"$WORK/server.log" &
	SERVER_PID=$!
	for _ in $(seq 1 600); do
		[[ -s $out ]] && break
		kill -0 "$SERVER_PID" 2>/dev/null || { echo "feedserver died" >&2; cat "$WORK/server.log" >&2; exit 1; }
		sleep 0.1
	done
	BASE=$(head -n1 "$out")
	if [[ $BASE != http://127.0.0.1:* ]] || ! curl -fsS "$BASE/opml" -o "$WORK/feeds.opml" ||
		! curl -fsS "$BASE/urls" -o "$WORK/urls"; then
		echo "feedserver did not come up (base URL '$BASE')" >&2
		exit 1
	fi
}
stop_server() {
	if [[ -n $SERVER_PID ]]; then
		curl -fsS "$BASE/quit" >/dev/null 2>&1 || true
		wait "$SERVER_PID" 2>/dev/null || kill "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=
	fi
}
# server_stats prints "feed_200 feed_304" since the last call and resets them.
server_stats() {
	curl -fsS "$BASE/stats?reset=1" | tr -d '{}"' | tr ',' '\n' |
		awk -F: '$1=="feed_200"{a=$2} $1=="feed_304"{b=$2} END{print a+0, b+0}'
}

# --- what was measured, on what ------------------------------------------------
{
	echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- cmd internal 2>/dev/null || echo +dirty)"
	echo "newsboat=$(newsboat --version 2>/dev/null | head -n1 | cut -d' ' -f2)"
	echo "go=$(go env GOVERSION)"
	echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc)"
	echo "mem=$(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "nice=${BENCH_NICE:-0} newsboat_threads=$THREADS"
} >"${TSV%.tsv}.env"

# --- measuring -----------------------------------------------------------------
printf 'rep\ttool\tphase\twall_ms\tcpu_ms\tpeak_rss_kb\tfeed_200\tfeed_304\texit\tload1\tnote\n' >"$TSV"

now_ns() { date +%s%N; }
FETCH_PHASES=" cold warm warm2 incr "

# measure REP TOOL PHASE CMD... — runs CMD with stdout/stderr to files in $DIR.
measure() {
	local rep=$1 tool=$2 phase=$3
	shift 3
	local tf=$DIR/$phase.time t0 t1 rc rss
	server_stats >/dev/null
	t0=$(now_ns)
	if [[ -n $TIMEBIN ]]; then
		$TIMEBIN -v -o "$tf" "${NICE[@]}" timeout -k 10 "$PHASE_TIMEOUT" "$@" </dev/null >"$DIR/$phase.out" 2>"$DIR/$phase.err"
	else
		"${NICE[@]}" timeout -k 10 "$PHASE_TIMEOUT" "$@" </dev/null >"$DIR/$phase.out" 2>"$DIR/$phase.err"
	fi
	rc=$?
	t1=$(now_ns)
	rss=0 cpu=
	if [[ -n $TIMEBIN ]]; then
		rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tf")
		cpu=$(awk -F': ' '/User time|System time/{t+=$2} END{printf "%d", t*1000}' "$tf")
	fi
	local st note= load
	st=$(server_stats)
	load=$(cut -d' ' -f1 /proc/loadavg)
	[[ $rc -ne 0 ]] && note="$(tail -c 300 "$DIR/$phase.err" | tr '\t\n' '  ')"
	if ! kill -0 "$SERVER_PID" 2>/dev/null; then
		rc=97 note="feedserver died: $(tail -n 3 "$WORK/server.log" | tr '\t\n' '  ')"
	elif [[ $FETCH_PHASES == *" $phase "* ]] && ((${st% *} + ${st#* } < N)); then
		rc=98 note="server saw $((${st% *} + ${st#* })) of $N feed requests"
	fi
	local ms=$(((t1 - t0) / 1000000))
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$tool" "$phase" "$ms" "$cpu" "${rss:-0}" \
		${st% *} ${st#* } "$rc" "$load" "$note" >>"$TSV"
	log "rep $rep $tool $phase: ${ms} ms wall, ${cpu} ms cpu, ${rss:-0} KB peak, 200/304 = ${st% *}/${st#* }, exit $rc, load $load"
	return $rc
}

# row REP TOOL PHASE VALUE NOTE — records a non-timed number (sizes, counts).
row() { printf '%s\t%s\t%s\t%s\t\t\t\t\t0\t\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$TSV"; }

isolate() {
	DIR=$WORK/r$1-$2
	rm -rf "$DIR"
	mkdir -p "$DIR"/{home,config,data,cache,state}
	export HOME=$DIR/home XDG_CONFIG_HOME=$DIR/config XDG_DATA_HOME=$DIR/data \
		XDG_CACHE_HOME=$DIR/cache XDG_STATE_HOME=$DIR/state
}

run_byline() {
	local rep=$1
	isolate "$rep" byline
	if [[ -n ${BENCH_BYLINE_CONFIG:-} ]]; then
		mkdir -p "$XDG_CONFIG_HOME/byline" && cp "$BENCH_BYLINE_CONFIG" "$XDG_CONFIG_HOME/byline/config.toml"
	fi
	start_server
	# One process, as newsboat's: subscribe to the OPML's feeds and fetch them.
	measure "$rep" byline cold "$BYLINE" import --refresh "$WORK/feeds.opml"
	measure "$rep" byline index "$BYLINE" list --search said --limit 50
	measure "$rep" byline warm "$BYLINE" refresh
	measure "$rep" byline warm2 "$BYLINE" refresh
	curl -fsS "$BASE/add?k=$K" >/dev/null
	measure "$rep" byline incr "$BYLINE" refresh
	measure "$rep" byline startup "$BYLINE" list --limit 50
	local newest
	newest=$(curl -fsS "$BASE/newest")
	measure "$rep" byline ttff "$WORK/bin/ttff" -timeout 20s -dump "$DIR/ttff.raw" \
		-want "${newest:0:18}" -- "$BYLINE"
	# ttff's own number (pty start → frame) replaces the process wall time.
	local f
	f=$(head -n1 "$DIR/ttff.out")
	if [[ $f =~ ^[0-9.]+$ ]]; then
		awk -F'\t' -v OFS='\t' -v r="$rep" -v f="${f%.*}" '$1==r && $2=="byline" && $3=="ttff" {$4=f; $5=""} 1' \
			"$TSV" >"$TSV.tmp" && mv "$TSV.tmp" "$TSV"
	fi
	stop_server
	local stories db
	# Index the incremental phase's stories (untimed) so that the size
	# includes the whole full-text index.
	"$BYLINE" list --search said --limit 1 >/dev/null 2>&1
	stories=$("$BYLINE" list --limit $((N * (M + K) * 2)) 2>/dev/null | wc -l)
	db=$(du -sb --apparent-size "$XDG_DATA_HOME/byline" | cut -f1)
	row "$rep" byline stories "$stories" "expected $((N * (M + K)))"
	row "$rep" byline store_bytes "$db" "$XDG_DATA_HOME/byline (db + wal + shm)"
	[[ $stories -gt 0 ]] && row "$rep" byline bytes_per_story $((db / stories))
}

run_newsboat() {
	local rep=$1
	isolate "$rep" newsboat
	printf 'reload-threads %s\nshow-read-feeds yes\n' "$THREADS" >"$DIR/newsboat.conf"
	start_server
	local nb=(newsboat -u "$WORK/urls" -c "$DIR/cache.db" -C "$DIR/newsboat.conf")
	measure "$rep" newsboat cold "${nb[@]}" -x reload
	measure "$rep" newsboat warm "${nb[@]}" -x reload
	measure "$rep" newsboat warm2 "${nb[@]}" -x reload
	curl -fsS "$BASE/add?k=$K" >/dev/null
	measure "$rep" newsboat incr "${nb[@]}" -x reload
	measure "$rep" newsboat startup "${nb[@]}" -x print-unread
	stop_server
	local stories db
	stories=$(grep -o '^[0-9]*' "$DIR/startup.out" | head -n1)
	db=$(stat -c %s "$DIR/cache.db")
	row "$rep" newsboat stories "${stories:-0}" "expected $((N * (M + K)))"
	row "$rep" newsboat store_bytes "$db" "cache.db"
	[[ ${stories:-0} -gt 0 ]] && row "$rep" newsboat bytes_per_story $((db / stories))
}

for rep in $(seq 1 "$REPS"); do
	if ((rep % 2)); then order="byline newsboat"; else order="newsboat byline"; fi
	for tool in $order; do
		case $tool in
		byline) [[ -n $HAVE_BYLINE ]] && run_byline "$rep" ;;
		newsboat) [[ -n $HAVE_NB ]] && run_newsboat "$rep" ;;
		esac
	done
done

# --- summary -------------------------------------------------------------------
"$ROOT/bench/summarize.sh" "$TSV" | tee "$MD"
exit
}
