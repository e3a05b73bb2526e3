#!/usr/bin/env bash
# readme_examples.sh: the C examples of a Markdown file compile and do what the text says (doctest-style).
# Every ```c block is compiled against the core's headers with warnings as errors. A block with a main() is also
# linked against the core and run; it must exit with 0, and when the first line of text after the block says that
# it prints `X`, its output must be exactly X. A block opened with ```c fragment is an excerpt (it elides code with
# ...) and is skipped, visibly so in the Markdown source.
# Usage: readme_examples.sh FILE.md CC LIBWASYNC.a INCLUDE_DIR [compiler flags...] (ctest passes them)
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: readme_examples.sh FILE.md CC LIBWASYNC.a INCLUDE_DIR [flags...]" >&2; exit 2; }
md=$1 cc=$2 lib=$3 inc=$4
shift 4
flags=()
for arg in "$@"; do # ctest may hand several flags over as one ;-separated list
  IFS=';' read -r -a part <<<"$arg"
  flags+=("${part[@]}")
done
work=$(mktemp -d "${TMPDIR:-/tmp}/wasync-readme.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Split the file: block<n>.c (the code), block<n>.line (where it starts), block<n>.expected (what it prints).
awk -v dir="$work" '
  !inblock && /^```c[ \t]*$/ { n++; f = dir "/block" n ".c"; print NR + 1 > (dir "/block" n ".line"); inblock = 1; after = 0; next }
  !inblock && /^```/ { other = !other; next }
  inblock && /^```/ { inblock = 0; close(f); after = 1; next }
  inblock { print > f; next }
  after && NF {
    if (match($0, /prints `[^`]*`/)) print substr($0, RSTART + 8, RLENGTH - 9) > (dir "/block" n ".expected")
    after = 0
  }
' "$md"

count=0
for src in "$work"/block*.c; do
  [ -e "$src" ] || break
  count=$((count + 1))
  base=${src%.c}
  where="$md:$(cat "$base.line")"
  if grep -q '^int main' "$src"; then
    if ! "$cc" -std=c11 -Wall -Wextra -Werror -I"$inc" "${flags[@]}" "$src" "$lib" -o "$base.bin" 2>"$base.err"; then
      echo "readme_examples: the example at $where does not compile:" >&2
      cat "$base.err" >&2
      exit 1
    fi
    if ! out=$("$base.bin"); then
      echo "readme_examples: the example at $where exits with an error" >&2
      exit 1
    fi
    if [ -e "$base.expected" ] && [ "$out" != "$(cat "$base.expected")" ]; then
      echo "readme_examples: the example at $where prints '$out'; the text after it says '$(cat "$base.expected")'" >&2
      exit 1
    fi
    echo "readme_examples: $where compiles, runs${out:+ and prints '$out'}"
  else
    if ! "$cc" -std=c11 -Wall -Wextra -Werror -I"$inc" "${flags[@]}" -c "$src" -o "$base.o" 2>"$base.err"; then
      echo "readme_examples: the example at $where does not compile:" >&2
      cat "$base.err" >&2
      exit 1
    fi
    echo "readme_examples: $where compiles"
  fi
done
[ "$count" -gt 0 ] || { echo "readme_examples: no \`\`\`c block in $md" >&2; exit 1; }
