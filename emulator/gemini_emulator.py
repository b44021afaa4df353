#!/usr/bin/env python3
"""gemini_emulator.py — a local stand-in for the Gemini REST API (generativelanguage), for the
tests and the demo. Written from the API reference (docs: paths, headers, field names, error
envelopes), independently of the Swift client, so a wrong field name cannot hide on both sides.

It checks requests as the real service does (key header, model path, inline image data that
decodes as an image — standard or URL-safe base64 with or without padding, as proto3 JSON
allows and the official SDK sends —, a well-formed response schema), answers with schema-valid JSON derived from
the image it received (size, brightness, dominant colours — so a test can tell the bytes
arrived), reports usageMetadata with the 2.x image-token rule, enforces an RPM limit with 429 +
RetryInfo like the real service, and injects faults on demand.

Usage:
  gemini_emulator.py [--port 0] [--api-key KEY] [--latency-ms 300] [--rpm N]
                     [--faults 429=0.1,503=0.05,...] [--seed 1] [--models-404]
Prints its base URL (http://127.0.0.1:PORT) as the first line on stdout once it is listening.

Faults (--faults NAME=PROBABILITY,..., or per request with the header x-emulator-fault: NAME):
  429 429_daily 500 503 504 502_html error_array drop slow malformed trailing max_tokens
  max_tokens_empty safety blocked empty
Every route answers under /v1 (what google-genai 3.x sends) and /v1beta alike.
Embeddings (gemini-embedding-001; text-embedding-004 answers 404 as a retired model does):
embedContent, batchEmbedContents (at most 100 requests, each naming the URL's model) and
asyncBatchEmbedContent, with taskType and outputDimensionality. The vectors are deterministic
and similar texts are near: the lower-cased words' hashed features, through a fixed seeded sparse
random projection to 3072 dimensions, L2-normalised at full size; a smaller
outputDimensionality keeps the first values unnormalised (Matryoshka truncation, as the
service does). The same faults apply; `malformed` cuts the JSON and `empty` leaves out the
last vector. Answers carry "emulator": true, as generateContent's do.
Batch Mode: the Files API's resumable upload (/upload/v1beta/files), batchGenerateContent with
a JSONL file or inline requests, GET/cancel/delete/list of batches/N, and the results file at
/download/v1beta/files/batch-N:download?alt=media (or without /download). A job is done after
--batch-seconds; its lines get the same answers and faults as single calls (call faults become a
per-line error status); a results file's lines come back shuffled, so clients must match them
by key (inline results come in request order, as the docs say). An inline create over 20 MiB is
refused as the payload limit; stats count batches_created, batches_inline and files_uploaded.
GET batches lists the jobs newest first in pages (pageSize: default 10, at most
batch_page_max = 100; nextPageToken while more remain), each the same Operation a poll answers.
Control: GET /emulator/stats (counters), POST /emulator/config (JSON: faults, rpm, latency_ms,
seed, slow_ms, max_enum_values, batch_seconds, batch_outcome = FAILED|EXPIRED|CANCELLED for the
jobs created next, batch_page_max, batch_create_stall_ms = a delay after a job is created and
counted, before its answer, so a test can kill the client in that window (after
batch_create_stall_skip creates answered at once), models_404 = true to
answer 404 on GET models and GET models/NAME as a gateway without them does, also --models-404;
batch_list_404 = true the same for GET batches)
— loopback only, for tests and benchmarks.
OpenAI face (emulator/openai_face.py, same process and port): /v1/chat/completions,
/v1/embeddings and /v1/models with the same answers and faults in OpenAI's shapes; config
openai_json_schema = false refuses json_schema, openai_max_tokens = false refuses max_tokens as
OpenAI's reasoning models do (max_completion_tokens only), openai_temperature = false refuses a
temperature other than 1 as they do too, openai_no_key = true (or --openai-no-key) takes
requests without a key, as a local server does; its Batch API (emulator/openai_batches.py):
/v1/files and /v1/batches, config openai_batches = false answers 404 there, openai_batch_create_429
= N refuses the next N creates.
"""
import argparse
import base64
import collections
import functools
import hashlib
import io
import json
import math
import random
import re
import signal
import socket
import sys
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import openai_face  # the OpenAI-compatible face, kept in its own module

try:
    from PIL import Image
except ImportError:  # the emulator still answers; image checks fall back to magic numbers
    Image = None

MODELS = {
    "gemini-2.5-flash-lite": {"thinking": False, "family": "2.5", "input": 1048576, "output": 65536},
    "gemini-2.5-flash": {"thinking": True, "family": "2.5", "input": 1048576, "output": 65536},
    "gemini-2.5-pro": {"thinking": True, "family": "2.5", "input": 1048576, "output": 65536},
    "gemini-3-flash-preview": {"thinking": True, "family": "3", "input": 1048576, "output": 65536},
}
# Embedding models: full dimensions and input token limit. Retired ids (text-embedding-004,
# embedding-001) are simply absent, so they answer 404 NOT_FOUND as the service does.
EMBED_MODELS = {"gemini-embedding-001": {"dimensions": 3072, "input": 2048}}
EMBED_TASK_TYPES = {"TASK_TYPE_UNSPECIFIED", "RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT", "SEMANTIC_SIMILARITY",
                    "CLASSIFICATION", "CLUSTERING", "QUESTION_ANSWERING", "FACT_VERIFICATION", "CODE_RETRIEVAL_QUERY"}
EMBED_BATCH_LIMIT = 100
IMAGE_MIME = {"image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"}
SCHEMA_TYPES = {"STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"}
SCHEMA_KEYS = {"type", "format", "description", "nullable", "enum", "items", "minItems", "maxItems",
               "properties", "required", "propertyOrdering", "anyOf", "minimum", "maximum",
               "minLength", "maxLength", "title", "example", "default",
               "min_items", "max_items", "property_ordering", "any_of", "min_length", "max_length"}
FAULTS = {"429", "429_daily", "500", "503", "504", "502_html", "error_array", "drop", "slow",
          "malformed", "trailing", "max_tokens", "max_tokens_empty", "safety", "blocked", "empty",
          # categorisation answers that break the contract: an id left out, an id twice, a
          # category not in the list, names in another case/number
          "cat_drop_id", "cat_dup_id", "cat_unlisted", "cat_case",
          # the OpenAI face in json_object mode: valid JSON that leaves out a required property
          # (the server did not enforce the schema; the Gemini face answers normally)
          "schema_drift"}
STOPWORDS = {"with", "that", "this", "from", "dominated", "photograph", "pixels", "area", "image", "unknown",
             "softly", "dark", "bright", "light", "lit", "natural", "open", "space", "wide", "view", "outdoor", "indoor"}
COLOR_NAMES = [  # (name, rgb) — a small palette to name dominant colours
    ("black", (20, 20, 20)), ("white", (240, 240, 240)), ("gray", (128, 128, 128)),
    ("red", (200, 40, 40)), ("orange", (230, 140, 30)), ("yellow", (230, 210, 50)),
    ("green", (60, 160, 60)), ("teal", (40, 150, 150)), ("blue", (50, 90, 200)),
    ("purple", (130, 60, 160)), ("pink", (230, 130, 180)), ("brown", (120, 80, 40)),
]


class ApiError(Exception):
    """An error answered as Google's JSON envelope."""

    def __init__(self, code, status, message, details=None, grpc=None):
        super().__init__(message)
        self.code, self.status, self.message, self.details = code, status, message, details or []
        self.grpc = grpc  # the google.rpc code, when it is not the HTTP status's usual one

    def body(self):
        error = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


class State:
    """Settings and counters shared by the handler threads."""

    def __init__(self, args):
        self.lock = threading.Lock()
        self.api_key = args.api_key
        self.latency_ms = args.latency_ms
        self.slow_ms = args.slow_ms
        self.rpm = args.rpm
        self.rpd = args.rpd
        self.max_enum_values = args.max_enum_values
        self.retry_delay = args.retry_delay
        self.faults = parse_faults(args.faults)
        self.random = random.Random(args.seed)
        self.window = deque()  # times of accepted generateContent calls (RPM window)
        self.day_count = 0
        self.stats = {"requests": 0, "generate_content": 0, "ok": 0, "images": 0, "rate_limited": 0,
                      "faults": {}, "errors": {}, "ids_seen": 0, "max_in_flight": 0}
        self.in_flight = 0  # generateContent calls being answered now (max_in_flight: the most at once)
        self.stats.update(BATCH_COUNTERS)
        self.stats.update(json.loads(json.dumps(EMBED_COUNTERS)))
        # Files API and Batch Mode: uploads in progress, stored files, batch jobs.
        self.uploads, self.files, self.batches = {}, {}, {}
        self.batch_seconds = args.batch_seconds
        self.batch_outcome = None  # set by /emulator/config: FAILED, EXPIRED or CANCELLED for new jobs
        self.batch_page_max = 100  # the most jobs one page of GET batches holds
        self.batch_create_stall_ms = 0  # delay between creating a job and answering the create
        self.batch_create_stall_skip = 0  # creates answered at once before the stall applies
        self.models_404 = args.models_404  # GET models and models/NAME answer 404 (a gateway without them)
        self.batch_list_404 = False  # GET batches answers 404 (a gateway without the list)
        self.openai_json_schema = True  # the OpenAI face takes response_format json_schema
        self.openai_max_tokens = True  # false: max_tokens is refused (max_completion_tokens only)
        self.openai_temperature = True  # false: a temperature other than 1 is refused
        self.openai_no_key = args.openai_no_key  # the OpenAI face needs no key (a local server)
        # The OpenAI face's Batch API (openai_batches.py): its files and batches, and its switches.
        self.openai_files, self.openai_batch_jobs = {}, {}
        self.openai_batches = True  # false: /v1/files and /v1/batches answer 404 (a server without them)
        self.openai_batch_create_429 = 0  # the next N creates answer 429

    def configure(self, config):
        with self.lock:
            if "faults" in config:
                self.faults = parse_faults(config["faults"]) if isinstance(config["faults"], str) \
                    else {k: float(v) for k, v in config["faults"].items()}
            for key in ("rpm", "rpd", "latency_ms", "slow_ms", "max_enum_values", "retry_delay",
                        "batch_seconds", "batch_outcome", "batch_page_max", "batch_create_stall_ms", "batch_create_stall_skip", "models_404", "batch_list_404",
                        "openai_json_schema", "openai_max_tokens", "openai_temperature", "openai_no_key", "openai_batches", "openai_batch_create_429"):
                if key in config:
                    setattr(self, key, config[key])
            if "seed" in config:
                self.random = random.Random(config["seed"])
            if config.get("reset_stats"):
                self.stats = {"requests": 0, "generate_content": 0, "ok": 0, "images": 0,
                              "rate_limited": 0, "faults": {}, "errors": {}, "ids_seen": 0, "max_in_flight": 0}
                self.stats.update(BATCH_COUNTERS)
                self.stats.update(json.loads(json.dumps(EMBED_COUNTERS)))
                self.window.clear()

    def count(self, key, sub=None):
        with self.lock:
            if sub is None:
                self.stats[key] += 1
            else:
                self.stats[key][sub] = self.stats[key].get(sub, 0) + 1

    def pick_fault(self):
        with self.lock:
            roll = self.random.random()
            total = 0.0
            for name, probability in self.faults.items():
                total += probability
                if roll < total:
                    return name
        return None

    def admit(self):
        """RPM/RPD check: None when admitted, else an ApiError 429 like the real service's."""
        now = time.monotonic()
        with self.lock:
            if self.rpd and self.day_count >= self.rpd:
                return quota_error("GenerateRequestsPerDayPerProjectPerModel", self.rpd, None)
            if self.rpm:
                while self.window and now - self.window[0] >= 60.0:
                    self.window.popleft()
                if len(self.window) >= self.rpm:
                    wait = 60.0 - (now - self.window[0])
                    self.stats["rate_limited"] += 1
                    return quota_error("GenerateRequestsPerMinutePerProjectPerModel", self.rpm, wait)
                self.window.append(now)
            self.day_count += 1
        return None


job_lock = threading.Lock()  # one job advances at a time (its lines are answered once)
BATCH_COUNTERS = {"files_uploaded": 0, "batches_created": 0, "batches_inline": 0, "batch_polls": 0, "batch_lines": 0,
                  "batches_cancelled": 0, "downloads": 0, "batch_lists": 0}
# A create with inline requests must stay under 20 MB (gemini-api.md §4.1); read here as 20 MiB,
# the payload limit the API states in its errors, so a client within 20 MB passes.
INLINE_CREATE_LIMIT = 20 * 1024 * 1024
# embed_calls: embedContent and batchEmbedContents calls received; embed_texts: texts answered
# with a vector; embed_largest_call: the most texts in one call; by task type and dimensions.
EMBED_COUNTERS = {"embed_calls": 0, "embed_ok": 0, "embed_texts": 0, "embed_largest_call": 0,
                  "embed_task_types": {}, "embed_dimensions": {}}
# Faults that end a call without an answer: in a batch they become a per-line error status.
CALL_FAULTS = {"429": (8, "RESOURCE_EXHAUSTED"), "429_daily": (8, "RESOURCE_EXHAUSTED"), "500": (13, "INTERNAL"),
               "503": (14, "UNAVAILABLE"), "504": (4, "DEADLINE_EXCEEDED"), "502_html": (14, "UNAVAILABLE"),
               "error_array": (13, "INTERNAL"), "drop": (14, "UNAVAILABLE"), "slow": None}
GRPC_CODES = {400: (3, "INVALID_ARGUMENT"), 403: (7, "PERMISSION_DENIED"), 404: (5, "NOT_FOUND"),
              429: (8, "RESOURCE_EXHAUSTED"), 500: (13, "INTERNAL"), 503: (14, "UNAVAILABLE")}
TERMINAL = {"SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED"}


def decode_bytes_field(text):
    """A proto3 JSON `bytes` value as the API reads it: standard or URL-safe base64 (the official
    Python SDK sends URL-safe), padding optional. Raises ValueError on anything else."""
    if not isinstance(text, str):
        raise TypeError("bytes field is not a string")
    core = text.rstrip("=")
    if len(text) - len(core) > 2 or len(core) % 4 == 1 or not re.fullmatch(r"[A-Za-z0-9+/_-]*", core):
        raise ValueError("not base64")
    standard = core.replace("-", "+").replace("_", "/")
    return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)


def now_rfc3339():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class BatchJob:
    """One batch: its input lines, and once it has run, its output (file or inline)."""

    def __init__(self, number, model, display_name, lines, from_file, outcome):
        self.name = f"batches/{number}"
        self.number = number
        self.model = model
        self.display_name = display_name
        self.lines = lines  # [(key or None, request or None, problem or None)]
        self.from_file = from_file
        self.outcome = outcome
        self.created = time.monotonic()
        self.create_time = now_rfc3339()
        self.state = "PENDING"
        self.results = None  # [(key, {"response": ...} | {"error": ...})]
        self.succeeded = self.failed = 0
        self.embeds = False  # asyncBatchEmbedContent: EmbedContentRequests, embedding answers

    def operation(self):
        stats = {"requestCount": str(len(self.lines))}
        if self.results is None:
            stats["pendingRequestCount"] = str(len(self.lines))
        else:
            stats["successfulRequestCount"] = str(self.succeeded)
            stats["failedRequestCount"] = str(self.failed)
        kind = "EmbedContentBatch" if self.embeds else "GenerateContentBatch"
        meta = {"@type": f"type.googleapis.com/google.ai.generativelanguage.v1beta.{kind}",
                "name": self.name, "model": f"models/{self.model}", "displayName": self.display_name,
                "createTime": self.create_time, "updateTime": now_rfc3339(), "batchStats": stats,
                "state": f"BATCH_STATE_{self.state}"}
        op = {"name": self.name, "metadata": meta}
        if self.state in TERMINAL:
            op["done"] = True
        if self.state == "SUCCEEDED":
            output_type = f"type.googleapis.com/google.ai.generativelanguage.v1beta.{kind}Output"
            if self.from_file:
                output = {"@type": output_type, "responsesFile": f"files/batch-{self.number}"}
            else:
                inlined = "inlinedEmbedContentResponses" if self.embeds else "inlinedResponses"
                output = {"@type": output_type,
                          inlined: {"inlinedResponses": [
                              # metadata comes back only when the request had some (the SDK
                              # refuses a null key)
                              dict(result, metadata={"key": key}) if key is not None else dict(result)
                              for key, result in self.results]}}
            op["response"] = output
            meta["output"] = output
        elif self.state == "FAILED":
            op["error"] = {"code": 13, "message": "The batch job failed: internal error while processing the input."}
        return op


def parse_faults(text):
    faults = {}
    for item in filter(None, (text or "").split(",")):
        name, _, probability = item.partition("=")
        name = name.strip()
        if name not in FAULTS:
            raise SystemExit(f"gemini_emulator: unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}")
        faults[name] = float(probability or 1.0)
    return faults


def duration(seconds):
    """A protobuf Duration string, as RetryInfo.retryDelay carries it ("26s", "0.5s")."""
    seconds = max(seconds, 0.001)
    return f"{seconds:.0f}s" if seconds >= 10 else f"{seconds:.3g}s"


def quota_error(quota_id, limit, retry_after):
    details = [
        {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
         "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_requests",
                         "quotaId": quota_id, "quotaDimensions": {"location": "global"},
                         "quotaValue": str(limit)}]},
        {"@type": "type.googleapis.com/google.rpc.Help",
         "links": [{"description": "Learn more about Gemini API quotas",
                    "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
    ]
    message = "You exceeded your current quota, please check your plan and billing details."
    if retry_after is not None:
        details.append({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": duration(retry_after)})
        message += f" Please retry in {retry_after:.2f}s."
    return ApiError(429, "RESOURCE_EXHAUSTED", message, details)


def pick(obj, *names):
    """A request field under its camelCase or snake_case name."""
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
    return None


# ---------------------------------------------------------------- request validation


def validate_schema(schema, path):
    if not isinstance(schema, dict):
        raise ApiError(400, "INVALID_ARGUMENT", f"Invalid JSON payload received. {path} must be an object.")
    for key in schema:
        if key not in SCHEMA_KEYS:
            raise ApiError(400, "INVALID_ARGUMENT",
                           f'Invalid JSON payload received. Unknown name "{key}" at \'{path}\': Cannot find field.')
    kind = schema.get("type")
    if not isinstance(kind, str) or kind.upper() not in SCHEMA_TYPES:
        if "anyOf" not in schema and "any_of" not in schema:
            raise ApiError(400, "INVALID_ARGUMENT",
                           f"Invalid JSON payload received. Invalid value at '{path}.type' ({kind!r})")
        return
    kind = kind.upper()
    if kind == "OBJECT":
        props = schema.get("properties") or {}
        if not isinstance(props, dict):
            raise ApiError(400, "INVALID_ARGUMENT", f"{path}.properties must be a map")
        for name, sub in props.items():
            validate_schema(sub, f"{path}.properties[{name}]")
        for name in schema.get("required") or []:
            if name not in props:
                raise ApiError(400, "INVALID_ARGUMENT",
                               f"* GenerateContentRequest.{path}.required[{name}]: property is not defined")
    if kind == "ARRAY":
        if "items" not in schema:
            raise ApiError(400, "INVALID_ARGUMENT", f"* GenerateContentRequest.{path}.items: missing field.")
        validate_schema(schema["items"], f"{path}.items")
    if "enum" in schema and not (isinstance(schema["enum"], list) and all(isinstance(v, str) for v in schema["enum"])):
        raise ApiError(400, "INVALID_ARGUMENT", f"{path}.enum must be a list of strings")


def count_enum_values(schema):
    if not isinstance(schema, dict):
        return 0
    total = len(schema.get("enum") or [])
    for sub in (schema.get("properties") or {}).values():
        total += count_enum_values(sub)
    if isinstance(schema.get("items"), dict):
        total += count_enum_values(schema["items"])
    return total


def inspect_image(raw, mime):
    """-> facts about the image (size, brightness, colours); raises 400 when it is not one."""
    digest = hashlib.sha256(raw).hexdigest()
    if Image is None:
        if not (raw.startswith(b"\xff\xd8\xff") or raw.startswith(b"\x89PNG") or raw[8:12] == b"WEBP"):
            raise ApiError(400, "INVALID_ARGUMENT", "Unable to process input image. Please retry or report in "
                           "https://developers.generativeai.google/guide/troubleshooting")
        return {"width": 0, "height": 0, "brightness": 0.5, "colors": ["gray"], "sha256": digest}
    try:
        with Image.open(io.BytesIO(raw)) as im:
            width, height = im.size
            if im.format == "JPEG":
                im.draft("RGB", (64, 64))
            small = im.convert("RGB").resize((12, 12))
    except Exception:
        raise ApiError(400, "INVALID_ARGUMENT", "Unable to process input image. Please retry or report in "
                       "https://developers.generativeai.google/guide/troubleshooting")
    # 144 sample pixels are plenty for brightness and the three dominant colour names, and keep
    # the emulator fast enough to stand in for the service at hundreds of requests a second.
    pixels = list(small.getdata())
    brightness = sum(0.299 * r + 0.587 * g + 0.114 * b for r, g, b in pixels) / (255.0 * len(pixels))
    counts = {}
    for rgb, n in collections.Counter(pixels).items():
        r, g, b = rgb
        name = min(COLOR_NAMES, key=lambda c: (c[1][0] - r) ** 2 + (c[1][1] - g) ** 2 + (c[1][2] - b) ** 2)[0]
        counts[name] = counts.get(name, 0) + n
    colors = [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    top = pixels[:12 * 3]
    sky = sum(1 for r, g, b in top if b > r and b > 100) / len(top)
    return {"width": width, "height": height, "brightness": brightness, "colors": colors,
            "sky": sky, "sha256": digest}


def image_tokens(width, height, family, media_resolution):
    """usageMetadata's image tokens by the documented 2.x rule: 258 when both sides are
    ≤ 384 px, else 258 per 768×768 tile (after the long side is scaled down to ≤ 3072)."""
    if media_resolution == "MEDIA_RESOLUTION_LOW":
        return 64 if family != "3" else 280
    if media_resolution == "MEDIA_RESOLUTION_MEDIUM":
        return 256 if family != "3" else 560
    if family == "3":
        return 1120
    if width <= 384 and height <= 384:
        return 258
    scale = min(1.0, 3072.0 / max(width, height))
    return 258 * math.ceil(width * scale / 768) * math.ceil(height * scale / 768)


def text_tokens(text):
    return max(1, math.ceil(len(text) / 4)) if text else 0


# ---------------------------------------------------------------- embeddings

PROJECTION_PER_BAND = 6  # entries of ±1/sqrt(k) per feature in each band of the projection
PROJECTION_SEED = 0x5EED_E3BE  # fixed: the same text gives the same vector in every run


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def projection_bands(dimensions):
    """[0, 32), [32, 64), [64, 128), … doubling up to `dimensions`: each feature has the same
    number of entries in every band, so the leading values carry more of the text than the
    trailing ones and a truncated vector still tells texts apart (as Matryoshka training does)."""
    bands, start, end = [], 0, min(32, dimensions)
    while start < dimensions:
        bands.append((start, end))
        start, end = end, min(end * 2, dimensions)
    return bands


@functools.lru_cache(maxsize=200_000)
def projection_row(feature, dimensions):
    """The projection's row for one hashed feature: PROJECTION_PER_BAND distinct positions per
    band with signs ±1/sqrt(k) (a very sparse random projection, Li et al. 2006), drawn from a
    generator seeded by the feature's hash, so no matrix is stored and every run draws the same."""
    rng = random.Random(fnv1a64(feature.encode()) ^ PROJECTION_SEED)
    bands = projection_bands(dimensions)
    scale = 1.0 / math.sqrt(PROJECTION_PER_BAND * len(bands))
    row = []
    for start, end in bands:
        for position in rng.sample(range(start, end), min(PROJECTION_PER_BAND, end - start)):
            row.append((position, scale if rng.random() < 0.5 else -scale))
    return tuple(row)


def embed_vector(text, task_type, full_dimensions, dimensions):
    """The emulator's embedding of `text` as {position: value} (the rest are zeros): lower-cased
    words weighted 1 + ln(tf) (plus a small feature for the task type, as real task types move
    vectors a little), projected to the model's full size, L2-normalised there, then cut to
    `dimensions` (not renormalised)."""
    counts = collections.Counter(re.findall(r"\w+", text.lower()))
    features = [(word, 1.0 + math.log(tf)) for word, tf in counts.items()] or [("\x00empty", 1.0)]
    features.append(("\x00task:" + task_type, 0.25))
    full = collections.defaultdict(float)
    for feature, weight in features:
        for position, sign in projection_row(feature, full_dimensions):
            full[position] += sign * weight
    norm = math.sqrt(sum(x * x for x in full.values())) or 1.0
    return {p: x / norm for p, x in full.items() if p < dimensions}, dimensions


def values_json(vector):
    """`{"values": [...]}` of an embed_vector result as JSON text, written directly (most values
    are zeros; json.dumps of thousands of floats per text would make the emulator the
    bottleneck of a throughput test)."""
    nonzero, dimensions = vector
    values = ["0.0"] * dimensions
    for position, value in nonzero.items():
        values[position] = f"{value:.9g}"
    return '{"values": [' + ", ".join(values) + "]}"


def parse_embed_request(request, model, info, where):
    """-> (text, task type, dimensions) of one EmbedContentRequest; raises 400 as the service."""
    if not isinstance(request, dict):
        raise ApiError(400, "INVALID_ARGUMENT", f"* {where}: must be an object")
    content = request.get("content")
    parts = content.get("parts") if isinstance(content, dict) else None
    if not isinstance(parts, list) or not parts:
        raise ApiError(400, "INVALID_ARGUMENT", f"* {where}.content.parts: contents.parts must not be empty.")
    texts = []
    for p, part in enumerate(parts):
        if not isinstance(part, dict) or not isinstance(part.get("text"), str):
            raise ApiError(400, "INVALID_ARGUMENT", f"* {where}.content.parts[{p}]: only text parts can be embedded here")
        texts.append(part["text"])
    task = pick(request, "taskType", "task_type") or "TASK_TYPE_UNSPECIFIED"
    if task not in EMBED_TASK_TYPES:
        raise ApiError(400, "INVALID_ARGUMENT",
                       f'Invalid value at \'{where}.task_type\' (type.googleapis.com/google.ai.generativelanguage.v1beta.TaskType), "{task}"')
    dimensions = pick(request, "outputDimensionality", "output_dimensionality")
    full = info["dimensions"]
    try:
        dimensions = full if dimensions is None else int(dimensions)
    except (TypeError, ValueError):
        raise ApiError(400, "INVALID_ARGUMENT", f"* {where}.output_dimensionality: not an integer")
    if not 1 <= dimensions <= full:
        raise ApiError(400, "INVALID_ARGUMENT",
                       f"* {where}.output_dimensionality: must be between 1 and {full} for models/{model}, got {dimensions}")
    return " ".join(texts), task, dimensions


# ---------------------------------------------------------------- answers


def schema_type(schema):
    """The upper-case type of a schema: Gemini's `STRING`, or JSON Schema's `"string"` or
    `["string", "null"]` (responseJsonSchema, as gateways such as LiteLLM send)."""
    kind = schema.get("type") or "STRING"
    if isinstance(kind, list):
        kind = next((t for t in kind if str(t).lower() != "null"), "STRING")
    return str(kind).upper()


def describe_value(schema, name, facts, depth=0):
    """A value that satisfies `schema`, derived from the image facts and the field name."""
    kind = schema_type(schema)
    enum = schema.get("enum")
    if enum:
        return enum[int(facts["sha256"][:8], 16) % len(enum)]
    if kind == "OBJECT":
        props = schema.get("properties") or {}
        order = pick(schema, "propertyOrdering", "property_ordering") or schema.get("required") or list(props)
        order = list(order) + [k for k in props if k not in order]
        return {key: describe_value(props[key], key, facts, depth + 1) for key in order}
    if kind == "ARRAY":
        limit = pick(schema, "maxItems", "max_items")
        count = 3 if limit is None else min(3, int(limit))
        count = max(count, int(pick(schema, "minItems", "min_items") or 0))
        items = schema.get("items") or {"type": "STRING"}
        if name in ("colors", "colours") and schema_type(items) == "STRING":
            return facts["colors"][:count]
        if name == "text" or name == "issues":
            return []
        return [describe_value(items, f"{name}#{i}", dict(facts, index=i, sha256=facts["sha256"][i + 1:] + "0"),
                               depth + 1) for i in range(count)]
    if kind in ("NUMBER", "INTEGER"):
        value = round(facts["brightness"] * 10, 2)
        return int(value) if kind == "INTEGER" else value
    if kind == "BOOLEAN":
        return facts["brightness"] > 0.5
    return describe_text(name, facts)


def describe_text(name, facts):
    light = "bright" if facts["brightness"] > 0.6 else ("dark" if facts["brightness"] < 0.35 else "softly lit")
    colors = ", ".join(facts["colors"])
    size = f"{facts['width']}x{facts['height']}"
    base = name.split("#")[0]
    if base in ("summary", "caption", "description"):
        return f"A {light} photograph dominated by {colors} ({size} pixels)"
    if base == "indoor_outdoor":
        return "outdoor" if facts.get("sky", 0) > 0.3 else "unknown"
    if base == "lighting":
        return light
    if base == "genre":
        return "photograph"
    if base == "aesthetic":
        return "good" if 0.3 < facts["brightness"] < 0.8 else "fair"
    if base == "name":
        return f"{facts['colors'][facts.get('index', 0) % len(facts['colors'])]} area"
    if base in ("shot", "fov", "lens"):
        return "unknown"
    if base == "attributes":
        return [light, facts["colors"][0], "smooth"][facts.get("index", 0) % 3]
    if base == "environment":
        return ["open space", "natural light", "wide view"][facts.get("index", 0) % 3]
    return f"{light} {facts['colors'][0]}"


def word_key(word):
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def categorize_answer(prompt, schema, fault):
    """Answers a categorisation batch by rules over the description text: the listed categories
    whose words all occur in it; "unknown" for an "unrecognizable" image; otherwise one or two
    categories picked from a hash of the text (the emulator cannot see meaning)."""
    start = prompt.index("Images (JSON):") + len("Images (JSON):")
    try:
        items = json.JSONDecoder().raw_decode(prompt[start:].lstrip())[0]
    except ValueError:
        raise ApiError(400, "INVALID_ARGUMENT", "the categorisation prompt carries no JSON list of images")
    allowed = None
    try:
        allowed = schema["items"]["properties"]["categories"]["items"].get("enum")
    except (KeyError, TypeError, AttributeError):
        pass
    if not allowed:
        match = re.search(r"Allowed categories: (.*)", prompt)
        allowed = re.findall(r'"([^"]+)"', match.group(1)) if match else ["unknown"]
    listed = [c for c in allowed if c != "unknown"] or ["unknown"]
    answer = []
    for item in items:
        text = str(item.get("description", ""))
        words = {word_key(w) for w in re.findall(r"[A-Za-z0-9]+", text)}
        hits = [c for c in listed if all(word_key(w) in words for w in re.findall(r"[A-Za-z0-9]+", c))]
        if "unrecognizable" in text.lower():
            chosen = ["unknown"]
        elif hits:
            chosen = hits[:2]
        else:
            h = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
            chosen = [listed[h % len(listed)]]
            if h % 3 == 0 and len(listed) > 1:
                second = listed[(h // 7) % len(listed)]
                if second != chosen[0]:
                    chosen.append(second)
        answer.append({"id": item.get("id"), "categories": chosen})
    if fault == "cat_drop_id" and answer:
        answer.pop()
    elif fault == "cat_dup_id" and answer:
        answer.append(dict(answer[0]))
    elif fault == "cat_unlisted" and answer:
        answer[0] = {"id": answer[0]["id"], "categories": ["spaceships"]}
    elif fault == "cat_case" and answer:
        answer[0] = {"id": answer[0]["id"], "categories": [c.upper() + "S" for c in answer[0]["categories"]]}
    return answer


def discover_answer(prompt):
    """A taxonomy of N names from the most frequent content words of the descriptions."""
    count = int(re.search(r"Propose a taxonomy of exactly (\d+)", prompt).group(1))
    start = prompt.index("Descriptions (JSON):") + len("Descriptions (JSON):")
    descriptions = json.JSONDecoder().raw_decode(prompt[start:].lstrip())[0]
    counter = collections.Counter()
    for text in descriptions:
        counter.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() not in STOPWORDS)
    names = [w for w, _ in counter.most_common(count)]
    return names + [f"other {i}" for i in range(1, count - len(names) + 1)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gemini-emulator/1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK would add ~40 ms to every answer.
    disable_nagle_algorithm = True
    state: State = None  # set by main

    def log_message(self, fmt, *args):  # quiet: tests read stdout for the URL only
        pass

    # -- plumbing

    def send_json(self, status, body, extra_headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def send_json_bytes(self, data, cut=False):
        """A 200 with JSON already serialised; `cut` sends only its first half (the malformed fault)."""
        if cut:
            data = data[: max(1, len(data) // 2)]
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_error_envelope(self, error, wrap_in_array=False):
        self.state.count("errors", str(error.code))
        body = [error.body()] if wrap_in_array else error.body()
        self.send_json(error.code, body)

    def drop(self):
        """Close the connection without an answer (a reset, as a flaky proxy does)."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True

    def check_key(self, query):
        key = self.headers.get("x-goog-api-key") or (query.get("key") or [None])[0]
        if not key:
            raise ApiError(403, "PERMISSION_DENIED",
                           "Method doesn't allow unregistered callers (callers without established identity). "
                           "Please use API Key or other form of API consumer identity to call this API.")
        if key != self.state.api_key:
            raise ApiError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
                {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                 "domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}}])

    def model_or_404(self, model, version, method="generateContent"):
        """The model's facts; 404 for an unknown or retired model, or one that does not support
        `method` (None: any). Embedding models only embed; the others only generate."""
        table = EMBED_MODELS if method in ("embedContent", "batchEmbedContents", "asyncBatchEmbedContent") else \
            MODELS if method else dict(MODELS, **EMBED_MODELS)
        if model not in table:
            raise ApiError(404, "NOT_FOUND",
                           f"models/{model} is not found for API version {version}, or is not supported for "
                           f"{method or 'this method'}. Call ListModels to see the list of available models and their "
                           "supported methods.")
        return table[model]

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # -- routes

    def do_GET(self):
        self.state.count("requests")
        url = urlsplit(self.path)
        if openai_face.handles(self, "GET", url, b""):
            return
        if url.path == "/emulator/stats":
            with self.state.lock:
                return self.send_json(200, self.state.stats)
        if re.fullmatch(r"(/download)?/(v1beta|v1)/(batches|files)(/.*)?", url.path):
            try:
                self.check_key(parse_qs(url.query))
                return self.batch_get(url)
            except ApiError as error:
                return self.send_error_envelope(error)
        match = re.fullmatch(r"/(v1beta|v1|v1alpha)/models(?:/([^/:]+))?", url.path)
        try:
            if not match:
                raise ApiError(404, "NOT_FOUND", f"The requested URL {url.path} was not found on this server.")
            self.check_key(parse_qs(url.query))
            version, model = match.groups()
            if self.state.models_404:
                raise ApiError(404, "NOT_FOUND", f"The requested URL {url.path} was not found on this server.")
            if model:
                info = self.model_or_404(model, version, None)
                return self.send_json(200, model_resource(model, info))
            return self.send_json(200, {"models": [model_resource(m, i) for m, i in dict(MODELS, **EMBED_MODELS).items()]})
        except ApiError as error:
            self.send_error_envelope(error)

    def do_POST(self):
        self.started = time.monotonic()
        self.state.count("requests")
        url = urlsplit(self.path)
        body = self.read_body()
        if url.path == "/emulator/config":
            self.state.configure(json.loads(body or b"{}"))
            return self.send_json(200, {"ok": True})
        if openai_face.handles(self, "POST", url, body):
            return
        try:
            if re.fullmatch(r"/upload/(v1beta|v1)/files", url.path):
                return self.upload(url, body)
            batch = re.fullmatch(r"/(?:v1beta|v1)/models/([^/:]+):(batchGenerateContent|asyncBatchEmbedContent)", url.path)
            if batch:
                self.check_key(parse_qs(url.query))
                return self.create_batch(batch.group(1), body, batch.group(2))
            action = re.fullmatch(r"/(?:v1beta|v1)/batches/(\d+):(cancel|delete)", url.path)
            if action:
                self.check_key(parse_qs(url.query))
                return self.batch_action(int(action.group(1)), action.group(2))
        except ApiError as error:
            return self.send_error_envelope(error)
        match = re.fullmatch(r"/(v1beta|v1|v1alpha)/models/([^/:]+):(generateContent|countTokens|embedContent|batchEmbedContents)",
                             url.path)
        try:
            if not match:
                raise ApiError(404, "NOT_FOUND", f"The requested URL {url.path} was not found on this server.")
            version, model, method = match.groups()
            self.check_key(parse_qs(url.query))
            info = self.model_or_404(model, version, method if "mbed" in method else "generateContent")
            try:
                request = json.loads(body)
            except ValueError:
                raise ApiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unexpected token.")
            if not isinstance(request, dict):
                raise ApiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Expected an object.")
            if method in ("embedContent", "batchEmbedContents"):
                return self.embed(request, model, info, method)
            if method == "countTokens":
                parsed = self.parse_generate_request(request.get("generateContentRequest") or request, info)
                return self.send_json(200, {"totalTokens": parsed["prompt_tokens"]})
            self.generate(request, model, info)
        except ApiError as error:
            self.send_error_envelope(error)

    def do_DELETE(self):
        self.state.count("requests")
        url = urlsplit(self.path)
        match = re.fullmatch(r"/(?:v1beta|v1)/(batches|files)/([\w-]+)", url.path)
        try:
            if not match:
                raise ApiError(404, "NOT_FOUND", f"The requested URL {url.path} was not found on this server.")
            self.check_key(parse_qs(url.query))
            if match.group(1) == "batches":
                return self.batch_action(int(match.group(2)) if match.group(2).isdigit() else -1, "delete")
            with self.state.lock:
                if self.state.files.pop(f"files/{match.group(2)}", None) is None:
                    raise ApiError(404, "NOT_FOUND", f"File files/{match.group(2)} not found.")
            self.send_json(200, {})
        except ApiError as error:
            self.send_error_envelope(error)

    # -- Files API (resumable upload) and Batch Mode

    def upload(self, url, body):
        """Resumable upload: `start` opens a session (its URL in X-Goog-Upload-URL); `upload` and
        `upload, finalize` send bytes at X-Goog-Upload-Offset."""
        state = self.state
        command = (self.headers.get("X-Goog-Upload-Command") or "").replace(" ", "")
        query = parse_qs(url.query)
        if command == "start":
            self.check_key(query)
            if self.headers.get("X-Goog-Upload-Protocol") != "resumable":
                raise ApiError(400, "INVALID_ARGUMENT", "Only the resumable upload protocol is supported here.")
            try:
                declared = int(self.headers.get("X-Goog-Upload-Header-Content-Length") or -1)
                meta = json.loads(body or b"{}").get("file") or {}
            except ValueError:
                raise ApiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
            upload_id = hashlib.sha1(f"{time.time()}{random.random()}".encode()).hexdigest()[:24]
            with state.lock:
                state.uploads[upload_id] = {"data": bytearray(), "declared": declared,
                                            "mime": self.headers.get("X-Goog-Upload-Header-Content-Type") or "application/octet-stream",
                                            "display": pick(meta, "displayName", "display_name") or ""}
            # The session URL names the host the client called, as the real service does.
            host = "http://" + (self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}")
            self.send_response(200)
            self.send_header("X-Goog-Upload-URL", f"{host}{url.path}?upload_id={upload_id}&upload_protocol=resumable")
            self.send_header("X-Goog-Upload-Status", "active")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        upload_id = (query.get("upload_id") or [""])[0]
        with state.lock:
            session = state.uploads.get(upload_id)
            if session is None:
                raise ApiError(404, "NOT_FOUND", "No such upload session.")
            offset = int(self.headers.get("X-Goog-Upload-Offset") or -1)
            if command not in ("upload", "upload,finalize") or offset != len(session["data"]):
                raise ApiError(400, "INVALID_ARGUMENT",
                               f"Upload offset {offset} does not match the {len(session['data'])} bytes received so far.")
            session["data"] += body
            if command == "upload":
                self.send_response(200)
                self.send_header("X-Goog-Upload-Status", "active")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            del state.uploads[upload_id]
            if session["declared"] >= 0 and session["declared"] != len(session["data"]):
                raise ApiError(400, "INVALID_ARGUMENT", "The uploaded size does not match X-Goog-Upload-Header-Content-Length.")
            name = f"files/{upload_id[:12]}"
            resource = {"name": name, "displayName": session["display"], "mimeType": session["mime"],
                        "sizeBytes": str(len(session["data"])), "createTime": now_rfc3339(), "updateTime": now_rfc3339(),
                        "sha256Hash": base64.b64encode(hashlib.sha256(session["data"]).digest()).decode(),
                        "uri": f"https://generativelanguage.googleapis.com/v1beta/{name}", "state": "ACTIVE",
                        "source": "UPLOADED"}
            state.files[name] = {"meta": resource, "data": bytes(session["data"])}
            state.stats["files_uploaded"] += 1
        self.send_json(200, {"file": resource}, {"X-Goog-Upload-Status": "final"})

    def create_batch(self, model, body, method="batchGenerateContent"):
        """A batch job: generateContent requests (batchGenerateContent) or EmbedContentRequests
        (asyncBatchEmbedContent), inline or in an uploaded JSONL file."""
        state = self.state
        embeds = method == "asyncBatchEmbedContent"
        info = self.model_or_404(model, "v1beta", method if embeds else "generateContent")
        try:
            batch = (json.loads(body) or {}).get("batch") or {}
        except ValueError:
            raise ApiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        config = pick(batch, "inputConfig", "input_config") or {}
        file_name = pick(config, "fileName", "file_name")
        lines = []
        if file_name:
            with state.lock:
                stored = state.files.get(file_name)
            if stored is None:
                raise ApiError(404, "NOT_FOUND", f"File {file_name} not found.")
            for number, raw in enumerate(stored["data"].splitlines(), 1):
                if not raw.strip():
                    continue
                try:
                    line = json.loads(raw)
                    lines.append((line.get("key"), line["request"], None))
                except (ValueError, KeyError, AttributeError):
                    lines.append((None, None, f"line {number} is not a JSON object with key and request"))
        else:
            if len(body) > INLINE_CREATE_LIMIT:
                raise ApiError(400, "INVALID_ARGUMENT",
                               f"Request payload size exceeds the limit: {INLINE_CREATE_LIMIT} bytes. Upload larger inputs "
                               "as a JSONL file with the File API.")
            requests = ((config.get("requests") or {}).get("requests")) or []
            if not requests:
                raise ApiError(400, "INVALID_ARGUMENT", "* BatchGenerateContentRequest.batch.input_config: input is not specified")
            for item in requests:
                lines.append(((item.get("metadata") or {}).get("key"), item.get("request"), None))
        with state.lock:
            number = 1000 + len(state.batches) + 1
            job = BatchJob(number, model, batch.get("displayName") or batch.get("display_name") or "", lines,
                           bool(file_name), state.batch_outcome)
            job.info = info
            job.embeds = embeds
            state.batches[number] = job
            state.stats["batches_created"] += 1
            if not file_name:
                state.stats["batches_inline"] += 1
            operation = job.operation()
            stall = state.batch_create_stall_ms if state.batch_create_stall_skip <= 0 else 0
            state.batch_create_stall_skip -= 1
        time.sleep(stall / 1000)  # the job exists and is counted; its answer is not sent yet
        self.send_json(200, operation)

    def advance(self, job):
        """Moves a job along with time: PENDING, RUNNING after half of batch_seconds, then its
        outcome (normally SUCCEEDED, with every line answered) after batch_seconds."""
        state = self.state
        if job.state in TERMINAL:
            return
        elapsed = time.monotonic() - job.created
        if elapsed < state.batch_seconds / 2:
            return
        job.state = "RUNNING"
        if elapsed < state.batch_seconds:
            return
        if job.outcome in ("FAILED", "EXPIRED", "CANCELLED"):
            job.state = job.outcome
            return
        results = []
        for key, request, problem in job.lines:
            fault = state.pick_fault()
            if fault:
                state.count("faults", fault)
            try:
                if problem:
                    raise ApiError(400, "INVALID_ARGUMENT", problem)
                if not isinstance(request, dict):
                    raise ApiError(400, "INVALID_ARGUMENT", "request is not an object")
                if job.embeds:
                    text, task, dimensions = parse_embed_request(request, job.model, job.info, "EmbedContentRequest")
                else:
                    parsed = self.parse_generate_request(request, job.info)
                if fault in CALL_FAULTS:
                    code, status = CALL_FAULTS[fault] or (13, "INTERNAL")
                    raise ApiError(500, status, "An internal error has occurred while processing this request.", grpc=code)
                if job.embeds:
                    values = json.loads(values_json(embed_vector(text, task, job.info["dimensions"], dimensions)))
                    results.append((key, {"response": {"embedding": values, "tokenCount": text_tokens(text), "emulator": True}}))
                else:
                    results.append((key, {"response": build_answer(state, parsed, job.model, job.info, fault)}))
                job.succeeded += 1
            except ApiError as error:
                code = error.grpc or GRPC_CODES.get(error.code, (13, "INTERNAL"))[0]
                results.append((key, {"error": {"code": code, "message": error.message, "status": error.status}}))
                job.failed += 1
            state.count("batch_lines")
        if job.from_file:
            state.random.shuffle(results)  # clients must match a file's lines by key, not by order
        job.results = results  # inline results come back in request order (gemini-api.md §4.4)
        if job.from_file:
            data = "".join(json.dumps(dict({"key": key}, **result)) + "\n" for key, result in results).encode()
            name = f"files/batch-{job.number}"
            with state.lock:
                state.files[name] = {"data": data, "meta": {
                    "name": name, "mimeType": "application/jsonl", "sizeBytes": str(len(data)),
                    "createTime": now_rfc3339(), "state": "ACTIVE", "source": "GENERATED"}}
        job.state = "SUCCEEDED"

    def batch_get(self, url):
        state = self.state
        path = url.path
        download = re.fullmatch(r"(?:/download)?/(?:v1beta|v1)/(files/[\w-]+):download", path)
        if download:
            if (parse_qs(url.query).get("alt") or [""])[0] != "media":
                raise ApiError(400, "INVALID_ARGUMENT", "Downloads need alt=media.")
            with state.lock:
                stored = state.files.get(download.group(1))
                if stored is None or stored["meta"].get("source") != "GENERATED":
                    raise ApiError(404 if stored is None else 400, "NOT_FOUND" if stored is None else "INVALID_ARGUMENT",
                                   f"{download.group(1)} cannot be downloaded (only generated files can).")
                state.stats["downloads"] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(stored["data"])))
            self.end_headers()
            self.wfile.write(stored["data"])
            return
        file_match = re.fullmatch(r"/(?:v1beta|v1)/(files/[\w-]+)", path)
        if file_match:
            with state.lock:
                stored = state.files.get(file_match.group(1))
            if stored is None:
                raise ApiError(404, "NOT_FOUND", f"File {file_match.group(1)} not found.")
            return self.send_json(200, stored["meta"])
        job_match = re.fullmatch(r"/(?:v1beta|v1)/batches/(\d+)", path)
        if job_match:
            with state.lock:
                job = state.batches.get(int(job_match.group(1)))
                state.stats["batch_polls"] += 1
            if job is None:
                raise ApiError(404, "NOT_FOUND", f"Batch batches/{job_match.group(1)} not found.")
            with job_lock:
                self.advance(job)
                operation = job.operation()
            return self.send_json(200, operation)
        if re.fullmatch(r"/(v1beta|v1)/batches", path):
            if state.batch_list_404:
                raise ApiError(404, "NOT_FOUND", f"The requested URL {path} was not found on this server.")
            query = parse_qs(url.query)
            try:
                size = int((query.get("pageSize") or ["10"])[0])
                start = int((query.get("pageToken") or ["0"])[0] or 0)
            except ValueError:
                raise ApiError(400, "INVALID_ARGUMENT", "Invalid pageSize or pageToken.")
            with state.lock:
                size = min(size if size > 0 else 10, state.batch_page_max)
                jobs = sorted(state.batches.values(), key=lambda job: -job.number)  # newest first
                state.stats["batch_lists"] += 1
            page = jobs[start:start + size]
            with job_lock:
                for job in page:
                    self.advance(job)
                answer = {"operations": [job.operation() for job in page]}
            if start + size < len(jobs):
                answer["nextPageToken"] = str(start + size)
            return self.send_json(200, answer)
        raise ApiError(404, "NOT_FOUND", f"The requested URL {path} was not found on this server.")

    def batch_action(self, number, action):
        with self.state.lock:
            job = self.state.batches.get(number)
            if job is None:
                raise ApiError(404, "NOT_FOUND", f"Batch batches/{number} not found.")
            if action == "delete":
                del self.state.batches[number]
                return self.send_json(200, {})
            if job.state not in TERMINAL:
                job.state = "CANCELLED"
                self.state.stats["batches_cancelled"] += 1
        self.send_json(200, {})

    def parse_generate_request(self, request, info):
        contents = request.get("contents")
        if not isinstance(contents, list) or not contents:
            raise ApiError(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified")
        config = pick(request, "generationConfig", "generation_config") or {}
        media = pick(config, "mediaResolution", "media_resolution")
        texts, images = [], []
        for c, content in enumerate(contents):
            parts = content.get("parts") if isinstance(content, dict) else None
            if not isinstance(parts, list) or not parts:
                raise ApiError(400, "INVALID_ARGUMENT", f"* GenerateContentRequest.contents[{c}].parts: contents.parts must not be empty.")
            for p, part in enumerate(parts):
                fields = [k for k in part if k not in ("thought", "thoughtSignature", "thought_signature",
                                                       "mediaResolution", "media_resolution")]
                if len(fields) != 1:
                    raise ApiError(400, "INVALID_ARGUMENT",
                                   f"* GenerateContentRequest.contents[{c}].parts[{p}].data: required oneof field 'data' must have one initialized field")
                inline = pick(part, "inlineData", "inline_data")
                if "text" in part:
                    texts.append(str(part["text"]))
                elif inline is not None:
                    mime = pick(inline, "mimeType", "mime_type")
                    if mime not in IMAGE_MIME:
                        raise ApiError(400, "INVALID_ARGUMENT", f"Unsupported MIME type: {mime}")
                    try:
                        raw = decode_bytes_field(pick(inline, "data") or "")
                    except (ValueError, TypeError):
                        raise ApiError(400, "INVALID_ARGUMENT",
                                       f"Invalid value at 'contents[{c}].parts[{p}].inline_data.data' (TYPE_BYTES), Base64 decoding failed")
                    if len(raw) > 20 * 1024 * 1024:
                        raise ApiError(400, "INVALID_ARGUMENT", "Request payload size exceeds the limit: 20971520 bytes.")
                    images.append(inspect_image(raw, mime))
                else:
                    raise ApiError(400, "INVALID_ARGUMENT", f"Unsupported part field {fields[0]!r} in this emulator")
        system = pick(request, "systemInstruction", "system_instruction")
        if isinstance(system, dict):
            texts += [str(p.get("text", "")) for p in system.get("parts") or []]
        schema = pick(config, "responseSchema", "response_schema")
        json_schema = pick(config, "responseJsonSchema", "response_json_schema")
        mime = pick(config, "responseMimeType", "response_mime_type")
        if schema is not None and json_schema is not None:
            raise ApiError(400, "INVALID_ARGUMENT", "responseSchema and responseJsonSchema cannot both be set.")
        if schema is not None:
            if mime not in ("application/json", "text/x.enum"):
                raise ApiError(400, "INVALID_ARGUMENT",
                               "* GenerateContentRequest.generation_config.response_mime_type: when response_schema "
                               "is set, response_mime_type must be application/json or text/x.enum")
            validate_schema(schema, "generation_config.response_schema")
            limit = self.state.max_enum_values
            if limit and count_enum_values(schema) > limit:
                raise ApiError(400, "INVALID_ARGUMENT",
                               "The specified schema produces a constraint that has too many states for serving. "
                               "Typical causes of this error are schemas with lots of text (for example, very long "
                               "property or enum names), schemas with long array length limits (especially when "
                               "nested), or schemas using complex value matchers (for example, integers or numbers "
                               "with minimum/maximum bounds or strings with complex formats like date-time)")
        thinking = pick(config, "thinkingConfig", "thinking_config") or {}
        if "thinkingBudget" in thinking and "thinkingLevel" in thinking:
            raise ApiError(400, "INVALID_ARGUMENT", "thinking_budget and thinking_level cannot both be set.")
        image_tok = sum(image_tokens(i["width"], i["height"], info["family"], media) for i in images)
        text_tok = sum(text_tokens(t) for t in texts)
        return {"texts": texts, "images": images, "schema": schema or json_schema, "mime": mime,
                "config": config, "image_tokens": image_tok, "text_tokens": text_tok,
                "prompt_tokens": image_tok + text_tok}

    def generate(self, request, model, info):
        state = self.state
        with state.lock:
            state.in_flight += 1
            state.stats["max_in_flight"] = max(state.stats["max_in_flight"], state.in_flight)
        try:
            self.answer_generate(request, model, info)
        finally:
            with state.lock:
                state.in_flight -= 1

    def answer_generate(self, request, model, info):
        state = self.state
        state.count("generate_content")
        fault = self.headers.get("x-emulator-fault") or state.pick_fault()
        if fault:
            state.count("faults", fault)
        # Requests are checked and counted on arrival (as the service does); the answer is sent
        # when `latency_ms` has passed since arrival, the emulator's own work included.
        parsed = self.parse_generate_request(request, info)
        rejected = None if fault else state.admit()
        if self.wait_then_call_fault(fault):
            return
        if rejected:
            return self.send_error_envelope(rejected)
        body = build_answer(state, parsed, model, info, fault)
        state.count("ok")
        self.send_json(200, body)

    def wait_then_call_fault(self, fault):
        """Waits out the latency (and a `slow` fault), then answers a call fault — 429 with
        RetryInfo, 5xx, a proxy's HTML, a dropped connection — as every call gets it; returns
        whether it answered."""
        state = self.state
        if state.latency_ms:
            time.sleep(max(0.0, state.latency_ms / 1000.0 - (time.monotonic() - self.started)))
        if fault == "slow":
            time.sleep(state.slow_ms / 1000.0)
        if fault == "drop":
            self.drop()
            return True
        if fault in ("429", "429_daily"):
            error = quota_error("GenerateRequestsPerDayPerProjectPerModel-FreeTier", 1000, None) if fault == "429_daily" \
                else quota_error("GenerateRequestsPerMinutePerProjectPerModel", state.rpm or 15, state.retry_delay)
            self.send_error_envelope(error)
            return True
        if fault == "500":
            self.send_error_envelope(ApiError(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"))
            return True
        if fault == "error_array":
            self.send_error_envelope(ApiError(500, "INTERNAL", "An internal error has occurred."), wrap_in_array=True)
            return True
        if fault == "503":
            self.send_error_envelope(ApiError(503, "UNAVAILABLE", "The model is overloaded. Please try again later."))
            return True
        if fault == "504":
            self.send_error_envelope(ApiError(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."))
            return True
        if fault == "502_html":
            self.send_bad_gateway_page()
            return True
        return False

    def send_bad_gateway_page(self):
        """A front-end proxy's HTML 502 (not JSON), as both faces answer the 502_html fault."""
        data = b"<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def embed(self, request, model, info, method):
        """embedContent (one request) or batchEmbedContents (up to 100, each naming the URL's
        model), with the same latency, RPM limit and faults as generateContent."""
        state = self.state
        with state.lock:
            state.stats["embed_calls"] += 1
            state.in_flight += 1
            state.stats["max_in_flight"] = max(state.stats["max_in_flight"], state.in_flight)
        try:
            fault = self.headers.get("x-emulator-fault") or state.pick_fault()
            if fault:
                state.count("faults", fault)
            if method == "embedContent":
                items = [parse_embed_request(request, model, info, "EmbedContentRequest")]
            else:
                items = self.parse_batch_embed(request, model, info)
            rejected = None if fault else state.admit()
            if self.wait_then_call_fault(fault):
                return
            if rejected:
                return self.send_error_envelope(rejected)
            vectors = [values_json(embed_vector(text, task, info["dimensions"], dimensions)) for text, task, dimensions in items]
            with state.lock:
                state.stats["embed_ok"] += 1
                state.stats["embed_texts"] += len(items)
                state.stats["embed_largest_call"] = max(state.stats["embed_largest_call"], len(items))
                for _, task, dimensions in items:
                    for key, value in (("embed_task_types", task), ("embed_dimensions", str(dimensions))):
                        state.stats[key][value] = state.stats[key].get(value, 0) + 1
            if fault == "empty" and method != "embedContent":
                vectors = vectors[:-1]
            # "emulator": true marks the answer as made here, as generateContent's are.
            data = ('{"embedding": ' + vectors[0] + ', "emulator": true}' if method == "embedContent"
                    else '{"embeddings": [' + ", ".join(vectors) + '], "emulator": true}').encode()
            self.send_json_bytes(data, cut=fault == "malformed")
        finally:
            with state.lock:
                state.in_flight -= 1

    def parse_batch_embed(self, request, model, info):
        requests = request.get("requests")
        if not isinstance(requests, list) or not requests:
            raise ApiError(400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests: requests must not be empty")
        if len(requests) > EMBED_BATCH_LIMIT:
            raise ApiError(400, "INVALID_ARGUMENT",
                           f"* BatchEmbedContentsRequest.requests: at most {EMBED_BATCH_LIMIT} requests can be in one batch, got {len(requests)}")
        items = []
        for i, item in enumerate(requests):
            where = f"BatchEmbedContentsRequest.requests[{i}]"
            named = item.get("model") if isinstance(item, dict) else None
            if named != f"models/{model}":
                raise ApiError(400, "INVALID_ARGUMENT",
                               f"* {where}.model: the model of each request ({named!r}) must match the model of the "
                               f"batch request, models/{model}")
            items.append(parse_embed_request(item, model, info, where))
        return items


def build_answer(state, parsed, model, info, fault):
    """The GenerateContentResponse for a checked request, with a content fault applied."""
    if parsed["images"]:
        state.count("images")
    facts = parsed["images"][0] if parsed["images"] else {
        "width": 0, "height": 0, "brightness": 0.5, "colors": ["gray"], "sky": 0,
        "sha256": hashlib.sha256("\n".join(parsed["texts"]).encode()).hexdigest()}
    schema = parsed["schema"]
    prompt = "\n".join(parsed["texts"])
    special = categorize_answer(prompt, schema, fault) if "Images (JSON):" in prompt else None
    if special is None and "Propose a taxonomy of exactly" in prompt:
        special = discover_answer(prompt)
    if special is not None:
        answer = json.dumps(special)
    elif schema is not None and parsed["mime"] == "text/x.enum":
        answer = describe_value(schema, "label", facts)
    elif schema is not None:
        answer = json.dumps(describe_value(schema, "root", facts))
    elif parsed["mime"] == "application/json":
        answer = json.dumps({"summary": describe_text("summary", facts)})
    else:
        answer = describe_text("summary", facts)
    finish = "STOP"
    candidates = None
    prompt_feedback = None
    if fault == "malformed":
        answer = answer[: max(1, len(answer) // 2)]
    elif fault == "trailing":
        answer = answer + '\n{"summary": "'
    elif fault == "max_tokens":
        answer, finish = answer[: max(1, len(answer) // 3)], "MAX_TOKENS"
    elif fault == "max_tokens_empty":
        candidates = [{"finishReason": "MAX_TOKENS", "index": 0}]
    elif fault == "safety":
        candidates = [{"finishReason": "SAFETY", "index": 0, "safetyRatings": [
            {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True}]}]
    elif fault == "blocked":
        candidates, prompt_feedback = [], {"blockReason": "SAFETY", "safetyRatings": []}
    elif fault == "empty":
        candidates = []
    max_output = pick(parsed["config"], "maxOutputTokens", "max_output_tokens")
    output_tokens = text_tokens(answer)
    if candidates is None and max_output is not None and output_tokens > int(max_output):
        keep = int(max_output) * 4
        answer, finish, output_tokens = answer[:keep], "MAX_TOKENS", int(max_output)
    if candidates is None:
        candidates = [{"content": {"role": "model", "parts": [{"text": answer}]}, "finishReason": finish, "index": 0}]
    usage = {"promptTokenCount": parsed["prompt_tokens"],
             "candidatesTokenCount": output_tokens if candidates and "content" in candidates[0] else 0,
             "totalTokenCount": 0,
             "promptTokensDetails": [{"modality": "TEXT", "tokenCount": parsed["text_tokens"]}]}
    if parsed["images"]:
        usage["promptTokensDetails"].append({"modality": "IMAGE", "tokenCount": parsed["image_tokens"]})
    thinking = pick(parsed["config"], "thinkingConfig", "thinking_config") or {}
    if info["thinking"] and thinking.get("thinkingBudget", thinking.get("thinking_budget")) != 0:
        usage["thoughtsTokenCount"] = 64
    usage["totalTokenCount"] = usage["promptTokenCount"] + usage["candidatesTokenCount"] + usage.get("thoughtsTokenCount", 0)
    # "emulator": true marks every answer as made here, so no chart or table made from it can
    # pass for model output (the tools copy it into the records as "emulated": true).
    body = {"candidates": candidates, "usageMetadata": usage, "modelVersion": model,
            "responseId": hashlib.sha1(f"{time.time()}{facts['sha256']}".encode()).hexdigest()[:22],
            "emulator": True}
    if prompt_feedback:
        body["promptFeedback"] = prompt_feedback
    return body


def model_resource(model, info):
    if model in EMBED_MODELS:
        return {"name": f"models/{model}", "version": "001", "displayName": model,
                "inputTokenLimit": info["input"], "outputTokenLimit": 1,
                "supportedGenerationMethods": ["embedContent", "batchEmbedContents", "asyncBatchEmbedContent", "countTokens"]}
    return {"name": f"models/{model}", "version": "001", "displayName": model,
            "inputTokenLimit": info["input"], "outputTokenLimit": info["output"],
            "supportedGenerationMethods": ["generateContent", "countTokens", "batchGenerateContent"],
            "thinking": info["thinking"]}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    ap.add_argument("--api-key", default="emulator-key", help="the one key accepted")
    ap.add_argument("--latency-ms", type=float, default=0, help="delay before each generateContent answer")
    ap.add_argument("--slow-ms", type=float, default=5000, help="extra delay of the 'slow' fault")
    ap.add_argument("--rpm", type=int, default=0, help="requests per minute before 429 (0: no limit)")
    ap.add_argument("--rpd", type=int, default=0, help="requests per day before a per-day 429 (0: no limit)")
    ap.add_argument("--retry-delay", type=float, default=1.0, help="RetryInfo delay of injected 429s, seconds")
    ap.add_argument("--max-enum-values", type=int, default=0,
                    help="reject response schemas with more enum values than this (0: no limit)")
    ap.add_argument("--faults", default="", help="NAME=PROBABILITY,... injected at random")
    ap.add_argument("--batch-seconds", type=float, default=2.0,
                    help="a batch job is PENDING, then RUNNING, and done after this many seconds")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--models-404", action="store_true",
                    help="answer 404 on GET models and models/NAME (a gateway that serves generateContent only)")
    ap.add_argument("--openai-no-key", action="store_true",
                    help="the OpenAI face takes requests without a key (as a local server does)")
    args = ap.parse_args()
    openai_face.bind(sys.modules[__name__])
    sys.setswitchinterval(0.001)  # many sleeping threads wake on time; hand the GIL over quickly
    # Some launchers start children with every signal blocked; SIGTERM must stop this server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    Handler.state = State(args)
    server = Server(("127.0.0.1", args.port), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
