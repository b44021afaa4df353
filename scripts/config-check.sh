#!/bin/sh
# config-check.sh FILE [--not-used] — the settings of a config.yaml that no tool knows, as one
# warning line each (the Makefile prints them once per run of make, and tells the tools not to
# repeat them); with --not-used, the reference tool's keys present in FILE that no tool uses yet
# (its analysis: embeddings, clustering, keywords), on one line. The keys are config-get.sh's.
# The lists are ToolConfig.knownKeys (Sources/ToolSupport/ToolConfig.swift); a test keeps them equal.
file=$1 mode=${2:-}
[ -r "$file" ] || exit 0
used="gemini_api_key caption_model category_model
  processing.image_max_size processing.max_retries processing.retry_backoff_seconds
  processing.per_request_sleep_seconds processing.concurrency processing.jpeg_quality
  processing.batch_size_captions report.thumbnail_size report.examples_per_cluster lang
  gemini.base_url gemini.rpm gemini.tpm gemini.concurrency
  s3.endpoint_url s3.region s3.profile s3.bucket s3.prefix s3.concurrency categories_file embedding_model
  provider openai.base_url openai_api_key
  clustering.mode clustering.kmeans_k clustering.min_cluster_size clustering.min_samples
  tfidf.max_features tfidf.n_top_keywords prices"
not_used_yet="data.images_dir data.misclassified_dir data.outputs_dir
  processing.batch_size_embeddings"
"$(dirname "$0")/config-get.sh" "$file" --keys | awk -v used="$used" -v later="$not_used_yet" -v mode="$mode" -v file="$file" '
  BEGIN { n = split(used, u); for (i = 1; i <= n; i++) known[u[i]] = 1
          n = split(later, l); for (i = 1; i <= n; i++) { known[l[i]] = 1; notyet[l[i]] = 1 } }
  /^prices\./ { next }  # prices: MODEL: {input, output, batch_discount}; model names are free
  mode == "--not-used" { if ($0 in notyet) list = list (list == "" ? "" : ", ") $0; next }
  !($0 in known) { print file ": unknown setting \047" $0 "\047 ignored (a typo?)" }
  END { if (list != "") print list }'
