#!/usr/bin/env bash
# End-to-end timing of `variorum build` (EPUB and PDF together) on the seed edition and on
# synthetic editions of 100 and 1,000 copies. Prints the median wall time and the median peak
# RSS of N runs each. Usage: scripts/bench-e2e.sh [RUNS] [SIZE...], where a SIZE is a number
# of copies (`100`) or megabytes of witness Markdown (`50MB`, as many copies as make 50 MB).
# NOTES=apparatus sets the synthetic editions in apparatus mode (`design.notes: apparatus`),
# to compare with the default footnote mode; LINES=5 numbers every fifth line of the PDF
# (`design.line-numbers: 5`), in either mode. BASE=path/to/another/variorum measures that
# binary side by side with this tree's: runs alternate between the two on the same generated
# editions (which one goes first alternates too), and the ratio of the medians (this tree's over BASE's) is printed. FORMAT=pdf or
# FORMAT=epub builds one output only.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
copies=("$@")
[ ${#copies[@]} -gt 0 ] || copies=(100 1000)

cargo build --release --quiet --bin variorum --example gen-edition
bin=target/release/variorum
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

format=()
[ -z "${FORMAT:-}" ] || format=(--format "$FORMAT")

run() { # binary dir out: prints "seconds KiB"
  /usr/bin/time -f '%e %M' "$1" build "$2" --out "$3" "${format[@]}" 2>&1 >/dev/null | tail -n 1
}

report() { # label times rss
  printf '%-22s median %7.3f s   peak RSS %7.1f MiB   (%s runs)\n' "$1" "$2" \
    "$(awk -v r="$3" 'BEGIN { print r / 1024 }')" "$runs"
}

measure() { # name dir
  local name=$1 dir=$2 times=() rss=() base_times=() base_rss=() out
  for k in $(seq "$runs"); do
    # Which binary runs first alternates: the second run of a pair is often the slower.
    if [ -n "${BASE:-}" ] && [ $((k % 2)) -eq 1 ]; then
      out=$(run "$BASE" "$dir" "$work/out-base-$name")
      base_times+=("${out% *}")
      base_rss+=("${out#* }")
    fi
    out=$(run "$bin" "$dir" "$work/out-$name")
    times+=("${out% *}")
    rss+=("${out#* }")
    if [ -n "${BASE:-}" ] && [ $((k % 2)) -eq 0 ]; then
      out=$(run "$BASE" "$dir" "$work/out-base-$name")
      base_times+=("${out% *}")
      base_rss+=("${out#* }")
    fi
  done
  local t r bt br
  t=$(printf '%s\n' "${times[@]}" | median)
  r=$(printf '%s\n' "${rss[@]}" | median)
  if [ -z "${BASE:-}" ]; then
    report "$name" "$t" "$r"
    return
  fi
  bt=$(printf '%s\n' "${base_times[@]}" | median)
  br=$(printf '%s\n' "${base_rss[@]}" | median)
  report "$name (base)" "$bt" "$br"
  report "$name" "$t" "$r"
  printf '%-22s time %.3f   peak RSS %.3f\n' "$name ratio" \
    "$(awk -v a="$t" -v b="$bt" 'BEGIN { print a / b }')" \
    "$(awk -v a="$r" -v b="$br" 'BEGIN { print a / b }')"
}

measure seed .
for size in "${copies[@]}"; do
  case $size in
    *MB) target/release/examples/gen-edition --manuscript-mb "${size%MB}" "$work/$size" 2>/dev/null
         name=$size ;;
    *)   target/release/examples/gen-edition --copies "$size" "$work/$size" 2>/dev/null
         name=$size-copies ;;
  esac
  design=
  if [ "${NOTES:-footnotes}" != footnotes ]; then
    design="$design\n    notes: ${NOTES}"
    name=$name-$NOTES
  fi
  if [ -n "${LINES:-}" ]; then
    design="$design\n    line-numbers: ${LINES}"
    name=$name-lines$LINES
  fi
  if [ -n "$design" ]; then
    sed -i "s/^  date: \(.*\)$/  date: \1\n  design:$design/" "$work/$size/footnotes.yaml"
  fi
  measure "$name" "$work/$size"
done
