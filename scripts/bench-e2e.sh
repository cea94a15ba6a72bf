#!/usr/bin/env bash
# End-to-end timing of `variorum build` (EPUB and PDF together) on the seed edition and on
# synthetic editions of 100 and 1,000 copies. Prints the median wall time and the median peak
# RSS of N runs each. Usage: scripts/bench-e2e.sh [RUNS] [SIZE...], where a SIZE is a number
# of copies (`100`) or megabytes of witness Markdown (`50MB`, as many copies as make 50 MB).
# NOTES=apparatus sets the synthetic editions in apparatus mode (`design.notes: apparatus`),
# to compare with the default footnote mode; LINES=5 numbers every fifth line of the PDF
# (`design.line-numbers: 5`), in either mode.
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

measure() { # name dir
  local name=$1 dir=$2 times=() rss=()
  for _ in $(seq "$runs"); do
    out=$(/usr/bin/time -f '%e %M' "$bin" build "$dir" --out "$work/out-$name" 2>&1 >/dev/null | tail -n 1)
    times+=("${out% *}")
    rss+=("${out#* }")
  done
  local t r
  t=$(printf '%s\n' "${times[@]}" | median)
  r=$(printf '%s\n' "${rss[@]}" | median)
  printf '%-12s median %7.3f s   peak RSS %7.1f MiB   (%s runs)\n' "$name" "$t" "$(awk -v r="$r" 'BEGIN { print r / 1024 }')" "$runs"
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
