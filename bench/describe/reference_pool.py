#!/usr/bin/env python3
"""reference_pool.py URL KEY WORKERS LIST — the reference tool's approach: a thread pool of
WORKERS, each making one blocking generateContent call per image (base64 inline JPEG, JSON
mode), reading the answer; prints the number of answers."""
import base64, json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor

url, key, workers, listing = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
endpoint = f"{url}/v1beta/models/gemini-2.5-flash-lite:generateContent"


def describe(path):
    with open(path, "rb") as f:
        data = base64.b64encode(f.read()).decode()
    body = {"contents": [{"parts": [{"inlineData": {"mimeType": "image/jpeg", "data": data}},
                                    {"text": "Describe this image."}]}],
            "generationConfig": {"responseMimeType": "application/json"}}
    request = urllib.request.Request(endpoint, data=json.dumps(body).encode(),
                                     headers={"x-goog-api-key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        answer = json.load(response)
    return json.loads(answer["candidates"][0]["content"]["parts"][0]["text"])


paths = [line.strip() for line in open(listing) if line.strip()]
with ThreadPoolExecutor(workers) as pool:
    results = list(pool.map(describe, paths))
print(len(results))
