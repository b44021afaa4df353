#!/usr/bin/env bash
# check-os-door.sh — the file-system calls of the C library (open, read, write, rename, mkdir,
# strerror and their kin) are made in Sources/Posix only; every other module goes through it.
# A file can call the C library only if it imports it (Glibc, Musl, Darwin, or Foundation, which
# re-exports it), and no module may re-export it (@_exported), so checking the files that import
# it, plus any qualified call (Glibc.write), covers the tree. Prints each offending line; exits 1
# if there is one. Usage: scripts/check-os-door.sh [SOURCES_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
sources="${1:-Sources}"
calls='open|openat|creat|read|pread|readv|write|pwrite|writev|lseek|close|rename|renameat|mkdir|mkdirat|mkstemp|mkdtemp|unlink|rmdir|strerror|strerror_r|fsync|fdatasync|ftruncate|truncate|stat|lstat|fstat|access|opendir|readdir|closedir|fopen|fdopen|fread|fwrite|fclose|fflush'
status=0

# Re-exporting the C library would make it visible in every file that imports the module.
if grep -rnE '@_exported[[:space:]]+import' "$sources" --include='*.swift'; then
    echo "check-os-door: @_exported import found (each module imports what it uses)" >&2
    status=1
fi

# A qualified call reaches the C library from anywhere.
if grep -rnE "\b(Glibc|Musl|Darwin|Foundation)\.($calls)[[:space:]]*\(" "$sources" --include='*.swift' | grep -v "^$sources/Posix/"; then
    echo "check-os-door: qualified C library call outside Sources/Posix" >&2
    status=1
fi

# Bare calls in files that import the C library: not a member call (.write), not a declaration.
while IFS= read -r file; do
    case "$file" in "$sources"/Posix/*) continue ;; esac
    # A file that declares its own `write` calls that one when it writes `write(`.
    own=$(grep -oE "func[[:space:]]+($calls)[[:space:]]*\(" "$file" | sed -E 's/func[[:space:]]+//; s/[[:space:]]*\($//' | sort -u | paste -sd"|" - || true)
    pattern=$calls
    [ -n "$own" ] && pattern=$(tr '|' '\n' <<<"$calls" | grep -vxE "$own" | paste -sd'|' -)
    if grep -nE "(^|[^.[:alnum:]_])($pattern)[[:space:]]*\(" "$file" \
        | grep -vE '^[0-9]+:[[:space:]]*//' \
        | grep -vE "(func|case)[[:space:]]+($calls)[[:space:]]*\(" \
        | sed "s|^|$file:|" | grep .; then
        status=1
    fi
done < <(grep -rlE '^[[:space:]]*import[[:space:]]+(Glibc|Musl|Darwin|Foundation)\b' "$sources" --include='*.swift')

if [ "$status" -ne 0 ]; then
    echo "check-os-door: system calls outside Sources/Posix (use FileDescriptor / FileSystem)" >&2
fi
exit "$status"
