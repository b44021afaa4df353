# pipeline.mk — the pipeline section of the Makefile (included by it): per-dataset stages with
# checkpoints, drop-in CSV batches, compare, demo. Data paths are relative to the directory make
# runs in, so `make -f /path/to/imagekit/Makefile pipeline ...` works from a project folder too.
#
#   make pipeline DATASET=REAL LIST=lists/REAL.csv BUCKET=lake PREFIX=datalake_training/REAL/
#   make compare A=REAL B=GEN
#   make analyze A=REAL B=GEN                                 (embed, cluster, shift tables, report)
#   make -j4 pipeline DATASET=REAL SHARDS=4                   (RUNNER=local|parallel|slurm: scaling out)
#   make downloads | make batches | make list-batches        (every to_download/NAME.csv)
#
# Each stage runs its tool with -o STAGE.ndjson.part and renames the file to STAGE.ndjson when the
# tool exits 0: rerunning make resumes an interrupted stage and skips finished ones.
# SHARDS=N runs every per-record stage as N shards (RUNNER=local|parallel|slurm), merged exactly.

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

# ---- settings: every knob has config.yaml's value as default (scripts/config-get.sh) ----------
CONFIG ?= config.yaml
config = $(shell $(ROOT)/scripts/config-get.sh '$(CONFIG)' '$(1)' '$(2)')
# default VAR KEY FALLBACK: VAR from the command line or environment wins, else config.yaml, else FALLBACK.
define default
ifeq ($$(origin $(1)),undefined)
$(1) := $$(call config,$(2),$(3))
endif
endef
$(eval $(call default,BUCKET,s3.bucket,))
$(eval $(call default,S3_ROOT,s3.prefix,datalake_training))
$(eval $(call default,S3_ENDPOINT,s3.endpoint_url,))
$(eval $(call default,AWS_PROFILE_NAME,s3.profile,))
$(eval $(call default,FETCH_CONCURRENCY,s3.concurrency,64))
$(eval $(call default,MAX_SIZE,processing.image_max_size,768))
$(eval $(call default,QUALITY,processing.jpeg_quality,90))
$(eval $(call default,JOBS,processing.concurrency,))
$(eval $(call default,MODEL,caption_model,gemini-2.5-flash-lite))
$(eval $(call default,CATEGORY_MODEL,category_model,$(MODEL)))
$(eval $(call default,CONCURRENCY,gemini.concurrency,$(call config,processing.batch_size_captions,16)))
$(eval $(call default,RPM,gemini.rpm,))
$(eval $(call default,TPM,gemini.tpm,))
$(eval $(call default,GEMINI_ENDPOINT,gemini.base_url,))
$(eval $(call default,CATEGORIES,categories_file,$(ROOT)/data/categories.csv))
# Unknown keys in config.yaml: warned once per run of make (by the top-level make), and the
# tools it starts are told not to repeat it.
ifeq ($(MAKELEVEL),0)
config_check := $(shell $(ROOT)/scripts/config-check.sh '$(CONFIG)' >&2)
endif
export IMAGEKIT_CONFIG_CHECKED := 1
CATEGORY_CONCURRENCY ?= 8
PER_REQUEST ?= 20
DATASET ?= REAL
A ?= REAL
B ?= GEN
TOP ?= 20
WORK ?= work
DOWNLOADS ?= downloads
REPORTS ?= reports
BATCH_DIR ?= to_download
AUTO_CONFIRM ?= 0
# Where the tools are: the wrappers build the release binaries on first use.
TOOLS_BIN ?= $(ROOT)/bin-wrappers
# Extra flags for every stage tool (e.g. -q, --log-file FILE, --shard 0/4), and for one tool each.
TOOL_FLAGS ?=
S3LS_FLAGS ?=
S3FETCH_FLAGS ?=
RESIZE_FLAGS ?=
DESCRIBE_FLAGS ?=
CATEGORIZE_FLAGS ?=
# The analysis (make analyze): embed's flags (e.g. --local tfidf: no model, no key), cluster's
# (e.g. --method kmeans --k 40), and the fields whose shift between A and B is measured.
EMBED_FLAGS ?=
CLUSTER_FLAGS ?=
ANALYZE_FIELDS ?= cluster keywords description.scene.environment description.style.genre description.style.lighting description.objects[].name
# Scale out (see "Scaling out" in README.md): SHARDS=N runs each per-record stage as N shards
# (--shard K/N, each its own checkpoint STAGE.K-of-N.ndjson), merged by merge-shards into
# STAGE.ndjson in the input's order. RUNNER: local (make -j), parallel (GNU parallel on HOSTS, its
# --sshlogin list; ':' is this machine; a shared filesystem is checked), slurm (one job array per
# stage, chained with afterok; resources from PARTITION, CPUS, MEM, TIME and SLURM_FLAGS).
# --rpm/--tpm are divided among the shards (RPM / SHARDS, at least 1).
SHARDS ?= 1
RUNNER ?= local
HOSTS ?= :
PARALLEL_FLAGS ?=
PARTITION ?=
CPUS ?=
MEM ?=
TIME ?=
SLURM_FLAGS ?=
# Seconds `make` waits for the Slurm jobs it submitted (0: no limit).
SLURM_WAIT ?= 0
# `PREFIX` is the S3 prefix only when given for the pipeline on the command line (the install
# target uses it for /usr/local).
S3_PREFIX_GIVEN := $(if $(filter command line,$(origin PREFIX)),$(PREFIX))

# ---- per dataset: list, type, S3 prefix, download folder -------------------------------------
# A dataset's type, as the reference tool derives it: the name's part before the first `_`,
# upper-cased (GEN_week1 and gen_week1 -> GEN, DALLE3_batch -> DALLE3, misc -> MISC).
upper = $(subst a,A,$(subst b,B,$(subst c,C,$(subst d,D,$(subst e,E,$(subst f,F,$(subst g,G,$(subst h,H,$(subst i,I,$(subst j,J,$(subst k,K,$(subst l,L,$(subst m,M,$(subst n,N,$(subst o,O,$(subst p,P,$(subst q,Q,$(subst r,R,$(subst s,S,$(subst t,T,$(subst u,U,$(subst v,V,$(subst w,W,$(subst x,X,$(subst y,Y,$(subst z,Z,$(1)))))))))))))))))))))))))))
type_of = $(call upper,$(firstword $(subst _, ,$(1))))
# The list: LIST for DATASET, else LIST_NAME, else to_download/NAME.csv, else lists/NAME.csv.
list_of = $(or $(LIST_$(1)),$(if $(filter $(1),$(DATASET)),$(LIST)),$(wildcard $(BATCH_DIR)/$(1).csv),lists/$(1).csv)
prefix_of = $(or $(PREFIX_$(1)),$(if $(filter $(1),$(DATASET)),$(S3_PREFIX_GIVEN)),$(S3_ROOT)/$(call type_of,$(1))/)
bucket_of = $(or $(BUCKET_$(1)),$(BUCKET))
downloads_of = $(DOWNLOADS)/$(1)_downloads

tool = $(TOOLS_BIN)/$(1)
config_flag = $(if $(wildcard $(CONFIG)),--config $(CONFIG))
s3_flags = $(if $(S3_ENDPOINT),--endpoint-url $(S3_ENDPOINT)) $(if $(AWS_PROFILE_NAME),--profile $(AWS_PROFILE_NAME))
# A rate limit shared by SHARDS processes: each gets RATE / SHARDS (rounded down, at least 1).
per_shard = $(if $(filter 1,$(SHARDS)),$(1),$(shell awk 'BEGIN { v = int($(1) / $(SHARDS)); print (v < 1 ? 1 : v) }'))
gemini_flags = $(if $(GEMINI_ENDPOINT),--base-url $(GEMINI_ENDPOINT)) $(if $(RPM),--rpm $(call per_shard,$(RPM))) $(if $(TPM),--tpm $(call per_shard,$(TPM)))
stage_flags = $(config_flag) $(TOOL_FLAGS)
# Each stage's log (summary and every error record) in work/NAME/logs/STAGE.log; s3fetch keeps
# the reference's place, downloads/NAME_downloads/logs/s3fetch-TIMESTAMP.log. Before TOOL_FLAGS,
# so a --log-file there wins.
stage_log = --log-file $(@D)/logs/$(notdir $(basename $@)).log

# run_stage TOOL-COMMAND: write $@.part with -o, rename when the tool exits 0.
define run_stage
@mkdir -p $(@D)/logs
@printf '\n== %s: %s%s\n' '$*' '$(notdir $(basename $@))' '$(if $(wildcard $@.part), (resuming $@.part))' >&2
$(strip $(1)) -o $@.part
@mv -f $@.part $@
endef

.PHONY: pipeline listed fetched resized described categorized csv compare analyze downloads batches list-batches \
  demo pipeline-settings retry
.SECONDEXPANSION:
.DELETE_ON_ERROR:
# Never let make delete a stage file or a checkpoint it sees as intermediate.
.SECONDARY:

# The per-record stages' commands without -o: cmd_STAGE DATASET INPUT LOG-FLAG, one definition
# for a whole-stage run and for its shards (s3fetch keeps its log in the downloads folder).
cmd_fetched = $(call tool,s3fetch) $(stage_flags) $(S3FETCH_FLAGS) $(s3_flags) --dir $(call downloads_of,$(1)) --concurrency $(FETCH_CONCURRENCY) --yes $(2)
cmd_resized = $(call tool,img-resize) $(config_flag) $(3) $(TOOL_FLAGS) $(RESIZE_FLAGS) --out-dir $(WORK)/$(1)/resized --max-size $(MAX_SIZE) --quality $(QUALITY) $(if $(JOBS),--jobs $(JOBS)) $(2)
cmd_described = $(call tool,gemini-describe) $(config_flag) $(3) $(TOOL_FLAGS) $(DESCRIBE_FLAGS) $(gemini_flags) --model $(MODEL) --concurrency $(CONCURRENCY) --max-size $(MAX_SIZE) $(2)
cmd_categorized = $(call tool,categorize) $(config_flag) $(3) $(TOOL_FLAGS) $(CATEGORIZE_FLAGS) $(gemini_flags) --categories $(CATEGORIES) --model $(CATEGORY_MODEL) --concurrency $(CATEGORY_CONCURRENCY) --per-request $(PER_REQUEST) $(2)
cmd_embedded = $(call tool,embed) $(config_flag) $(3) $(TOOL_FLAGS) $(EMBED_FLAGS) $(if $(GEMINI_ENDPOINT),--base-url $(GEMINI_ENDPOINT)) $(if $(RPM),--rpm $(call per_shard,$(RPM))) --vectors $(WORK)/$(1)/vectors.npy $(2)
clean_resized = find $(WORK)/$*/resized -maxdepth 1 -name '.*.tmp-*' -type f -delete 2>/dev/null || true

# ---- SHARDS=N: each per-record stage as N shards, then merge-shards --------------------------
# listed runs once (each s3ls shard would walk the whole listing); plotdist and cluster read the
# merged files. A stage's shard script (WORK/NAME/shards/STAGE.sh K; K may come from a job
# array's index variable) runs one shard with its own checkpoint; its merge script joins them.
sharded := $(filter-out 1,$(SHARDS))
ifneq ($(sharded),)
ifeq ($(filter local parallel slurm,$(RUNNER)),)
$(error RUNNER must be local, parallel or slurm (it is '$(RUNNER)'))
endif
shard_ids := $(shell seq 0 $$(( $(SHARDS) - 1 )))
input_of_fetched := listed
input_of_resized := fetched
input_of_described := resized
input_of_categorized := described
input_of_embedded := categorized
shard_files = $(foreach k,$(shard_ids),$(WORK)/$(1)/$(2).$(k)-of-$(SHARDS).ndjson)
confirm_part = $(firstword $(wildcard $(WORK)/$*/fetched.*-of-$(SHARDS).ndjson*) $@.part)
shards_dir = $(WORK)/$*/shards

define shard_script
#!/bin/sh
# $(1) of $*, one shard of $(SHARDS) (written by make): K is the first argument, else the job
# array's index. A finished shard is skipped; an interrupted one resumes its checkpoint.
set -e
k=$${1:-$${SLURM_ARRAY_TASK_ID:-$${JOB_COMPLETION_INDEX:-$${AWS_BATCH_JOB_ARRAY_INDEX:?no shard index: give K, or run it as a job array task}}}}
cd '$(CURDIR)'
out=$(WORK)/$*/$(1).$$k-of-$(SHARDS).ndjson
if [ -f "$$out" ] && ! [ $< -nt "$$out" ]; then exit 0; fi
mkdir -p $(WORK)/$*/logs
printf '\n== %s: %s%s\n' '$*' "$(1).$$k-of-$(SHARDS)" "$$([ -f "$$out.part" ] && echo " (resuming $$out.part)")" >&2
$(call cmd_$(1),$*,$<,--log-file $(WORK)/$*/logs/$(1).$$k-of-$(SHARDS).log) --shard $$k/$(SHARDS) -o "$$out.part"
mv -f "$$out.part" "$$out"
endef

define merge_script
#!/bin/sh
# $(1) of $*: its $(SHARDS) shards joined in the order of $< (written by make).
set -e
cd '$(CURDIR)'
$(call tool,merge-shards) $< --shards $(SHARDS) -o $@
$(if $(filter resized,$(1)),$(clean_resized))
endef

# stage_run STAGE: write the stage's scripts, run the shards on RUNNER, merge.
define stage_run
@$(shell mkdir -p $(shards_dir))$(file >$(shards_dir)/$(1).sh,$(call shard_script,$(1)))$(file >$(shards_dir)/$(1).merge.sh,$(call merge_script,$(1)))printf '\n== %s: %s as %s shards (RUNNER=%s)\n' '$*' '$(1)' '$(SHARDS)' '$(RUNNER)' >&2
$(call run_on_$(RUNNER),$(1))
endef

# local: the shard files are targets of a make of their own, -j SHARDS unless -j was given, and
# --keep-going: a failed shard does not stop the others (the rerun then runs it alone).
define run_on_local
@$(MAKE) --no-print-directory --keep-going -f $(ROOT)/Makefile $(if $(filter -j%,$(MAKEFLAGS)),,-j$(SHARDS)) $(call shard_files,$*,$(1))
@sh $(shards_dir)/$(1).merge.sh
endef
$(WORK)/%-of-$(SHARDS).ndjson: $$(WORK)/$$(dir $$*)$$(input_of_$$(basename $$(notdir $$*))).ndjson
	@sh $(WORK)/$(dir $*)shards/$(basename $(notdir $*)).sh $(patsubst .%,%,$(suffix $*))

# parallel: GNU parallel runs the shard script on HOSTS (each must see this folder: checked).
define run_on_parallel
@$(ROOT)/scripts/shared-folder-check.sh '$(HOSTS)' '$(abspath $(shards_dir))'
@parallel --will-cite --sshlogin '$(HOSTS)' --jobs $(SHARDS) $(PARALLEL_FLAGS) sh '$(abspath $(shards_dir))/$(1).sh' ::: $(shard_ids)
@sh $(shards_dir)/$(1).merge.sh
endef

# slurm: a job array for the shards after the stage before, and the merge as a job after the
# array; make goes on submitting, and waits where a file is read (slurm_wait).
slurm_flags = $(if $(PARTITION),--partition $(PARTITION)) $(if $(CPUS),--cpus-per-task $(CPUS)) $(if $(MEM),--mem $(MEM)) $(if $(TIME),--time $(TIME)) $(SLURM_FLAGS)
define run_on_slurm
@$(ROOT)/scripts/slurm-submit.sh '$(abspath $(WORK)/$*)' '$(1)' '$(SHARDS)' '$(input_of_$(1))' $(slurm_flags)
endef
ifeq ($(RUNNER),slurm)
slurm_wait = @$(ROOT)/scripts/slurm-wait.sh '$(SLURM_WAIT)' $(1)
endif
else
stage_run = $(call run_stage,$(call cmd_$(1),$*,$<,$(stage_log)))
confirm_part = $@.part
endif

pipeline: $(WORK)/$(DATASET)/categorized.ndjson  ## the whole chain for DATASET (LIST, BUCKET, PREFIX; SHARDS, RUNNER)
	$(call slurm_wait,$^)
	@$(ROOT)/scripts/stage-summary.sh '$(DATASET)' '$(WORK)/$(DATASET)'

listed fetched resized described categorized: %: $(WORK)/$(DATASET)/%.ndjson  ## one stage of DATASET (and the ones before it)

# A list that is gone (or was given as LIST=... for an earlier run) does not undo a finished listing.
$(WORK)/%/listed.ndjson: $$(wildcard $$(call list_of,$$*))
	@test -f '$(call list_of,$*)' || { echo "pipeline: no list for dataset $*: give LIST=file.csv (one image file name a line), or put it at $(BATCH_DIR)/$*.csv" >&2; exit 2; }
	@test -n '$(call bucket_of,$*)' || { echo "pipeline: no bucket for $*: give BUCKET=... (or s3.bucket in $(CONFIG))" >&2; exit 2; }
	$(call run_stage,$(call tool,s3ls) $(config_flag) $(stage_log) $(TOOL_FLAGS) $(S3LS_FLAGS) $(s3_flags) s3://$(call bucket_of,$*)/$(call prefix_of,$*) $(call list_of,$*))

$(WORK)/%/fetched.ndjson: $(WORK)/%/listed.ndjson
	@AUTO_CONFIRM=$(AUTO_CONFIRM) $(ROOT)/scripts/confirm-download.sh '$*' $< '$(call downloads_of,$*)' $(confirm_part)
	$(call stage_run,fetched)

$(WORK)/%/resized.ndjson: $(WORK)/%/fetched.ndjson
	@# A killed img-resize leaves its temporary files (.NAME.tmp-PID-N) behind; the folder is this dataset's own.
	$(if $(sharded),,@$(clean_resized))
	$(call stage_run,resized)

$(WORK)/%/described.ndjson: $(WORK)/%/resized.ndjson
	$(call stage_run,described)

$(WORK)/%/categorized.ndjson: $(WORK)/%/described.ndjson $(wildcard $(CATEGORIES))
	@test -f '$(CATEGORIES)' || { echo "pipeline: no category list $(CATEGORIES): give CATEGORIES=file (or categories_file in $(CONFIG))" >&2; exit 2; }
	$(call stage_run,categorized)

STAGES := listed fetched resized described categorized
# With shards, each shard file turns back into its checkpoint and the merged file goes (it is
# merged again); a stage that ran whole (listed) turns back into its .part.
retry_shards = if [ $$started = 1 ]; then \
	    shards=$$(ls "$${file%.ndjson}".*-of-$(SHARDS).ndjson 2>/dev/null || true); \
	    if [ -n "$$shards" ]; then for shard in $$shards; do mv -f "$$shard" "$$shard.part"; done; rm -f "$$file"; \
	    elif [ -f "$$file" ]; then mv -f "$$file" "$$file.part"; fi; \
	  fi;
RETRY_FROM ?= fetched
retry:  ## rerun DATASET's error records from stage RETRY_FROM (fetched) on; finished records are kept
	@started=0; for stage in $(STAGES); do \
	  [ "$$stage" = '$(RETRY_FROM)' ] && started=1; \
	  file='$(WORK)/$(DATASET)'/$$stage.ndjson; \
	  $(if $(sharded),$(retry_shards),if [ $$started = 1 ] && [ -f "$$file" ]; then mv -f "$$file" "$$file.part"; fi;) \
	done; [ $$started = 1 ] || { echo "retry: RETRY_FROM must be one of: $(STAGES)" >&2; exit 2; }
	@$(MAKE) --no-print-directory -f $(ROOT)/Makefile pipeline

# ---- the reference's CSVs of a dataset, from its records (no model call) ----------------------
# descriptions.csv (image_name,description) and descriptions_categorized.csv
# (image_name,description,categories) as the reference writes them; records without a result
# go to failed.csv (image_name,stage,code,message), never into those two.
csv: $(WORK)/$(DATASET)/descriptions.csv $(WORK)/$(DATASET)/descriptions_categorized.csv  ## the reference's two CSVs of DATASET beside its records

$(WORK)/%/descriptions.csv: $(WORK)/%/categorized.ndjson
	$(call slurm_wait,$<)
	$(call tool,gemini-describe) --format csv $< > $@.part
	@mv -f $@.part $@

$(WORK)/%/descriptions_categorized.csv: $(WORK)/%/categorized.ndjson
	$(call slurm_wait,$<)
	$(call tool,categorize) --format csv --failed $(WORK)/$*/failed.csv $< > $@.part
	@mv -f $@.part $@

# ---- compare two datasets: three charts, the statistics table, the HTML report ---------------
COMPARE_DIR = $(REPORTS)/$(A)_vs_$(B)
compare: $(WORK)/$(A)/categorized.ndjson $(WORK)/$(B)/categorized.ndjson $(foreach d,$(A) $(B),$(WORK)/$(d)/descriptions.csv $(WORK)/$(d)/descriptions_categorized.csv)  ## charts, statistics and HTML report for A vs B in reports/A_vs_B/
	@mkdir -p $(COMPARE_DIR)
	$(call tool,plotdist) $(config_flag) $(A)=$(WORK)/$(A)/categorized.ndjson --chart single --top $(TOP) -o $(COMPARE_DIR)/single-$(A).png > /dev/null
	$(call tool,plotdist) $(config_flag) $(A)=$(WORK)/$(A)/categorized.ndjson $(B)=$(WORK)/$(B)/categorized.ndjson --chart counts --top $(TOP) -o $(COMPARE_DIR)/counts.png --format csv > $(COMPARE_DIR)/statistics.csv
	$(call tool,plotdist) $(config_flag) $(A)=$(WORK)/$(A)/categorized.ndjson $(B)=$(WORK)/$(B)/categorized.ndjson --chart percent --top $(TOP) --ci --mark-significant -o $(COMPARE_DIR)/percent.png > $(COMPARE_DIR)/statistics.ndjson
	$(call tool,plotdist) -q $(config_flag) $(A)=$(WORK)/$(A)/categorized.ndjson $(B)=$(WORK)/$(B)/categorized.ndjson --top $(TOP) --format markdown --html $(COMPARE_DIR)/html > $(COMPARE_DIR)/statistics.md
	@printf '\ncompare: %s vs %s\n  charts:     %s\n  statistics: %s (also .csv, .ndjson)\n  report:     %s\n' \
	  '$(A)' '$(B)' '$(COMPARE_DIR)/single-$(A).png $(COMPARE_DIR)/counts.png $(COMPARE_DIR)/percent.png' \
	  '$(COMPARE_DIR)/statistics.md' '$(COMPARE_DIR)/html/index.html'

# ---- what sets A and B apart without a category list (the reference's analysis script) -------
# embedded.ndjson per dataset (vectors in WORK/NAME/vectors.npy, resumable like every stage), one
# clustering of both, then plotdist's shift table for each of ANALYZE_FIELDS and the report.
ANALYZE_DIR = $(REPORTS)/$(A)_vs_$(B)/analysis
analyze_fields = $(foreach f,$(ANALYZE_FIELDS),--field '$(f)')

$(WORK)/%/embedded.ndjson: $(WORK)/%/categorized.ndjson
	$(call stage_run,embedded)

# cluster writes -o atomically (a clustering is a whole-input result: nothing to resume).
$(ANALYZE_DIR)/clustered.ndjson: $(WORK)/$(A)/embedded.ndjson $(WORK)/$(B)/embedded.ndjson
	$(call slurm_wait,$^)
	@mkdir -p $(@D)
	$(call tool,cluster) $(config_flag) $(CLUSTER_FLAGS) $(A)=$(WORK)/$(A)/embedded.ndjson $(B)=$(WORK)/$(B)/embedded.ndjson --clusters $(@D)/clusters.ndjson -o $@

analyze: $(ANALYZE_DIR)/clustered.ndjson  ## embed, cluster, shift tables (cluster, keywords, attributes) and report for A vs B in reports/A_vs_B/analysis/
	$(call tool,plotdist) -q $(config_flag) $(analyze_fields) --chart percent --top $(TOP) --ci -o $(ANALYZE_DIR)/percent.png < $< > $(ANALYZE_DIR)/shift.ndjson
	$(call tool,plotdist) -q $(config_flag) $(analyze_fields) --top $(TOP) --format csv < $< > $(ANALYZE_DIR)/shift.csv
	$(call tool,plotdist) -q $(config_flag) $(analyze_fields) --clusters $(ANALYZE_DIR)/clusters.ndjson --top $(TOP) --format markdown --html $(ANALYZE_DIR)/html < $< > $(ANALYZE_DIR)/shift.md
	@printf '\nanalyze: %s vs %s\n  clusters:     %s (keywords, sizes, examples)\n  shift tables: %s (also .csv, .ndjson)\n  charts:       %s\n  report:       %s\n' \
	  '$(A)' '$(B)' '$(ANALYZE_DIR)/clusters.ndjson' '$(ANALYZE_DIR)/shift.md' '$(ANALYZE_DIR)/percent-*.png' '$(ANALYZE_DIR)/html/index.html'

# ---- drop-in batches: every to_download/NAME.csv is a dataset --------------------------------
ALL_BATCHES = $(sort $(basename $(notdir $(wildcard $(BATCH_DIR)/*.csv))))
# BATCHES=GEN_week1,REAL_week1 runs those without asking which (else a terminal is asked).
BATCHES ?=
batch_specs = $(foreach b,$(ALL_BATCHES),'$(b)|$(call type_of,$(b))|s3://$(or $(call bucket_of,$(b)),BUCKET?)/$(call prefix_of,$(b))|$(call downloads_of,$(b))')

list-batches:  ## what every to_download/NAME.csv would do (type, S3 prefix, downloads folder, stages done)
	@$(ROOT)/scripts/list-batches.sh '$(BATCH_DIR)' '$(WORK)' '$(DOWNLOADS)' $(batch_specs)

# The batches to run are chosen (and each download confirmed) by run-batches.sh, which then runs
# this Makefile again for them; $(MAKE) in the line passes -j on.
downloads:  ## choose batches (BATCHES=a,b, else asked), list them, confirm each, download into downloads/NAME_downloads/
batches:  ## the same, then the whole pipeline for each chosen batch
downloads batches:
	@MAKE='$(MAKE)' MAKEFILE='$(ROOT)/Makefile' WORK='$(WORK)' BATCH_DIR='$(BATCH_DIR)' BATCHES='$(BATCHES)' \
	  AUTO_CONFIRM='$(AUTO_CONFIRM)' $(ROOT)/scripts/run-batches.sh $(if $(filter downloads,$@),fetched,categorized) $(batch_specs)

pipeline-settings:  ## the effective settings (command line > environment > config.yaml > defaults)
	@$(foreach v,CONFIG DATASET BUCKET S3_ROOT S3_ENDPOINT AWS_PROFILE_NAME FETCH_CONCURRENCY MAX_SIZE QUALITY JOBS MODEL CATEGORY_MODEL CONCURRENCY CATEGORY_CONCURRENCY PER_REQUEST RPM TPM GEMINI_ENDPOINT CATEGORIES WORK DOWNLOADS REPORTS BATCH_DIR TOOLS_BIN,printf '%-20s %s\n' '$(v)' '$($(v))';)
	@printf '%-20s %s\n' 'list ($(DATASET))' '$(call list_of,$(DATASET))' 's3 ($(DATASET))' '$(if $(call bucket_of,$(DATASET)),s3://$(call bucket_of,$(DATASET))/$(call prefix_of,$(DATASET)),no bucket (give BUCKET=... or s3.bucket in $(CONFIG)); prefix $(call prefix_of,$(DATASET)))'
	@not_used=$$($(ROOT)/scripts/config-check.sh '$(CONFIG)' --not-used); [ -z "$$not_used" ] || printf '%-20s %s\n' 'not used' "$$not_used (the reference's folders and pacing; accepted, ignored)"

# ---- the demo: local S3 and Gemini emulator, two datasets, compare ---------------------------
demo:  ## the whole pipeline on sample photographs with a local S3 server (and the Gemini emulator without a key)
	@$(ROOT)/scripts/demo.sh
