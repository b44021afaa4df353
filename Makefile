# Makefile — build, test, install and benchmark the toolchain.
# `make help` lists the targets. The pipeline targets (per dataset, batches, compare, demo) are in
# pipeline.mk, included at the end.
SHELL := /bin/bash
PREFIX ?= /usr/local
SWIFT ?= swift
VENV ?= $(patsubst %/,%,$(dir $(abspath $(firstword $(MAKEFILE_LIST)))))/.venv
TOOLS := s3ls s3fetch img-resize gemini-describe categorize embed plotdist cluster merge-shards
BENCH_RECORDS ?= 1000000
export PATH := $(VENV)/bin:$(PATH)
export VENV

.PHONY: all build debug test deps bench-deps install uninstall bench bench-records bench-s3 bench-resize bench-describe bench-analysis fuzz charts-examples clean help

all: build

help:  ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

deps:  ## install Debian -dev packages and the test servers' Python venv (idempotent)
	@scripts/deps.sh

bench-deps:  ## deps plus the benchmark anchors (s5cmd, rclone, aws, boto3, Pillow, vipsthumbnail, jq)
	@scripts/deps.sh --bench

build: deps  ## release build of every tool (.build/release)
	$(SWIFT) build -c release

debug: deps
	$(SWIFT) build

# The tests are swift-testing only: --disable-xctest drops XCTest's empty "Executed 0 tests" lines.
# IMAGEKIT_CONFIG_CHECKED (exported by pipeline.mk for the stage tools) must not reach the tests:
# they check the tools' own config warnings.
test:  ## build and run every test (unit and end-to-end); deps plus LiteLLM's proxy for its test
	@scripts/deps.sh --test
	$(SWIFT) build
	env -u IMAGEKIT_CONFIG_CHECKED $(SWIFT) test --disable-xctest 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}

install: build  ## copy the tools to $(PREFIX)/bin
	install -d $(DESTDIR)$(PREFIX)/bin
	for t in $(TOOLS); do install -m 755 .build/release/$$t $(DESTDIR)$(PREFIX)/bin/$$t; done

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$t; done

bench: bench-records bench-s3 bench-resize bench-describe bench-analysis  ## every benchmark, each against its anchors

bench-records: bench-deps  ## Records reader/writer vs jq on $(BENCH_RECORDS) records
	$(SWIFT) build -c release --product records-bench
	bench/records/run.sh $(BENCH_RECORDS)

bench-s3: bench-deps  ## s3ls/s3fetch vs s5cmd, rclone, aws s3 cp, boto3 on a local SeaweedFS
	$(SWIFT) build -c release --product s3ls
	$(SWIFT) build -c release --product s3fetch
	bench/s3/run.sh

bench-resize: bench-deps  ## img-resize vs vipsthumbnail and Pillow on a real-photo corpus (ROUNDS=3)
	$(SWIFT) build -c release --product img-resize
	bench/resize/run.sh

bench-describe: bench-deps  ## gemini-describe and categorize through the emulator vs the reference thread pool
	$(SWIFT) build -c release --product gemini-describe
	$(SWIFT) build -c release --product categorize
	bench/describe/run.sh

bench-analysis: bench-deps  ## cluster vs scikit-learn (N=100000 x D=768, HDBSCAN_N=20000); embed vs one SDK call per text at 300 ms
	$(SWIFT) build -c release --product cluster
	$(SWIFT) build -c release --product embed
	bench/analysis/run.sh
	bench/analysis/embed.sh

.PHONY: bench-scale
bench-scale: bench-deps  ## memory at scale: s3ls over SCALE_NAMES (10M) names vs a fake 10M-key listing, every stage's MB per million records
	for p in s3ls s3fetch img-resize gemini-describe categorize embed plotdist; do $(SWIFT) build -c release --product $$p || exit 1; done
	bench/scale/run.sh

fuzz: deps  ## fuzz the image decoders with libFuzzer (FUZZ_SECONDS, default 600)
	scripts/fuzz.sh

charts-examples: deps  ## redraw the plotdist example charts in docs/ from the generated sample data
	$(SWIFT) build --product plotdist
	mkdir -p .build/charts-sample
	python3 docs/examples/make-sample-data.py .build/charts-sample
	cd .build/charts-sample && PLOTDIST=$$($(SWIFT) build --show-bin-path)/plotdist && \
	  $$PLOTDIST REAL=real.ndjson GEN=gen.ndjson --top 15 --ci --mark-significant -o $(CURDIR)/docs/plotdist-percent.png >/dev/null && \
	  $$PLOTDIST REAL=real.ndjson GEN=gen.ndjson --chart counts --top 12 --rank-by diff -o $(CURDIR)/docs/plotdist-counts.png >/dev/null && \
	  $$PLOTDIST REAL=real.ndjson --chart single --top 15 -o $(CURDIR)/docs/plotdist-single.png >/dev/null

clean:
	rm -rf .build

# The pipeline: stage targets with checkpoints, drop-in batches, compare, demo.
include $(dir $(lastword $(MAKEFILE_LIST)))pipeline.mk
