#!/bin/sh
# config-get.sh FILE KEY [DEFAULT] — print KEY's value from a config.yaml (the reference tool's
# flat layout: `key: value`, one level of nesting as `section.key`), or DEFAULT when the file or
# the key is missing. KEY --keys prints every key in the file instead, one a line. The Makefile takes its variables' defaults from here. Quotes and trailing
# comments are removed; secrets (gemini_api_key) are refused so they never reach a make variable.
file=$1 key=$2 default=${3-}
case $key in *api_key*) echo "config-get: refusing to read a secret" >&2; exit 2 ;; esac
[ -r "$file" ] || { printf '%s\n' "$default"; exit 0; }
awk -v want="$key" -v default="$default" '
  /^[ \t]*(#|$)/ { next }
  {
    line = $0
    indent = match(line, /[^ ]/) - 1
    sub(/^[ \t]+/, "", line)
    colon = index(line, ":"); if (colon == 0) next
    k = substr(line, 1, colon - 1); v = substr(line, colon + 1)
    sub(/^[ \t]+/, "", v)
    if (v ~ /^"/) { sub(/^"/, "", v); sub(/".*$/, "", v) }
    else if (v ~ /^\047/) { sub(/^\047/, "", v); sub(/\047.*$/, "", v) }
    else { sub(/[ \t]+#.*$/, "", v); sub(/[ \t]+$/, "", v) }
    if (indent == 0) { section = (v == "") ? k : ""; full = k } else { full = section "." k }
    if (want == "--keys") { if (indent > 0 || v != "") print full; next }
    if (full == want && v != "") { print v; found = 1; exit }
  }
  END { if (!found && want != "--keys") print default }' "$file"
