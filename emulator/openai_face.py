"""openai_face.py — the emulator's OpenAI-compatible face, served by gemini_emulator.py in the
same process (gemini-api.md §7): POST /v1/chat/completions, POST /v1/embeddings, GET /v1/models
and GET /v1/models/ID. Written from OpenAI's API reference, independently of the Swift client.

It gives the answers of the Gemini face (the same deterministic descriptions, categories and
vectors, built by gemini_emulator's functions from the image and prompt it received) in OpenAI's
shapes: `choices[0].message.content`, `finish_reason` stop/length/content_filter, a `refusal`
for a blocked prompt, `usage.prompt_tokens/completion_tokens` (+ reasoning tokens for thinking
models), `data[i].embedding` by `index` (floats, or base64 float32 as the official SDK asks), and
OpenAI error bodies `{"error": {"message", "type", "param", "code"}}`. The same fault switches
apply (429 with Retry-After, 429_daily as insufficient_quota, 5xx, an HTML 502, an error in an
array, dropped connections, slow, malformed, max_tokens, safety, blocked, empty...), and the
same RPM limit; `schema_drift` (json_object mode only) leaves a required property out, as a
model that was only asked in the prompt may. Answers carry "emulator": true.

Requests are checked as OpenAI does: `Authorization: Bearer KEY` (the emulator's key; with
openai_no_key (config) or --openai-no-key no key is needed, as a local server), the model, image
parts as data URLs that decode, json_object only with "json" in the messages, and a strict
json_schema (an object root; every object with additionalProperties false and every property
required; lower-case types). POST /emulator/config {"openai_json_schema": false} makes the face
refuse json_schema with a 400 naming response_format, as servers without structured output do.

The Batch API (/v1/files, /v1/batches) is in openai_batches.py.

GET /v1/models is the Gemini face's list too: a request with x-goog-api-key or ?key= gets the
Gemini answer, any other (an OpenAI client) this face's.
"""
import base64
import json
import re
import struct
import time

import openai_batches  # the Batch API (/v1/files, /v1/batches), kept in its own module

G = None  # the gemini_emulator module (bound by bind(): its answers, image checks and state)

SCHEMA_TYPES = {"string", "number", "integer", "boolean", "array", "object", "null"}
FINISH = {"STOP": "stop", "MAX_TOKENS": "length", "SAFETY": "content_filter"}
NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def bind(module):
    global G
    G = module


class OpenAIError(Exception):
    def __init__(self, status, message, kind="invalid_request_error", param=None, code=None):
        super().__init__(message)
        self.status, self.message, self.kind, self.param, self.code = status, message, kind, param, code

    def body(self):
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}


def handles(handler, method, url, body):
    """Answers the request when it is for this face; returns whether it did."""
    if openai_batches.handles(handler, method, url, body):
        return True
    path = url.path
    if method == "GET" and re.fullmatch(r"/v1/models(/[^/]+)?", path):
        gemini_client = handler.headers.get("x-goog-api-key") or "key=" in (url.query or "")
        if gemini_client:
            return False
    elif not (method == "POST" and path in ("/v1/chat/completions", "/v1/embeddings")):
        return False
    state = handler.state
    count(state, "openai_requests")
    try:
        check_key(handler)
        if method == "GET":
            return models(handler, path)
        try:
            request = json.loads(body or b"")
        except ValueError:
            raise OpenAIError(400, "We could not parse the JSON body of your request.")
        if not isinstance(request, dict):
            raise OpenAIError(400, "The request body must be a JSON object.")
        if path == "/v1/embeddings":
            embeddings(handler, request)
        else:
            chat(handler, request)
    except OpenAIError as error:
        send_error(handler, error)
    return True


def count(state, key, amount=1):
    with state.lock:
        state.stats[key] = state.stats.get(key, 0) + amount


def send_error(handler, error, headers=None, wrap_in_array=False):
    handler.state.count("errors", str(error.status))
    handler.send_json(error.status, [error.body()] if wrap_in_array else error.body(), headers)


def check_key(handler):
    state = handler.state
    if getattr(state, "openai_no_key", False):
        return
    auth = handler.headers.get("Authorization") or ""
    if not auth.startswith("Bearer ") or not auth[7:].strip():
        raise OpenAIError(401, "You didn't provide an API key. You need to provide your API key in an Authorization "
                               "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
    if auth[7:].strip() != state.api_key:
        raise OpenAIError(401, "Incorrect API key provided. You can find your API key in your account settings.",
                          code="invalid_api_key")


def model_info(model, table):
    if model not in table:
        raise OpenAIError(404, f"The model `{model}` does not exist or you do not have access to it.",
                          code="model_not_found")
    return table[model]


def model_object(model):
    return {"id": model, "object": "model", "created": 1735689600, "owned_by": "emulator"}


def models(handler, path):
    state = handler.state
    if state.models_404:
        raise OpenAIError(404, f"Unknown request URL: GET {path}.", code="unknown_url")
    everything = dict(G.MODELS, **G.EMBED_MODELS)
    if path == "/v1/models":
        handler.send_json(200, {"object": "list", "data": [model_object(m) for m in everything]})
    else:
        model = path.rsplit("/", 1)[1]
        model_info(model, everything)
        handler.send_json(200, model_object(model))
    return True


# ---------------------------------------------------------------- chat completions


def check_strict_schema(schema, where):
    """OpenAI's strict-mode rules, as its 400s word them."""
    if not isinstance(schema, dict):
        raise OpenAIError(400, f"Invalid schema for response_format 'answer': {where} is not an object.",
                          param="response_format")
    types = schema.get("type")
    types = types if isinstance(types, list) else [types] if types is not None else []
    for t in types:
        if t not in SCHEMA_TYPES:
            raise OpenAIError(400, f"Invalid schema for response_format: {where}: type {t!r} is not a JSON Schema type.",
                              param="response_format")
    if "object" in types:
        props = schema.get("properties") or {}
        if schema.get("additionalProperties") is not False:
            raise OpenAIError(400, f"Invalid schema for response_format: In context={where}, 'additionalProperties' is "
                                   "required to be supplied and to be false.", param="response_format")
        if sorted(schema.get("required") or []) != sorted(props):
            raise OpenAIError(400, f"Invalid schema for response_format: In context={where}, 'required' is required to be "
                                   "supplied and to be an array including every key in properties.", param="response_format")
        for key, value in props.items():
            check_strict_schema(value, f"{where}.properties.{key}")
    if "items" in schema:
        check_strict_schema(schema["items"], f"{where}.items")
    for i, option in enumerate(schema.get("anyOf") or []):
        check_strict_schema(option, f"{where}.anyOf[{i}]")


def to_gemini_schema(schema):
    """A JSON Schema as the Gemini face's answer builder reads it (upper-case single types)."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    types = schema.get("type")
    if isinstance(types, list):
        types = next((t for t in types if t != "null"), "string")
    if isinstance(types, str):
        out["type"] = types.upper()
    if isinstance(schema.get("enum"), list):
        out["enum"] = [v for v in schema["enum"] if v is not None]
    if isinstance(schema.get("properties"), dict):
        out["properties"] = {k: to_gemini_schema(v) for k, v in schema["properties"].items()}
        out["propertyOrdering"] = list(schema["properties"])
    if "items" in schema:
        out["items"] = to_gemini_schema(schema["items"])
    return out


def schema_in_prompt(prompt):
    """json_object mode: the schema the prompt asks to follow (a model reads it; so does this)."""
    at = prompt.rfind("JSON Schema")
    start = prompt.find("{", at) if at >= 0 else -1
    if start < 0:
        return None
    try:
        return json.JSONDecoder().raw_decode(prompt[start:])[0]
    except ValueError:
        return None


def parse_chat(handler, request):
    """-> (model, info, parsed as the Gemini face's build_answer takes it, response mode, max tokens)."""
    model = request.get("model")
    info = model_info(model, G.MODELS)
    messages = request.get("messages")
    if not isinstance(messages, list) or not messages:
        raise OpenAIError(400, "[] is too short - 'messages'", param="messages")
    texts, images = [], []
    for m, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ("system", "developer", "user", "assistant"):
            raise OpenAIError(400, f"Invalid value for 'messages[{m}].role'.", param=f"messages[{m}].role")
        content = message.get("content")
        parts = [{"type": "text", "text": content}] if isinstance(content, str) else content
        if not isinstance(parts, list):
            raise OpenAIError(400, f"Invalid type for 'messages[{m}].content'.", param=f"messages[{m}].content")
        for p, part in enumerate(parts):
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "text":
                texts.append(str(part.get("text", "")))
            elif kind == "image_url":
                url = (part.get("image_url") or {}).get("url") if isinstance(part.get("image_url"), dict) else None
                match = re.fullmatch(r"data:([\w/+.-]+);base64,(.*)", url or "", re.S)
                if not match:
                    raise OpenAIError(400, "Invalid image URL: this server takes base64 data URLs only "
                                           "(data:image/jpeg;base64,...).", param=f"messages[{m}].content[{p}].image_url.url",
                                      code="invalid_image_url")
                mime, data = match.groups()
                if mime not in G.IMAGE_MIME:
                    raise OpenAIError(400, f"Invalid MIME type {mime!r} for an image.", code="invalid_image_format")
                try:
                    raw = base64.b64decode(data, validate=True)
                except ValueError:
                    raise OpenAIError(400, "Invalid base64 image data.", code="invalid_image_format")
                try:
                    images.append(G.inspect_image(raw, mime))
                except G.ApiError as error:
                    raise OpenAIError(400, error.message, code="invalid_image_format")
            else:
                raise OpenAIError(400, f"Invalid content part type {kind!r}.", param=f"messages[{m}].content[{p}].type")
    prompt = "\n".join(texts)
    response_format = request.get("response_format") or {"type": "text"}
    kind = response_format.get("type") if isinstance(response_format, dict) else None
    schema = None
    if kind == "json_schema":
        if not getattr(handler.state, "openai_json_schema", True):
            raise OpenAIError(400, "response_format of type 'json_schema' is not supported by this server; "
                                   "use 'json_object' or 'text'.", param="response_format")
        spec = response_format.get("json_schema")
        if not isinstance(spec, dict) or not NAME_PATTERN.fullmatch(str(spec.get("name", ""))):
            raise OpenAIError(400, "Invalid 'response_format.json_schema.name': must match ^[a-zA-Z0-9_-]{1,64}$.",
                              param="response_format.json_schema.name")
        schema = spec.get("schema")
        if spec.get("strict"):
            root = schema.get("type") if isinstance(schema, dict) else None
            if root != "object":
                raise OpenAIError(400, "Invalid schema for response_format: schema must be a JSON Schema of 'type: \"object\"', "
                                       f"got 'type: \"{root}\"'.", param="response_format")
            check_strict_schema(schema, "(root)")
    elif kind == "json_object":
        if "json" not in prompt.lower():
            raise OpenAIError(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type "
                                   "'json_object'.", param="messages")
        schema = schema_in_prompt(prompt)
    elif kind != "text":
        raise OpenAIError(400, f"Invalid value for 'response_format.type': {kind!r}.", param="response_format.type")
    if "max_tokens" in request and not getattr(handler.state, "openai_max_tokens", True):
        # OpenAI's answer for its reasoning models (o-series, gpt-5), word for word.
        raise OpenAIError(400, "Unsupported parameter: 'max_tokens' is not supported with this model. "
                               "Use 'max_completion_tokens' instead.", param="max_tokens", code="unsupported_parameter")
    temperature = request.get("temperature")
    if temperature is not None and temperature != 1 and not getattr(handler.state, "openai_temperature", True):
        # OpenAI's answer for its reasoning models, which take only the default temperature.
        raise OpenAIError(400, f"Unsupported value: 'temperature' does not support {temperature} with this model. "
                               "Only the default (1) value is supported.", param="temperature", code="unsupported_value")
    limit = request.get("max_completion_tokens", request.get("max_tokens"))
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise OpenAIError(400, "Invalid 'max_tokens': must be a positive integer.", param="max_tokens")
    image_tok = sum(G.image_tokens(i["width"], i["height"], info["family"], None) for i in images)
    text_tok = sum(G.text_tokens(t) for t in texts)
    config = {"maxOutputTokens": limit} if limit is not None else {}
    parsed = {"texts": texts, "images": images, "schema": to_gemini_schema(schema) if schema else None, "kind": kind,
              "mime": "application/json" if kind != "text" else None, "config": config,
              "image_tokens": image_tok, "text_tokens": text_tok, "prompt_tokens": image_tok + text_tok}
    return model, info, parsed


def wrapped_array_key(schema, prompt):
    """The one array property of an object root that wraps a categorize or discovery answer (strict
    mode wants an object root): the model answers the list under that key."""
    props = (schema or {}).get("properties") or {}
    if len(props) == 1 and ("Images (JSON):" in prompt or "Propose a taxonomy" in prompt):
        key, inner = next(iter(props.items()))
        if (inner.get("type") or "").upper() == "ARRAY":
            return key, inner
    return None, None


def chat(handler, request):
    state = handler.state
    with state.lock:
        state.in_flight += 1
        state.stats["max_in_flight"] = max(state.stats["max_in_flight"], state.in_flight)
    try:
        answer_chat(handler, request)
    finally:
        with state.lock:
            state.in_flight -= 1


def answer_chat(handler, request):
    state = handler.state
    state.count("generate_content")
    count(state, "openai_chat")
    fault = handler.headers.get("x-emulator-fault") or state.pick_fault()
    if fault:
        state.count("faults", fault)
    model, info, parsed = parse_chat(handler, request)
    rejected = None if fault else state.admit()
    if call_fault(handler, fault, rejected):
        return
    state.count("ok")
    handler.send_json(200, chat_answer(state, model, info, parsed, fault))


def chat_answer(state, model, info, parsed, fault):
    """The chat completion for a parsed request (online, or a line of a batch)."""
    key, inner = wrapped_array_key(parsed["schema"], "\n".join(parsed["texts"]))
    if key:
        parsed = dict(parsed, schema=inner)
    body = G.build_answer(state, parsed, model, info, fault)
    if fault == "schema_drift" and parsed["kind"] == "json_object":
        drift(body)
    return chat_completion(body, model, key)


def drift(gemini):
    """Leaves the last property out of a JSON object answer, as a model that was only asked in
    the prompt to follow the schema may do."""
    for candidate in gemini.get("candidates") or []:
        for part in (candidate.get("content") or {}).get("parts") or []:
            try:
                value = json.loads(part.get("text", ""))
            except ValueError:
                continue
            if isinstance(value, dict) and value:
                value.pop(list(value)[-1])
                part["text"] = json.dumps(value)


def chat_completion(gemini, model, wrap_key):
    """The Gemini face's answer as a chat completion."""
    candidates = gemini.get("candidates") or []
    usage = gemini["usageMetadata"]
    thoughts = usage.get("thoughtsTokenCount", 0)
    out_usage = {"prompt_tokens": usage["promptTokenCount"],
                 "completion_tokens": usage["candidatesTokenCount"] + thoughts,
                 "total_tokens": usage["totalTokenCount"]}
    if thoughts:
        out_usage["completion_tokens_details"] = {"reasoning_tokens": thoughts}
    message = {"role": "assistant", "content": None, "refusal": None}
    choices = []
    if gemini.get("promptFeedback"):
        message["refusal"] = "I'm sorry, I can't help with this image."
        choices = [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}]
    elif candidates:
        first = candidates[0]
        parts = (first.get("content") or {}).get("parts") or []
        text = "".join(p.get("text", "") for p in parts)
        if text and wrap_key:
            text = '{"' + wrap_key + '": ' + text + "}"
        message["content"] = text if parts else None
        reason = first.get("finishReason", "STOP")
        choices = [{"index": 0, "message": message, "finish_reason": FINISH.get(reason, "content_filter"), "logprobs": None}]
    return {"id": "chatcmpl-" + gemini["responseId"], "object": "chat.completion", "created": int(time.time()),
            "model": model, "choices": choices, "usage": out_usage, "emulator": True}


def call_fault(handler, fault, rejected):
    """The Gemini face's call faults and RPM limit in OpenAI's shapes; returns whether it answered."""
    state = handler.state
    # Latency, `slow` and `drop` are the Gemini face's own (the rest answer in OpenAI's shapes).
    if handler.wait_then_call_fault(fault if fault in ("slow", "drop") else None):
        return True
    if fault == "429" or (rejected is not None and not fault):
        if rejected is not None and any("PerDay" in v.get("quotaId", "") for d in rejected.details for v in d.get("violations", [])):
            fault = "429_daily"
        else:
            delay = state.retry_delay if rejected is None else next(
                (float(d["retryDelay"].rstrip("s")) for d in rejected.details if "retryDelay" in d), state.retry_delay)
            send_error(handler, OpenAIError(429, f"Rate limit reached for requests. Please try again in {delay:.3g}s.",
                                            kind="requests", code="rate_limit_exceeded"),
                       {"retry-after": f"{delay:g}", "retry-after-ms": str(int(delay * 1000))})
            return True
    if fault == "429_daily":
        send_error(handler, OpenAIError(429, "You exceeded your current quota, please check your plan and billing details.",
                                        kind="insufficient_quota", code="insufficient_quota"))
        return True
    if fault in ("500", "error_array"):
        send_error(handler, OpenAIError(500, "The server had an error while processing your request. Sorry about that!",
                                        kind="server_error"), wrap_in_array=fault == "error_array")
        return True
    if fault == "503":
        send_error(handler, OpenAIError(503, "The engine is currently overloaded, please try again later.", kind="server_error"))
        return True
    if fault == "504":
        send_error(handler, OpenAIError(504, "Gateway timeout.", kind="server_error"))
        return True
    if fault == "502_html":
        handler.send_bad_gateway_page()
        return True
    return False


# ---------------------------------------------------------------- embeddings


def embeddings(handler, request):
    state = handler.state
    with state.lock:
        state.stats["embed_calls"] += 1
    count(state, "openai_embeddings")
    model, info, texts, dimensions, encoding = parse_embeddings(request)
    fault = handler.headers.get("x-emulator-fault") or state.pick_fault()
    if fault:
        state.count("faults", fault)
    rejected = None if fault else state.admit()
    if call_fault(handler, fault, rejected):
        return
    body = json.dumps(embeddings_answer(state, model, info, texts, dimensions, encoding, fault)).encode()
    handler.send_json_bytes(body, cut=fault == "malformed")


def parse_embeddings(request):
    """-> (model, info, texts, dimensions, encoding), or an OpenAIError as OpenAI words it."""
    model = request.get("model")
    info = model_info(model, G.EMBED_MODELS)
    texts = request.get("input")
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t for t in texts):
        raise OpenAIError(400, "'input' must be a non-empty string or a non-empty array of non-empty strings.", param="input")
    if len(texts) > 2048:
        raise OpenAIError(400, f"'input' holds {len(texts)} items; at most 2048 are allowed.", param="input")
    dimensions = request.get("dimensions", info["dimensions"])
    if not isinstance(dimensions, int) or not 1 <= dimensions <= info["dimensions"]:
        raise OpenAIError(400, f"'dimensions' must be between 1 and {info['dimensions']} for {model}.", param="dimensions")
    encoding = request.get("encoding_format", "float")
    if encoding not in ("float", "base64"):
        raise OpenAIError(400, "'encoding_format' must be 'float' or 'base64'.", param="encoding_format")
    return model, info, texts, dimensions, encoding


def embeddings_answer(state, model, info, texts, dimensions, encoding, fault):
    """The embeddings answer for a parsed request (online, or a line of a batch)."""
    # The same vectors as the Gemini face's for taskType CLUSTERING (what embed asks there).
    data = []
    for index, text in enumerate(texts):
        nonzero, size = G.embed_vector(text, "CLUSTERING", info["dimensions"], dimensions)
        values = [0.0] * size
        for position, value in nonzero.items():
            values[position] = value
        embedding = base64.b64encode(struct.pack(f"<{size}f", *values)).decode() if encoding == "base64" else values
        data.append({"object": "embedding", "index": index, "embedding": embedding})
    if fault == "empty":
        data = data[:-1]
    data.reverse()  # clients must place vectors by index, not by position
    tokens = sum(G.text_tokens(t) for t in texts)
    with state.lock:
        state.stats["embed_ok"] += 1
        state.stats["embed_texts"] += len(texts)
        state.stats["embed_largest_call"] = max(state.stats["embed_largest_call"], len(texts))
    return {"object": "list", "data": data, "model": model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}, "emulator": True}
