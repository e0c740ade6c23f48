"""A scripted fake OpenAI upstream for fault tests, on 127.0.0.1.

The model name of a request picks the answer, with OpenAI's exact error
bodies (``{"error": {"message", "type", "param", "code"}}``):

    status-400 status-401 status-403 status-404 status-408 status-422
    status-429 status-500 status-503   that status, OpenAI's wording
    context-window     400 context_length_exceeded
    content-filter     400 content_filter
    slow               answers after 5 s (for timeouts and Ctrl-C)
    drop               closes the connection without an answer
    stream-error       a stream whose second event is an error
    stream-error-early a stream whose first event announces the role (no
                       content yet) and whose second is an error
    flaky-<key>        503 the first time for <key>, then a normal answer
    echo               a normal answer whose content is the request body
    stream-usage       a stream of "fake answer" in two chunks, then (when
                       asked with stream_options.include_usage) a usage
                       chunk without token details, as many providers send
    anything else      a normal answer ("fake answer")

It is plain standard library, started per test session.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ERRORS = {
    400: ("Invalid value for 'temperature': must be between 0 and 2.", "invalid_request_error", "temperature", None),
    401: (
        "Incorrect API key provided: sk-fake. You can find your API key at https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
        None,
        "invalid_api_key",
    ),
    403: ("Project proj_fake does not have access to model {model}", "invalid_request_error", None, "model_not_found"),
    404: ("The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", None, "model_not_found"),
    408: ("Request timed out.", "invalid_request_error", None, None),
    422: ("Unprocessable entity.", "invalid_request_error", None, None),
    429: (
        "Rate limit reached for {model} in organization org-fake on tokens per min (TPM): Limit 30000, Used 29809, Requested 1257. Please try again in 2.132s.",
        "tokens",
        None,
        "rate_limit_exceeded",
    ),
    500: ("The server had an error while processing your request. Sorry about that!", "server_error", None, None),
    503: ("The server is overloaded or not ready yet. Please try again later.", "server_error", None, None),
}


def error_body(status, model, message=None, type_=None, param=None, code=None):
    default = ERRORS.get(status, ("error", "invalid_request_error", None, None))
    return {
        "error": {
            "message": (message or default[0]).replace("{model}", model),
            "type": type_ if type_ is not None else default[1],
            "param": param if param is not None else default[2],
            "code": code if code is not None else default[3],
        }
    }


def completion_body(model, content):
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12},
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen = set()
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def send_json(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        request = json.loads(self.rfile.read(length) or b"{}")
        model = request.get("model", "")
        if model.startswith("status-"):
            status = int(model.split("-")[1])
            headers = [("retry-after", "0")] if status == 429 else []
            return self.send_json(status, error_body(status, model), headers)
        if model == "context-window":
            return self.send_json(
                400,
                error_body(
                    400,
                    model,
                    "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.",
                    param="messages",
                    code="context_length_exceeded",
                ),
            )
        if model == "content-filter":
            return self.send_json(
                400,
                error_body(
                    400,
                    model,
                    "Your request was rejected as a result of our safety system.",
                    param="prompt",
                    code="content_filter",
                ),
            )
        if model == "slow":
            time.sleep(5)
            return self.send_json(200, completion_body(model, "late"))
        if model == "drop":
            self.close_connection = True
            self.connection.close()
            return None
        if model.startswith("flaky-"):
            with self.lock:
                first = model not in self.seen
                self.seen.add(model)
            if first:
                return self.send_json(503, error_body(503, model))
            return self.send_json(200, completion_body(model, "recovered"))
        if model == "stream-error":
            return self.stream_error(model, "par")
        if model == "stream-error-early":
            return self.stream_error(model, None)
        if model == "stream-usage":
            return self.stream_usage(model, request)
        if model == "echo":
            return self.send_json(200, completion_body(model, json.dumps(request, sort_keys=True)))
        if model == "echo-headers":
            sent = {name.lower(): value for name, value in self.headers.items()}
            return self.send_json(200, completion_body(model, json.dumps(sent, sort_keys=True)))
        return self.send_json(200, completion_body(model, "fake answer"))

    def stream_usage(self, model, request):
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("connection", "close")
        self.end_headers()

        def event(choices, usage=None):
            chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": model, "choices": choices}
            if usage is not None:
                chunk["usage"] = usage
            self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")

        event([{"index": 0, "delta": {"role": "assistant", "content": "fake"}, "finish_reason": None}])
        event([{"index": 0, "delta": {"content": " answer"}, "finish_reason": None}])
        event([{"index": 0, "delta": {}, "finish_reason": "stop"}])
        if (request.get("stream_options") or {}).get("include_usage"):
            event([], {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12})
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True

    def stream_error(self, model, content):
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("connection", "close")
        self.end_headers()
        first = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": model,
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": content}, "finish_reason": None}],
        }
        self.wfile.write(b"data: " + json.dumps(first).encode() + b"\n\n")
        error = error_body(500, model)
        self.wfile.write(b"data: " + json.dumps(error).encode() + b"\n\n")
        self.wfile.flush()
        self.close_connection = True


class FakeUpstream:
    """The server on a free loopback port; ``base_url`` ends in ``/v1``."""

    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = "http://127.0.0.1:%d/v1" % self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
