#!/bin/sh
# config-check.sh FILE [--not-used] — the settings of a config.yaml that no tool knows, as one
# warning line each (the Makefile prints them once per run of make, and tells the tools not to
# repeat them); with --not-used, the reference tool's keys present in FILE that no tool uses yet
# (its analysis: embeddings, clustering, keywords), on one line. Keys are read as config-get.sh
# reads them: `key: value`, one level of nesting as `section.key`.
# The lists are ToolConfig.knownKeys (Sources/ToolSupport/ToolConfig.swift); a test keeps them equal.
file=$1 mode=${2:-}
[ -r "$file" ] || exit 0
used="gemini_api_key caption_model category_model
  processing.image_max_size processing.max_retries processing.retry_backoff_seconds
  processing.per_request_sleep_seconds processing.concurrency processing.jpeg_quality
  processing.batch_size_captions report.thumbnail_size report.examples_per_cluster
  gemini.base_url gemini.rpm gemini.tpm gemini.concurrency
  s3.endpoint_url s3.region s3.profile s3.bucket s3.prefix s3.concurrency categories_file"
not_used_yet="embedding_model data.images_dir data.misclassified_dir data.outputs_dir
  processing.batch_size_embeddings clustering.mode clustering.kmeans_k clustering.min_cluster_size
  clustering.min_samples tfidf.max_features tfidf.n_top_keywords"
awk -v used="$used" -v later="$not_used_yet" -v mode="$mode" -v file="$file" '
  BEGIN { n = split(used, u); for (i = 1; i <= n; i++) known[u[i]] = 1
          n = split(later, l); for (i = 1; i <= n; i++) { known[l[i]] = 1; notyet[l[i]] = 1 } }
  /^[ \t]*(#|$)/ { next }
  {
    line = $0
    indent = match(line, /[^ ]/) - 1
    sub(/^[ \t]+/, "", line)
    colon = index(line, ":"); if (colon == 0) next
    k = substr(line, 1, colon - 1); v = substr(line, colon + 1)
    sub(/^[ \t]+/, "", v); sub(/^#.*/, "", v)
    if (indent == 0) { section = (v == "") ? k : ""; full = k } else { full = section "." k }
    if (indent == 0 && v == "") next   # a section: its keys follow
    if (mode == "--not-used") { if (full in notyet) list = list (list == "" ? "" : ", ") full }
    else if (!(full in known)) print file ": unknown setting \047" full "\047 ignored (a typo?)"
  }
  END { if (mode == "--not-used" && list != "") print list }' "$file"
