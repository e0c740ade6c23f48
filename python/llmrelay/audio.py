"""LiteLLM's ``speech`` and ``transcription`` (and their async forms).

The native module makes the calls; this module reads the caller's file the
ways the ``openai`` SDK accepts one (an open binary file, ``bytes``, a
``pathlib.Path``, or a ``(filename, content[, content_type])`` tuple) and
wraps spoken audio in :class:`HttpxBinaryResponseContent`, the object
LiteLLM returns. Loaded on the first audio call, never with the package.
"""

import llmrelay
from llmrelay import _llmrelay


class HttpxBinaryResponseContent:
    """Spoken audio, as LiteLLM's ``speech`` returns it: ``content`` (the
    file's bytes), ``read()``, ``iter_bytes()``, ``write_to_file(path)``,
    ``stream_to_file(path)``, their async forms, and ``_hidden_params``
    (``response_cost``...). There is no ``httpx`` response behind it: the
    bytes are read whole by the native client."""

    def __init__(self, content, content_type=None, hidden_params=None):
        self.content = content
        self.content_type = content_type
        self._hidden_params = hidden_params if hidden_params is not None else {}
        self.usage = None

    @property
    def hidden_params(self):
        return self._hidden_params

    @hidden_params.setter
    def hidden_params(self, value):
        self._hidden_params = value

    @property
    def text(self):
        return self.content.decode("utf-8", errors="replace")

    @property
    def encoding(self):
        return None

    def read(self):
        return self.content

    def json(self, **kwargs):
        import json

        return json.loads(self.content, **kwargs)

    def iter_bytes(self, chunk_size=None):
        size = chunk_size or len(self.content) or 1
        for start in range(0, len(self.content), size):
            yield self.content[start : start + size]

    iter_raw = iter_bytes

    def write_to_file(self, file):
        """Writes the audio to ``file`` (a path)."""
        with open(file, mode="wb") as out:
            out.write(self.content)

    def stream_to_file(self, file, *, chunk_size=None):
        """Writes the audio to ``file`` in chunks (the bytes are in hand already)."""
        with open(file, mode="wb") as out:
            for chunk in self.iter_bytes(chunk_size):
                out.write(chunk)

    def close(self):
        pass

    async def aread(self):
        return self.content

    async def aiter_bytes(self, chunk_size=None):
        for chunk in self.iter_bytes(chunk_size):
            yield chunk

    async def astream_to_file(self, file, *, chunk_size=None):
        self.stream_to_file(file, chunk_size=chunk_size)

    async def aclose(self):
        pass

    def __repr__(self):
        return "HttpxBinaryResponseContent(content_type=%r, %d bytes)" % (self.content_type, len(self.content))


def _bad_request(message, model):
    from llmrelay.exceptions import BadRequestError

    return BadRequestError(message=message, model=model, llm_provider=None)


#: File signatures -> the name a nameless upload gets (providers read the
#: format from the extension).
_SIGNATURES = (
    (b"RIFF", "audio.wav"),
    (b"ID3", "audio.mp3"),
    (b"\xff\xfb", "audio.mp3"),
    (b"\xff\xf3", "audio.mp3"),
    (b"OggS", "audio.ogg"),
    (b"fLaC", "audio.flac"),
    (b"\x1aE\xdf\xa3", "audio.webm"),
)


def _name_for(data):
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    if data[4:8] == b"ftyp":
        return "audio.m4a"
    return "upload"


def _read(content, model):
    """``(name or None, bytes)`` of one file-ish value."""
    import os

    if isinstance(content, (bytes, bytearray, memoryview)):
        return None, bytes(content)
    if isinstance(content, str):
        raise _bad_request(
            "`file` must be an open binary file, bytes, a pathlib.Path or a (filename, content) tuple, not a str",
            model,
        )
    if isinstance(content, os.PathLike):
        path = os.fspath(content)
        try:
            with open(path, "rb") as f:
                return os.path.basename(path), f.read()
        except OSError as err:
            raise _bad_request("`file` could not be read: %s" % err, model) from err
    read = getattr(content, "read", None)
    if read is None:
        raise _bad_request("`file` must be an open binary file, bytes, a pathlib.Path or a tuple", model)
    data = read()
    if isinstance(data, str):
        raise _bad_request("`file` must be opened in binary mode ('rb')", model)
    name = getattr(content, "name", None)
    return (os.path.basename(name) if isinstance(name, str) else None), bytes(data)


def read_file(file, model):
    """``(filename, bytes, content_type or None)`` of ``file`` as the
    ``openai`` SDK accepts it; ``BadRequestError`` for anything else."""
    if file is None:
        raise _bad_request("`file` is required", model)
    content_type = None
    if isinstance(file, tuple):
        if len(file) < 2:
            raise _bad_request("a `file` tuple is (filename, content[, content_type])", model)
        name, data = _read(file[1], model)
        name = file[0] or name
        if len(file) > 2:
            content_type = file[2]
    else:
        name, data = _read(file, model)
    if not data:
        raise _bad_request("`file` is empty", model)
    return name or _name_for(data), data, content_type


def _speech(model, input, kwargs):
    content, content_type, hidden = _llmrelay._speech(model, input, **kwargs)
    return HttpxBinaryResponseContent(content, content_type, hidden)


async def _aspeech(model, input, kwargs):
    content, content_type, hidden = await _llmrelay._aspeech(model, input, **kwargs)
    return HttpxBinaryResponseContent(content, content_type, hidden)


def speech(model=None, input=None, voice=None, **kwargs):
    """LiteLLM's ``speech``: OpenAI's ``/audio/speech``; an
    :class:`HttpxBinaryResponseContent` whose ``_hidden_params["response_cost"]``
    is priced per input character."""
    kwargs["voice"] = voice
    return llmrelay._endpoint("speech", _speech, model or "", input, kwargs)


async def aspeech(model=None, input=None, voice=None, **kwargs):
    """LiteLLM's ``aspeech``."""
    kwargs["voice"] = voice
    return await llmrelay._aendpoint("aspeech", _aspeech, model or "", input, kwargs)


def transcription(model=None, file=None, **kwargs):
    """LiteLLM's ``transcription``: OpenAI's ``/audio/transcriptions``; a
    ``TranscriptionResponse`` priced per second of audio."""
    model = model or ""
    name, data, content_type = read_file(file, model)

    def call(model, _file, kwargs):
        return _llmrelay._transcription(model, name, data, content_type, **kwargs)

    return llmrelay._endpoint("transcription", call, model, file, kwargs)


async def atranscription(model=None, file=None, **kwargs):
    """LiteLLM's ``atranscription``."""
    model = model or ""
    name, data, content_type = read_file(file, model)

    async def call(model, _file, kwargs):
        return await _llmrelay._atranscription(model, name, data, content_type, **kwargs)

    return await llmrelay._aendpoint("atranscription", call, model, file, kwargs)
