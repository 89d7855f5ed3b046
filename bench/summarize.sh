#!/usr/bin/env bash
# summarize.sh RESULTS.tsv — medians and ratios of a bench/compare.sh run as
# Markdown (compare.sh calls it; rerun it after correcting rows by hand).
set -uo pipefail
TSV=${1:?usage: bench/summarize.sh bench/results/compare-N-M-K-STAMP.tsv}
IFS=- read -r _ N M K STAMP <<<"$(basename "$TSV" .tsv)"
REPS=$(awk -F'\t' 'NR>1 {if ($1>r) r=$1} END{print r+0}' "$TSV")
median() { sort -n | awk '{v[NR]=$1} END{if(NR==0){print ""; exit} if(NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
col() { awk -F'\t' -v t="$1" -v p="$2" -v c="$3" 'NR>1 && $2==t && $3==p && $9==0 && $c!="" {print $c}' "$TSV"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="" || b=="" || a==0 || b==0) print "–"; else printf "%.1f×", a/b }'; }
rssratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="" || b=="" || b==0) print "–"; else printf "%.2f", a/b }'; }

mb() { if [[ -n $1 ]]; then awk -v k="$1" 'BEGIN{printf "%.0f", k/1024}'; else echo "–"; fi; }
{
	echo "## $N feeds × $M items (K=$K, $REPS reps, run $STAMP)"
	echo
	echo "Medians. Speed-up = newsboat / byline (higher is better for byline); RSS ratio = byline / newsboat."
	echo
	echo "| phase | byline wall ms | newsboat wall ms | speed-up (wall) | byline CPU ms | newsboat CPU ms | speed-up (CPU) | byline RSS MB | newsboat RSS MB | RSS ratio |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for p in cold index warm warm2 incr startup ttff; do
		bm=$(col byline $p 4 | median) nm=$(col newsboat $p 4 | median)
		bc=$(col byline $p 5 | median) nc=$(col newsboat $p 5 | median)
		br=$(col byline $p 6 | median) nr=$(col newsboat $p 6 | median)
		[[ -n $bm$nm ]] || continue
		echo "| $p | ${bm:-–} | ${nm:-–} | $(ratio "$nm" "$bm") | ${bc:-–} | ${nc:-–} | $(ratio "$nc" "$bc") | $(mb "$br") | $(mb "$nr") | $(rssratio "$br" "$nr") |"
	done
	echo
	echo "| store | stories | bytes | bytes/story |"
	echo "| --- | ---: | ---: | ---: |"
	for t in byline newsboat; do
		s=$(col $t stories 4 | median)
		[[ -n $s ]] || continue
		echo "| $t | $s | $(col $t store_bytes 4 | median) | $(col $t bytes_per_story 4 | median) |"
	done
	echo
	fails=$(awk -F'\t' 'NR>1 && $9!=0' "$TSV" | wc -l)
	echo "Failed phases (excluded from medians): $fails. Load average during the run: $(awk -F'\t' 'NR>1 && $10!="" {print $10}' "$TSV" | sort -n | awk '{v[NR]=$1} END{printf "%s–%s", v[1], v[NR]}')."
	[[ -f ${TSV%.tsv}.env ]] && echo "Setup: $(paste -sd';' "${TSV%.tsv}.env" | sed 's/;/; /g')."
	echo "Raw rows: bench/results/$(basename "$TSV")"
}
