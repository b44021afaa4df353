#!/usr/bin/env python3
"""official_sdk_suite.py BASE_URL API_KEY — drives the emulator with Google's own Python SDK
(PyPI google-genai), so the emulator is checked against a client its authors did not write.

For each API version the SDK can speak (v1, its default, and v1beta) it runs: models.get; a
structured generateContent with an inline JPEG and a response schema that the SDK parses into a
pydantic model; countTokens of the same contents; a refused key; one Batch Mode job with an
inline request, polled to success; embed_content of three texts (taskType CLUSTERING, 256
dimensions: similar texts nearer), the retired text-embedding-004 refused with 404, and one
embeddings batch job (batches.create_embeddings) polled to success; batches.list one job a page
(the SDK's pager follows nextPageToken) finding both jobs by display name, each once. Prints one `ok …` line per check and `N checks passed, N failed`;
exits 1 on any failure. Only a loopback BASE_URL is accepted: the SDK must never reach Google.
"""
import io
import json
import sys
import time
import traceback
from urllib.parse import urlsplit

from google import genai
from google.genai import errors, types
from PIL import Image
from pydantic import BaseModel

MODEL = "gemini-2.5-flash-lite"
EMBED_MODEL = "gemini-embedding-001"
EMBED_TEXTS = ["a brown dog running on green grass in the park", "brown dog running across the grass of a park",
               "tall glass buildings of a city skyline at night"]
PROMPT = "Describe this image."


class Description(BaseModel):
    summary: str
    colors: list[str]
    brightness: float


def red_jpeg():
    """A 64×48 red JPEG: the emulator names the dominant colour it decodes, so `red` in the
    parsed answer shows the image bytes survived the SDK's encoding."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (220, 20, 20)).save(out, format="JPEG", quality=90)
    return out.getvalue()


def client(base_url, key, version):
    return genai.Client(api_key=key, http_options=types.HttpOptions(base_url=base_url, api_version=version))


def check_models_get(sdk):
    model = sdk.models.get(model=MODEL)
    assert model.name == f"models/{MODEL}", model.name
    assert model.input_token_limit and model.input_token_limit > 0, model.input_token_limit
    return f"models.get {model.name} (input limit {model.input_token_limit})"


def image_contents(jpeg):
    return [types.Part.from_bytes(data=jpeg, mime_type="image/jpeg"), PROMPT]


def structured_config():
    return types.GenerateContentConfig(response_mime_type="application/json", response_schema=Description)


def check_generate(sdk, jpeg, seen):
    response = sdk.models.generate_content(model=MODEL, contents=image_contents(jpeg), config=structured_config())
    parsed = response.parsed
    assert isinstance(parsed, Description), f"parsed is {type(parsed).__name__}: {response.text!r}"
    assert "red" in parsed.colors, parsed.colors
    assert parsed.summary, parsed
    usage = response.usage_metadata
    assert usage.prompt_token_count and usage.prompt_token_count > 0, usage
    seen["prompt_tokens"] = usage.prompt_token_count
    return f"parsed {parsed!r}"


def check_count_tokens(sdk, jpeg, seen):
    counted = sdk.models.count_tokens(model=MODEL, contents=image_contents(jpeg))
    assert counted.total_tokens == seen.get("prompt_tokens"), (counted.total_tokens, seen)
    return f"countTokens {counted.total_tokens} = generateContent's promptTokenCount"


def check_refused_key(base_url, version):
    refused = client(base_url, "not-the-key", version)  # kept: a dropped Client closes its connection pool
    try:
        refused.models.get(model=MODEL)
    except errors.ClientError as error:
        assert error.code == 400 and "API key not valid" in str(error.message), (error.code, error.message)
        return f"a wrong key is refused: {error.code} {error.status}"
    raise AssertionError("a wrong key was accepted")


def wait_for_success(sdk, job):
    """Polls a batch job until it ends (within 60 s); it must have succeeded."""
    deadline = time.monotonic() + 60
    while job.state not in (types.JobState.JOB_STATE_SUCCEEDED, types.JobState.JOB_STATE_FAILED,
                            types.JobState.JOB_STATE_CANCELLED, types.JobState.JOB_STATE_EXPIRED):
        assert time.monotonic() < deadline, f"{job.name} still {job.state} after 60 s"
        time.sleep(0.1)  # polling interval of a job the emulator finishes by the clock
        job = sdk.batches.get(name=job.name)
    assert job.state == types.JobState.JOB_STATE_SUCCEEDED, job.state
    return job


def check_batch(sdk, version, jpeg):
    request = types.InlinedRequest(model=MODEL, contents=image_contents(jpeg), config=structured_config(),
                                   metadata={"key": f"red-{version}"})
    job = sdk.batches.create(model=MODEL, src=[request], config=types.CreateBatchJobConfig(display_name=f"sdk-{version}"))
    assert job.name.startswith("batches/"), job.name
    job = wait_for_success(sdk, job)
    answers = job.dest.inlined_responses
    assert len(answers) == 1 and answers[0].error is None, answers
    assert answers[0].metadata == {"key": f"red-{version}"}, answers[0].metadata
    parsed = Description.model_validate(json.loads(answers[0].response.text))
    assert "red" in parsed.colors, parsed.colors
    return f"batch {job.name} {job.state.value}, its answer parses: colors {parsed.colors}"


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / (sum(x * x for x in a) * sum(y * y for y in b)) ** 0.5


def check_embed(sdk):
    config = types.EmbedContentConfig(task_type="CLUSTERING", output_dimensionality=256)
    response = sdk.models.embed_content(model=EMBED_MODEL, contents=EMBED_TEXTS, config=config)
    vectors = [embedding.values for embedding in response.embeddings]
    assert [len(v) for v in vectors] == [256, 256, 256], [len(v) for v in vectors]
    near, far = cosine(vectors[0], vectors[1]), cosine(vectors[0], vectors[2])
    assert near > far + 0.3, (near, far)
    return f"embed_content: 3 vectors of 256, similar {near:.2f} > unrelated {far:.2f}"


def check_retired_embedding_model(sdk):
    try:
        sdk.models.embed_content(model="text-embedding-004", contents=EMBED_TEXTS[:1])
    except errors.ClientError as error:
        assert error.code == 404 and error.status == "NOT_FOUND", (error.code, error.status)
        return f"text-embedding-004 is refused: {error.code} {error.status}"
    raise AssertionError("the retired text-embedding-004 answered")


def check_embed_batch(sdk, version):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # create_embeddings is marked experimental
        job = sdk.batches.create_embeddings(
            model=EMBED_MODEL, src=types.EmbeddingsBatchJobSource(inlined_requests=types.EmbedContentBatch(
                contents=EMBED_TEXTS, config=types.EmbedContentConfig(task_type="CLUSTERING", output_dimensionality=64))),
            config=types.CreateEmbeddingsBatchJobConfig(display_name=f"sdk-embed-{version}"))
    job = wait_for_success(sdk, job)
    answers = job.dest.inlined_embed_content_responses
    assert len(answers) == 3 and all(a.error is None for a in answers), answers
    sizes = sorted(len(a.response.embedding.values) for a in answers)
    assert sizes == [64, 64, 64], sizes
    return f"embeddings batch {job.name} {job.state.value}: 3 vectors of 64"


def check_batch_list(sdk, version):
    jobs = list(sdk.batches.list(config=types.ListBatchJobsConfig(page_size=1)))
    names = [job.name for job in jobs]
    assert len(names) == len(set(names)) >= 2, names
    shown = {job.display_name: job for job in jobs}
    for display in (f"sdk-{version}", f"sdk-embed-{version}"):
        assert display in shown and shown[display].state.value == "JOB_STATE_SUCCEEDED", (display, shown.keys())
    return f"{len(jobs)} jobs one a page, newest {names[0]}"


def main():
    base_url, key = sys.argv[1], sys.argv[2]
    host = urlsplit(base_url).hostname
    if urlsplit(base_url).scheme != "http" or host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"official_sdk_suite: {base_url} is not a loopback URL; refusing to run")
    jpeg = red_jpeg()
    passed = failed = 0

    def run(name, check, *args):
        nonlocal passed, failed
        try:
            detail = check(*args)
            print(f"ok {name}: {detail}")
            passed += 1
        except Exception as error:  # every failure is reported, then the next check runs
            print(f"FAILED {name}: {type(error).__name__}: {error}")
            traceback.print_exc(file=sys.stderr)
            failed += 1

    for version in ("v1", "v1beta"):
        sdk = client(base_url, key, version)
        seen = {}
        run(f"{version} models.get", check_models_get, sdk)
        run(f"{version} generateContent", check_generate, sdk, jpeg, seen)
        run(f"{version} countTokens", check_count_tokens, sdk, jpeg, seen)
        run(f"{version} refused key", check_refused_key, base_url, version)
        run(f"{version} batch", check_batch, sdk, version, jpeg)
        run(f"{version} embed_content", check_embed, sdk)
        run(f"{version} retired embedding model", check_retired_embedding_model, sdk)
        run(f"{version} embeddings batch", check_embed_batch, sdk, version)
        run(f"{version} batches.list", check_batch_list, sdk, version)
    print(f"{passed} checks passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
