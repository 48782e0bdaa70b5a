"""Any language: send one OpenTelemetry GenAI span as OTLP/JSON to the costspan collector, standard library only.

    python3 src/send_span.py http://127.0.0.1:4318

The collector prices it (gen_ai.usage.* tokens, provider and model) and stores it; no SDK needed.
"""
import json
import os
import sys
import time
import urllib.request

endpoint = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4318").rstrip("/") + "/v1/traces"
now = time.time_ns()


def attr(key, value):
    if isinstance(value, str):
        return {"key": key, "value": {"stringValue": value}}
    return {"key": key, "value": {"intValue": str(value)}}  # OTLP/JSON: 64-bit integers as strings


span = {
    "traceId": os.urandom(16).hex(),
    "spanId": os.urandom(8).hex(),
    "name": "chat gpt-4o",
    "kind": 3,  # SPAN_KIND_CLIENT
    "startTimeUnixNano": str(now - 850_000_000),
    "endTimeUnixNano": str(now),
    "attributes": [
        attr("gen_ai.operation.name", "chat"),
        attr("gen_ai.provider.name", "openai"),
        attr("gen_ai.request.model", "gpt-4o"),
        attr("gen_ai.usage.input_tokens", 1000),
        attr("gen_ai.usage.cache_read.input_tokens", 400),
        attr("gen_ai.usage.output_tokens", 500),
        attr("costspan.feature", "report-writer"),
        attr("costspan.tenant", "acme"),
    ],
}
body = {
    "resourceSpans": [
        {
            "resource": {"attributes": [attr("service.name", "python-worker")]},
            "scopeSpans": [{"scope": {"name": "send_span.py"}, "spans": [span]}],
        }
    ]
}
request = urllib.request.Request(
    endpoint, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
)
with urllib.request.urlopen(request, timeout=10) as response:
    print(f"POST {endpoint} -> {response.status} {response.read().decode() or '{}'}")
