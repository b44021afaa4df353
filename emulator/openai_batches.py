"""openai_batches.py — the OpenAI face's Batch API, served by gemini_emulator.py in the same
process: POST /v1/files (multipart/form-data, purpose=batch, a JSONL file of
{"custom_id", "method": "POST", "url": "/v1/chat/completions" | "/v1/embeddings", "body"} lines),
GET /v1/files/ID, GET /v1/files/ID/content, POST /v1/batches (input_file_id, endpoint,
completion_window "24h", metadata), GET /v1/batches/ID, GET /v1/batches?limit=&after= (newest
first, has_more, first_id, last_id) and POST /v1/batches/ID/cancel. Written from OpenAI's API
reference (the Batch and Files objects), independently of the Swift client.

A batch is validating, then in_progress after a quarter of --batch-seconds, finalizing once its
lines are answered (after --batch-seconds), and completed at the next look: output_file_id holds
the lines that got a 2xx, error_file_id the others, each {"id", "custom_id", "response":
{"status_code", "request_id", "body"}, "error": null}, shuffled (clients match by custom_id).
A line is answered by the very code of the online face (openai_face.chat_answer and
embeddings_answer: the same answers, the same json_schema checks, 400s in OpenAI's words); the
fault switches apply per line (429, 5xx... become a line with that status; schema_drift,
max_tokens, safety... change the answer as online). A file that breaks the rules (a line that is
not JSON, no custom_id or a repeated one, another url than the endpoint, more than one model)
makes the batch `failed` with `errors`. Config: batch_outcome FAILED|EXPIRED|CANCELLED (as for
the Gemini face; an expired or cancelled batch keeps the answers of its first half of lines, the
rest are error lines with `"error": {"code": "batch_expired" | "batch_cancelled"}`), batch_create_stall_ms/_skip (the create is counted, its answer held),
openai_batch_create_429 = N (the next N creates answer 429, as OpenAI's enqueued-token limit
does) and openai_batches = false (every route here answers 404, as a server without the Batch
API). Counters: files_uploaded, batches_created, batch_polls, batch_lists, batch_lines,
downloads (shared with the Gemini face's Batch Mode).

A request with x-goog-api-key or ?key= is the Gemini face's (it has GET /v1/batches too).
"""
import hashlib
import json
import re
import threading
import time

import openai_face as face

ENDPOINTS = ("/v1/chat/completions", "/v1/embeddings")
FILE_PURPOSES = ("batch", "assistants", "fine-tune", "vision", "user_data", "evals")
MAX_FILE_BYTES = 200 * 1024 * 1024  # the Batch API's input file limit
MAX_LINES = 50_000
lock = threading.Lock()  # one batch advances at a time (its lines are answered once)


def route(method, path):
    """-> (name, id) of the route this face serves, or None."""
    for verb, pattern, name in (("POST", r"/v1/files", "upload"), ("GET", r"/v1/files/([\w-]+)", "file"),
                                ("GET", r"/v1/files/([\w-]+)/content", "content"), ("POST", r"/v1/batches", "create"),
                                ("GET", r"/v1/batches", "list"), ("GET", r"/v1/batches/([\w-]+)", "batch"),
                                ("POST", r"/v1/batches/([\w-]+)/cancel", "cancel")):
        match = re.fullmatch(pattern, path)
        if verb == method and match:
            return name, (match.group(1) if match.groups() else None)
    return None


def handles(handler, method, url, body):
    """Answers the request when it is for this face's Batch API; returns whether it did."""
    found = route(method, url.path)
    if not found or handler.headers.get("x-goog-api-key") or "key=" in (url.query or ""):
        return False
    name, ident = found
    state = handler.state
    face.count(state, "openai_requests")
    try:
        face.check_key(handler)
        if not state.openai_batches:
            raise face.OpenAIError(404, f"Invalid URL ({method} {url.path})", code="unknown_url")
        if name == "upload":
            upload(handler, body)
        elif name == "file":
            handler.send_json(200, stored_file(state, ident)["meta"])
        elif name == "content":
            content(handler, ident)
        elif name == "create":
            create(handler, body)
        elif name == "list":
            listing(handler, url)
        elif name == "batch":
            with state.lock:
                state.stats["batch_polls"] += 1
            handler.send_json(200, batch_object(state, find(state, ident)))
        else:
            cancel(handler, ident)
    except face.OpenAIError as error:
        face.send_error(handler, error)
    return True


# ---------------------------------------------------------------- files


def multipart(content_type, body):
    """{field name: (filename or None, bytes)} of a multipart/form-data body."""
    match = re.search(r'boundary="?([^";]+)"?', content_type or "")
    if not content_type.startswith("multipart/form-data") or not match:
        raise face.OpenAIError(400, "Files are uploaded as multipart/form-data.")
    fields = {}
    for chunk in body.split(b"--" + match.group(1).encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        disposition = re.search(rb'name="([^"]*)"(?:; filename="([^"]*)")?', head)
        if disposition:
            filename = disposition.group(2).decode() if disposition.group(2) is not None else None
            fields[disposition.group(1).decode()] = (filename, data.removesuffix(b"\r\n"))
    return fields


def upload(handler, body):
    state = handler.state
    fields = multipart(handler.headers.get("Content-Type") or "", body)
    purpose = (fields.get("purpose") or (None, b""))[1].decode()
    if purpose not in FILE_PURPOSES:
        raise face.OpenAIError(400, f"'{purpose}' is not one of {list(FILE_PURPOSES)} - 'purpose'", param="purpose")
    filename, data = fields.get("file") or (None, None)
    if data is None or filename is None:
        raise face.OpenAIError(400, "'file' is a required property", param="file")
    if purpose == "batch" and not filename.endswith(".jsonl"):
        raise face.OpenAIError(400, "Invalid file format for Batch API. Must be .jsonl", param="file")
    if len(data) > MAX_FILE_BYTES:
        raise face.OpenAIError(400, f"File is too large: {len(data)} bytes; at most {MAX_FILE_BYTES} for purpose batch.")
    with state.lock:
        ident = "file-" + hashlib.sha256(b"%d" % len(state.openai_files) + data).hexdigest()[:24]
        meta = {"id": ident, "object": "file", "bytes": len(data), "created_at": int(time.time()), "filename": filename,
                "purpose": purpose, "status": "processed", "expires_at": None, "status_details": None}
        state.openai_files[ident] = {"meta": meta, "data": bytes(data)}
        state.stats["files_uploaded"] += 1
    handler.send_json(200, meta)


def lookup(state, table, ident, message, param):
    """The entry `ident` of one of the state's tables, or OpenAI's 404."""
    with state.lock:
        found = getattr(state, table).get(ident)
    if found is None:
        raise face.OpenAIError(404, message, param=param)
    return found


def stored_file(state, ident):
    return lookup(state, "openai_files", ident, f"No such File object: {ident}", "id")


def content(handler, ident):
    data = stored_file(handler.state, ident)["data"]
    with handler.state.lock:
        handler.state.stats["downloads"] += 1
    handler.send_response(200)
    handler.send_header("Content-Type", "application/octet-stream")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


# ---------------------------------------------------------------- batches


class Batch:
    def __init__(self, number, request, lines, problems, outcome):
        self.id = f"batch_{number}"
        self.number = number
        self.endpoint = request["endpoint"]
        self.input_file_id = request["input_file_id"]
        self.metadata = request.get("metadata")
        self.lines = lines  # [(custom_id, body)]
        self.problems = problems  # [{"code", "message", "param", "line"}]: the file's validation errors
        self.outcome = outcome
        self.created = time.monotonic()
        self.times = {"created_at": int(time.time())}
        self.status = "validating"
        self.output_file_id = self.error_file_id = None
        self.completed = self.failed = 0

    def move(self, status, stamp):
        self.status = status
        self.times[stamp] = int(time.time())


def batch_object(state, batch):
    with lock:
        advance(state, batch)
        counts = {"total": len(batch.lines), "completed": batch.completed, "failed": batch.failed}
        out = {"id": batch.id, "object": "batch", "endpoint": batch.endpoint, "errors": None,
               "input_file_id": batch.input_file_id, "completion_window": "24h", "status": batch.status,
               "output_file_id": batch.output_file_id, "error_file_id": batch.error_file_id,
               "expires_at": batch.times["created_at"] + 86400, "request_counts": counts, "metadata": batch.metadata}
        for stamp in ("created_at", "in_progress_at", "finalizing_at", "completed_at", "failed_at", "expired_at",
                      "cancelling_at", "cancelled_at"):
            out[stamp] = batch.times.get(stamp)
        if batch.status == "failed" and batch.problems:
            out["errors"] = {"object": "list", "data": batch.problems}
    return out


def find(state, ident):
    return lookup(state, "openai_batch_jobs", ident, f"No batch found with id '{ident}'.", "batch_id")


def read_lines(data, endpoint):
    """The file's lines as (custom_id, body), and the problems that fail the batch."""
    lines, problems, ids, models = [], [], set(), set()
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except ValueError:
            problems.append({"code": "invalid_json_line", "message": "This line is not parseable as valid JSON.",
                             "param": None, "line": number})
            continue
        custom_id = line.get("custom_id") if isinstance(line, dict) else None
        body = line.get("body") if isinstance(line, dict) else None
        if not isinstance(custom_id, str) or not isinstance(body, dict):
            problems.append({"code": "missing_required_parameter", "message": "custom_id and body are required.",
                             "param": "custom_id", "line": number})
            continue
        if custom_id in ids:
            problems.append({"code": "duplicate_custom_id", "message": "The custom_id for this request is a duplicate "
                             "of another request. The custom_id parameter must be unique for each request in a batch.",
                             "param": "custom_id", "line": number})
        if line.get("method") != "POST" or line.get("url") != endpoint:
            problems.append({"code": "mismatched_endpoint", "message": f"The provided url '{line.get('url')}' does not "
                             f"match the batch endpoint '{endpoint}'.", "param": "url", "line": number})
        ids.add(custom_id)
        models.add(body.get("model"))
        lines.append((custom_id, body))
    if len(models) > 1:
        problems.append({"code": "mismatched_model", "message": "All requests in a batch must use the same model.",
                         "param": "body.model", "line": None})
    if len(lines) > MAX_LINES:
        problems.append({"code": "too_many_requests", "message": f"A batch holds at most {MAX_LINES} requests.",
                         "param": None, "line": None})
    return lines, problems


def create(handler, body):
    state = handler.state
    try:
        request = json.loads(body or b"")
    except ValueError:
        raise face.OpenAIError(400, "We could not parse the JSON body of your request.")
    if not isinstance(request, dict):
        raise face.OpenAIError(400, "The request body must be a JSON object.")
    for field in ("input_file_id", "endpoint", "completion_window"):
        if not isinstance(request.get(field), str):
            raise face.OpenAIError(400, f"Missing required parameter: '{field}'.", param=field,
                                   code="missing_required_parameter")
    if request["endpoint"] not in ENDPOINTS:
        raise face.OpenAIError(400, f"Invalid value: '{request['endpoint']}'. Supported values are: {list(ENDPOINTS)}.",
                               param="endpoint")
    if request["completion_window"] != "24h":
        raise face.OpenAIError(400, "Invalid value for 'completion_window': only '24h' is supported.",
                               param="completion_window")
    metadata = request.get("metadata")
    if metadata is not None and (not isinstance(metadata, dict) or len(metadata) > 16 or any(
            not isinstance(v, str) or len(k) > 64 or len(v) > 512 for k, v in metadata.items())):
        raise face.OpenAIError(400, "Invalid 'metadata': at most 16 string pairs, keys up to 64 and values up to "
                                    "512 characters.", param="metadata")
    stored = stored_file(state, request["input_file_id"])
    if stored["meta"]["purpose"] != "batch":
        raise face.OpenAIError(400, f"File {request['input_file_id']} was not uploaded with purpose 'batch'.",
                               param="input_file_id")
    with state.lock:
        if state.openai_batch_create_429 > 0:
            state.openai_batch_create_429 -= 1
            refused = True
        else:
            refused = False
    if refused:
        raise face.OpenAIError(429, "Enqueued token limit reached for this model. Please try again once some "
                                    "in_progress batches have been completed.", kind="invalid_request_error",
                               code="token_limit_exceeded")
    lines, problems = read_lines(stored["data"], request["endpoint"])
    with state.lock:
        number = 1000 + len(state.openai_batch_jobs) + 1
        batch = Batch(number, request, lines, problems, state.batch_outcome)
        state.openai_batch_jobs[batch.id] = batch
        state.stats["batches_created"] += 1
        stall = state.batch_create_stall_ms if state.batch_create_stall_skip <= 0 else 0
        state.batch_create_stall_skip -= 1
    answer = batch_object(state, batch)
    time.sleep(stall / 1000)  # the batch exists and is counted; its answer is not sent yet
    handler.send_json(200, answer)


def listing(handler, url):
    state = handler.state
    query = dict(part.split("=", 1) for part in (url.query or "").split("&") if "=" in part)
    try:
        limit = int(query.get("limit", "20"))
    except ValueError:
        raise face.OpenAIError(400, "Invalid 'limit': must be an integer.", param="limit")
    if not 1 <= limit <= 100:
        raise face.OpenAIError(400, "Invalid 'limit': must be between 1 and 100.", param="limit")
    with state.lock:
        batches = sorted(state.openai_batch_jobs.values(), key=lambda b: -b.number)  # newest first
        state.stats["batch_lists"] += 1
    after = query.get("after")
    if after:
        at = next((i for i, b in enumerate(batches) if b.id == after), None)
        if at is None:
            raise face.OpenAIError(400, f"Invalid 'after': no batch '{after}'.", param="after")
        batches = batches[at + 1:]
    page = [batch_object(state, b) for b in batches[:limit]]
    handler.send_json(200, {"object": "list", "data": page, "first_id": page[0]["id"] if page else None,
                            "last_id": page[-1]["id"] if page else None, "has_more": len(batches) > limit})


def cancel(handler, ident):
    state = handler.state
    batch = find(state, ident)
    with lock:
        if batch.status in ("validating", "in_progress", "finalizing"):
            batch.move("cancelling", "cancelling_at")
            batch.move("cancelled", "cancelled_at")
            with state.lock:
                state.stats["batches_cancelled"] += 1
    handler.send_json(200, batch_object(state, batch))


def advance(state, batch):
    """Moves a batch along with time (under `lock`)."""
    if batch.status in ("completed", "failed", "expired", "cancelled"):
        return
    if batch.status == "finalizing":
        return batch.move("completed", "completed_at")
    elapsed = time.monotonic() - batch.created
    if elapsed < state.batch_seconds / 4:
        return
    if batch.status == "validating":
        if batch.problems:
            return batch.move("failed", "failed_at")
        batch.move("in_progress", "in_progress_at")
    if elapsed < state.batch_seconds:
        return
    if batch.outcome == "FAILED":
        batch.problems = [{"code": "batch_failed", "message": "The batch failed: internal error.", "param": None, "line": None}]
        return batch.move("failed", "failed_at")
    # An expired or cancelled batch keeps what it answered (the first half of its lines here);
    # the others are error lines without a response (batch_expired, batch_cancelled).
    unfinished = batch.outcome.lower() if batch.outcome in ("EXPIRED", "CANCELLED") else None
    good, bad = [], []
    for number, (custom_id, body) in enumerate(batch.lines):
        line = {"id": "batch_req_" + hashlib.sha256(f"{batch.id}/{custom_id}".encode()).hexdigest()[:24],
                "custom_id": custom_id, "error": None, "response": None}
        if unfinished and number >= len(batch.lines) // 2:
            line["error"] = {"code": f"batch_{unfinished}", "message": "This request could not be executed before the "
                             "completion window expired." if unfinished == "expired" else "The batch was cancelled before "
                             "this request was executed."}
            bad.append(line)
            continue
        status, answer = answer_line(state, batch.endpoint, body)
        line["response"] = {"status_code": status, "request_id": hashlib.md5(custom_id.encode()).hexdigest(), "body": answer}
        (good if status == 200 else bad).append(line)
        state.count("batch_lines")
    batch.completed, batch.failed = len(good), len(bad)
    for lines, field in ((good, "output_file_id"), (bad, "error_file_id")):
        if not lines:
            continue
        state.random.shuffle(lines)  # clients must match lines by custom_id, not by order
        data = "".join(json.dumps(line) + "\n" for line in lines).encode()
        ident = f"file-{field[:3]}{batch.number}"
        meta = {"id": ident, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                "filename": f"{batch.id}_{field[:-8]}.jsonl", "purpose": "batch_output", "status": "processed",
                "expires_at": None, "status_details": None}
        with state.lock:
            state.openai_files[ident] = {"meta": meta, "data": data}
        setattr(batch, field, ident)
    if unfinished:
        return batch.move(unfinished, f"{unfinished}_at")
    batch.move("finalizing", "finalizing_at")


def answer_line(state, endpoint, body):
    """(status code, body) of one line: what the online face answers for the same request."""
    fault = state.pick_fault()
    if fault:
        state.count("faults", fault)
    try:
        if endpoint == "/v1/embeddings":
            model, info, texts, dimensions, encoding = face.parse_embeddings(body)
        else:
            model, info, parsed = face.parse_chat(LineHandler(state), body)
        if fault in ("429", "429_daily"):
            raise face.OpenAIError(429, "Rate limit reached for requests.", kind="requests", code="rate_limit_exceeded")
        if fault in ("500", "503", "504", "502_html", "error_array", "drop"):
            raise face.OpenAIError(500, "The server had an error while processing your request. Sorry about that!",
                                   kind="server_error")
        if endpoint == "/v1/embeddings":
            return 200, face.embeddings_answer(state, model, info, texts, dimensions, encoding, fault)
        return 200, face.chat_answer(state, model, info, parsed, fault)
    except face.OpenAIError as error:
        return error.status, error.body()


class LineHandler:
    """What parse_chat reads of a handler (its state), for a line that came in a file."""

    def __init__(self, state):
        self.state = state
