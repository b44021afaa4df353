#!/usr/bin/env python3
"""openai_sdk_suite.py BASE_URL API_KEY — drives the emulator's OpenAI-compatible face with the
official OpenAI Python SDK (PyPI openai), so that face is checked by a client nobody here wrote.

Checks: models.list (and models.retrieve of one id); a chat completion with a JPEG as a base64
data URL and a strict json_schema built by the SDK from a pydantic model
(client.beta.chat.completions.parse), parsed back into that model, with the JPEG's dominant
colour in the answer; the refusal of a non-strict-valid schema surfacing as openai.BadRequestError;
embeddings of three texts at 256 dimensions (the SDK asks for base64 and decodes it; similar texts
nearer); a wrong key raised as openai.AuthenticationError; an unknown model as
openai.NotFoundError; a 503 (x-emulator-fault header) raised as openai.InternalServerError after
the SDK's own retries; the Batch API: files.create of a JSONL input (purpose batch),
batches.create, batches.retrieve until completed, batches.list and files.content of the output
and error files (two answers by custom_id, one 400 line for an image that does not decode). Prints one `ok …` line per check and `N checks passed, N failed`; exits 1
on any failure. Only a loopback BASE_URL is accepted: the SDK must never reach OpenAI.
"""
import base64
import io
import json
import math
import sys
import time
import traceback
from urllib.parse import urlsplit

import openai
from PIL import Image
from pydantic import BaseModel

MODEL = "gemini-2.5-flash-lite"
EMBED_MODEL = "gemini-embedding-001"
EMBED_TEXTS = ["a brown dog running on green grass in the park", "brown dog running across the grass of a park",
               "tall glass buildings of a city skyline at night"]


class Description(BaseModel):
    summary: str
    colors: list[str]
    brightness: float


def red_jpeg_url():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (210, 30, 30)).save(buffer, "JPEG", quality=90)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def main():
    base, key = sys.argv[1], sys.argv[2]
    if urlsplit(base).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("openai_sdk_suite: only a loopback emulator is allowed")
    client = openai.OpenAI(base_url=base.rstrip("/") + "/v1", api_key=key, max_retries=2, timeout=30)
    passed, failed = 0, 0

    def check(name, function):
        nonlocal passed, failed
        try:
            detail = function()
            print(f"ok {name}: {detail}", flush=True)
            passed += 1
        except Exception:  # noqa: BLE001 - report every failure and go on
            print(f"FAIL {name}:\n{traceback.format_exc()}", flush=True)
            failed += 1

    def models():
        ids = [m.id for m in client.models.list()]
        assert MODEL in ids and EMBED_MODEL in ids, ids
        assert client.models.retrieve(MODEL).id == MODEL
        return f"{len(ids)} models"

    def chat():
        completion = client.beta.chat.completions.parse(
            model=MODEL, max_tokens=400, response_format=Description,
            messages=[{"role": "user", "content": [
                {"type": "text", "text": "Describe this image."},
                {"type": "image_url", "image_url": {"url": red_jpeg_url()}}]}])
        message = completion.choices[0].message
        parsed = message.parsed
        assert isinstance(parsed, Description), message
        assert completion.choices[0].finish_reason == "stop"
        assert completion.usage.prompt_tokens > 258, completion.usage
        return f"colors={parsed.colors} summary={parsed.summary!r}"

    def refused_schema():
        try:
            client.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "hi"}],
                response_format={"type": "json_schema", "json_schema": {
                    "name": "loose", "strict": True, "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}})
        except openai.BadRequestError as error:
            assert error.status_code == 400 and "additionalProperties" in error.message, error.message
            return f"BadRequestError: {error.message[:60]}"
        raise AssertionError("a non-strict schema was accepted")

    def embeddings():
        answer = client.embeddings.create(model=EMBED_MODEL, input=EMBED_TEXTS, dimensions=256)
        vectors = [item.embedding for item in sorted(answer.data, key=lambda d: d.index)]
        assert [len(v) for v in vectors] == [256, 256, 256]

        def cosine(a, b):
            return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
        near, far = cosine(vectors[0], vectors[1]), cosine(vectors[0], vectors[2])
        assert near > far, (near, far)
        assert answer.usage.prompt_tokens > 0
        return f"near {near:.3f} > far {far:.3f}"

    def refused_key():
        bad = openai.OpenAI(base_url=client.base_url, api_key="sk-wrong", max_retries=0)
        try:
            bad.models.list()
        except openai.AuthenticationError as error:
            assert error.status_code == 401 and error.code == "invalid_api_key", error
            return "AuthenticationError"
        raise AssertionError("a wrong key was accepted")

    def unknown_model():
        try:
            client.chat.completions.create(model="gpt-9-nonexistent", messages=[{"role": "user", "content": "hi"}])
        except openai.NotFoundError as error:
            assert error.code == "model_not_found", error
            return "NotFoundError"
        raise AssertionError("an unknown model was accepted")

    def overloaded():
        try:
            client.with_options(max_retries=1).chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "hi"}], extra_headers={"x-emulator-fault": "503"})
        except openai.InternalServerError as error:
            assert error.status_code == 503 and "overloaded" in error.message, error
            return "InternalServerError after the SDK's retry"
        raise AssertionError("a 503 was not raised")

    def batch():
        schema = {"type": "object", "additionalProperties": False, "required": ["summary", "colors", "brightness"],
                  "properties": {"summary": {"type": "string"}, "colors": {"type": "array", "items": {"type": "string"}},
                                 "brightness": {"type": "number"}}}
        lines = [{"custom_id": f"c{i}", "method": "POST", "url": "/v1/chat/completions",
                  "body": {"model": MODEL, "max_tokens": 400,
                           "response_format": {"type": "json_schema", "json_schema": {"name": "d", "strict": True, "schema": schema}},
                           "messages": [{"role": "user", "content": [{"type": "text", "text": "Describe this image."},
                                                                      {"type": "image_url", "image_url": {"url": red_jpeg_url()}}]}]}}
                 for i in range(2)]
        # The same model in every line (a batch takes one), but an image that does not decode: a 400 line.
        broken = json.loads(json.dumps(lines[0]))
        broken["custom_id"] = "broken"
        broken["body"]["messages"][0]["content"][1]["image_url"]["url"] = "data:image/jpeg;base64,AAAA"
        data = "".join(json.dumps(line) + "\n" for line in lines + [broken]).encode()
        uploaded = client.files.create(file=("requests.jsonl", data), purpose="batch")
        assert uploaded.purpose == "batch" and uploaded.bytes == len(data), uploaded
        job = client.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h",
                                    metadata={"display_name": "sdk-suite"})
        assert job.status == "validating" and job.metadata == {"display_name": "sdk-suite"}, job
        deadline = time.monotonic() + 30
        while job.status not in ("completed", "failed", "expired", "cancelled") and time.monotonic() < deadline:
            time.sleep(0.1)  # polling a job, as a client must
            job = client.batches.retrieve(job.id)
        assert job.status == "completed", job
        assert (job.request_counts.total, job.request_counts.completed, job.request_counts.failed) == (3, 2, 1), job.request_counts
        assert job.id in [b.id for b in client.batches.list(limit=10)]
        good = [json.loads(line) for line in client.files.content(job.output_file_id).text.splitlines()]
        bad = [json.loads(line) for line in client.files.content(job.error_file_id).text.splitlines()]
        assert sorted(line["custom_id"] for line in good) == ["c0", "c1"] and [line["custom_id"] for line in bad] == ["broken"]
        answers = [Description.model_validate_json(line["response"]["body"]["choices"][0]["message"]["content"]) for line in good]
        assert all(answer.colors == ["red"] for answer in answers), answers
        assert bad[0]["response"]["status_code"] == 400 and bad[0]["response"]["body"]["error"]["message"], bad
        return f"{job.id} completed: 2 answers (colors={answers[0].colors}), 1 error line"

    for name, function in [("models", models), ("chat json_schema image", chat), ("strict schema refused", refused_schema),
                           ("embeddings", embeddings), ("refused key", refused_key), ("unknown model", unknown_model),
                           ("503 error class", overloaded), ("batch", batch)]:
        check(name, function)
    print(f"{passed} checks passed, {failed} failed", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
