"""speech and transcription (and their async forms) against the testkit's
fake OpenAI over real HTTP: the objects LiteLLM returns, every file shape
the openai SDK accepts, the per-character and per-second costs, and typed
errors for bad input and unsupported providers."""

import asyncio
import io
import struct

import pytest

import llmrelay

KEY = "sk-audio-test"


def wav(samples):
    """A PCM WAV file: 8 kHz, 8-bit mono (8,000 bytes a second)."""
    head = b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVEfmt "
    head += struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8)
    return head + b"data" + struct.pack("<I", len(samples)) + samples


def test_speech_returns_binary_content_priced_per_character(mock_server, tmp_path):
    audio = llmrelay.speech(model="tts-1", input="Hello there, world", voice="alloy", api_base=mock_server, api_key=KEY)
    assert isinstance(audio, llmrelay.HttpxBinaryResponseContent)
    assert audio.content == b"ID3\x04fake-mp3:Hello there, world" == audio.read()
    assert audio.content_type == "audio/mpeg"
    # 16 characters without whitespace, at tts-1's $15 per million.
    assert audio._hidden_params["response_cost"] == pytest.approx(16 * 0.000015)
    assert audio._hidden_params["custom_llm_provider"] == "openai"
    audio.stream_to_file(tmp_path / "a.mp3")
    audio.write_to_file(str(tmp_path / "b.mp3"))
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes() == audio.content
    assert b"".join(audio.iter_bytes(5)) == audio.content


def test_aspeech_wav_and_speed(mock_server):
    audio = asyncio.run(
        llmrelay.aspeech(
            model="openai/tts-1-hd", input="abcd", voice="nova", response_format="wav", speed=1.5, api_base=mock_server, api_key=KEY
        )
    )
    assert audio.content == wav(b"abcd") and audio.content_type == "audio/wav"


def test_transcription_of_an_open_file_is_priced_per_second(mock_server, tmp_path):
    path = tmp_path / "meeting.wav"
    path.write_bytes(wav(b"\x00" * 16_000))  # two seconds
    with open(path, "rb") as f:
        r = llmrelay.transcription(model="whisper-1", file=f, language="en", api_base=mock_server, api_key=KEY)
    assert isinstance(r, llmrelay.TranscriptionResponse)
    assert r.text == "meeting.wav: 16044 bytes"
    # Whisper answers verbose_json unless told otherwise, as with LiteLLM.
    assert r.duration == 2.0 and r.language == "en"
    assert r._hidden_params["response_cost"] == pytest.approx(2 * 0.0001)
    assert r.model_dump()["text"] == r.text and r["text"] == r.text
    assert "_hidden_params" not in r.model_dump()


@pytest.mark.parametrize(
    "file,name",
    [
        (b"ID3" + b"\x01" * 97, "audio.mp3"),
        (("clip.m4a", b"\x00" * 50), "clip.m4a"),
        (("clip.ogg", io.BytesIO(b"OggS" + b"\x00" * 10), "audio/ogg"), "clip.ogg"),
        (io.BytesIO(wav(b"\x00" * 8)), "audio.wav"),
    ],
    ids=["bytes", "tuple", "tuple-with-file-and-type", "nameless-buffer"],
)
def test_every_file_shape_the_openai_sdk_accepts(mock_server, file, name):
    r = llmrelay.transcription(model="whisper-1", file=file, response_format="json", api_base=mock_server, api_key=KEY)
    assert r.text.startswith(name + ": ")


def test_a_path_and_text_formats(mock_server, tmp_path):
    path = tmp_path / "talk.mp3"
    path.write_bytes(b"ID3" + b"\x00" * 10)
    r = llmrelay.transcription(model="whisper-1", file=path, response_format="srt", api_base=mock_server, api_key=KEY)
    assert r.text.startswith("1\n00:00:00,000 --> ") and "talk.mp3: 13 bytes" in r.text


def test_atranscription_bills_a_wav_files_own_length_for_plain_json(mock_server):
    r = asyncio.run(
        llmrelay.atranscription(
            model="openai/whisper-1", file=("n.wav", wav(b"\x00" * 24_000)), response_format="json", api_base=mock_server, api_key=KEY
        )
    )
    assert r.text == "n.wav: 24044 bytes"
    assert r._hidden_params["audio_transcription_duration"] == 3.0
    assert r._hidden_params["response_cost"] == pytest.approx(3 * 0.0001)


@pytest.mark.parametrize(
    "call",
    [
        lambda base: llmrelay.speech(model="tts-1", input="hi", voice=5, api_base=base),
        lambda base: llmrelay.speech(model="tts-1", input="hi", api_base=base),
        lambda base: llmrelay.speech(model="tts-1", voice="alloy", api_base=base),
        lambda base: llmrelay.speech(model="anthropic/claude-3-5-sonnet-20240620", input="hi", voice="alloy", api_base=base),
        lambda base: llmrelay.transcription(model="whisper-1", file=None, api_base=base),
        lambda base: llmrelay.transcription(model="whisper-1", file="talk.mp3", api_base=base),
        lambda base: llmrelay.transcription(model="whisper-1", file=b"", api_base=base),
        lambda base: llmrelay.transcription(model="whisper-1", file=io.StringIO("text"), api_base=base),
        lambda base: llmrelay.transcription(model="whisper-1", file=__import__("pathlib").Path("/no/such.wav"), api_base=base),
        lambda base: llmrelay.transcription(model="cohere/command-r-08-2024", file=b"RIFF", api_base=base),
        lambda base: asyncio.run(llmrelay.atranscription(model="", file=b"RIFF", api_base=base)),
    ],
    ids=[
        "voice-not-a-name", "no-voice", "no-input", "speech-on-anthropic", "no-file", "str-file", "empty-file",
        "text-mode-file", "missing-path", "transcription-on-cohere", "no-model",
    ],
)
def test_bad_input_is_a_bad_request_before_any_io(call):
    # Nothing listens on port 9: a call that got that far would be a connection error.
    with pytest.raises(llmrelay.BadRequestError):
        call("http://127.0.0.1:9")


def test_upstream_refusals_are_typed_and_keyless(mock_server, fake):
    # A voice OpenAI does not have: the upstream's 400.
    with pytest.raises(llmrelay.BadRequestError) as caught:
        llmrelay.speech(model="tts-1", input="hi", voice="robot", api_base=mock_server, api_key=KEY)
    assert "voice" in str(caught.value)
    secret = "sk-audio-never-shown-1234"
    with pytest.raises(llmrelay.RateLimitError) as caught:
        llmrelay.speech(model="openai/status-429", input="hi", voice="alloy", api_base=fake.base_url, api_key=secret, num_retries=0)
    assert caught.value.status_code == 429 and secret not in str(caught.value)


def test_mock_exception_raises_it():
    with pytest.raises(llmrelay.RateLimitError):
        llmrelay.speech(
            model="tts-1", input="x", voice="alloy", mock_response=llmrelay.RateLimitError("slow down", "openai", "tts-1")
        )


def test_type_paths():
    from llmrelay.types.llms.openai import HttpxBinaryResponseContent, OpenAIModerationResponse
    from llmrelay.types.utils import TranscriptionResponse

    assert TranscriptionResponse is llmrelay.TranscriptionResponse
    assert HttpxBinaryResponseContent is llmrelay.HttpxBinaryResponseContent
    assert OpenAIModerationResponse is llmrelay.OpenAIModerationResponse is llmrelay.ModerationResponse
    assert TranscriptionResponse(text="hi").text == "hi"
