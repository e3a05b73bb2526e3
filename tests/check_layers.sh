#!/usr/bin/env bash
# check_layers.sh: the core's files must stack in layers, each calling only into the layers below it (no circle of
# files that call each other). Reads the compiled objects, not the sources: a file depends on another when it uses
# a symbol the other defines (inline functions from headers count where they are inlined). Prints the layers,
# bottom first; fails, naming the files involved, if some files call each other in a circle.
# Usage: check_layers.sh OBJECT... (ctest passes the objects of the `wasync` library as one ;-separated list)
set -euo pipefail
objects=()
for arg in "$@"; do
  IFS=';' read -r -a part <<<"$arg"
  objects+=("${part[@]}")
done
[ ${#objects[@]} -gt 0 ] || { echo "check_layers.sh: no object files given" >&2; exit 2; }
NM=${NM:-nm}
{
  for o in "${objects[@]}"; do
    name=$(basename "$o")
    name=${name%.o}
    name=${name%.obj}
    $NM -g --defined-only "$o" | awk -v f="$name" 'NF >= 3 { print "D", f, $3 }'
    $NM -u "$o" | awk -v f="$name" 'NF >= 2 { print "U", f, $2 }'
    echo "F $name"
  done
} | awk '
  $1 == "F" { files[$2] = 1; next }
  $1 == "D" { owner[$3] = $2; next }
  $1 == "U" { uses[++n] = $2 " " $3 }
  END {
    for (i = 1; i <= n; i++) {
      split(uses[i], u, " ")
      if ((u[2] in owner) && owner[u[2]] != u[1]) dep[u[1], owner[u[2]]] = 1
    }
    left = 0
    for (f in files) left++
    layer = 0
    while (left > 0) {
      line = ""
      for (f in files) {
        if (placed[f]) continue
        ok = 1
        for (g in files) if (!placed[g] && g != f && ((f, g) in dep)) { ok = 0; break }
        if (ok) { now[f] = 1; line = line " " f }
      }
      if (line == "") {
        printf "check_layers: these files call each other in a circle (or depend on a file that does):"
        for (f in files) if (!placed[f]) printf " %s", f
        printf "\n"
        for (f in files) if (!placed[f]) for (g in files) if (!placed[g] && ((f, g) in dep)) printf "  %s -> %s\n", f, g
        exit 1
      }
      for (f in now) { placed[f] = 1; left--; delete now[f] }
      printf "layer %d:%s\n", layer++, line
    }
  }'
