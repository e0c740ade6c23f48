//! `multipart/form-data` bodies (RFC 7578), for the endpoints that take a
//! file: text fields and one file part. Small enough to write here rather
//! than pull in a form library for one endpoint.

use bytes::{BufMut, Bytes, BytesMut};

/// A form being built: its boundary and the parts so far.
pub(crate) struct Form {
    boundary: String,
    body: BytesMut,
}

impl Form {
    /// An empty form whose boundary appears in none of `contents` (the
    /// file's bytes and field values the caller will add).
    pub(crate) fn new(contents: &[&[u8]]) -> Form {
        let mut seed = boundary_seed();
        loop {
            let boundary = format!("llmrelay-form-{seed:016x}");
            let needle = boundary.as_bytes();
            let clashes = contents
                .iter()
                .any(|c| c.windows(needle.len()).any(|w| w == needle));
            if !clashes {
                return Form {
                    boundary,
                    body: BytesMut::new(),
                };
            }
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
    }

    /// The `content-type` header value of this form.
    pub(crate) fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// A text field.
    pub(crate) fn text(&mut self, name: &str, value: &str) {
        self.head(name, None, None);
        self.body.put_slice(value.as_bytes());
        self.body.put_slice(b"\r\n");
    }

    /// A file part.
    pub(crate) fn file(&mut self, name: &str, filename: &str, content_type: &str, data: &[u8]) {
        self.head(name, Some(filename), Some(content_type));
        self.body.put_slice(data);
        self.body.put_slice(b"\r\n");
    }

    fn head(&mut self, name: &str, filename: Option<&str>, content_type: Option<&str>) {
        let mut head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{}\"",
            self.boundary,
            quoted(name)
        );
        if let Some(filename) = filename {
            head.push_str(&format!("; filename=\"{}\"", quoted(filename)));
        }
        head.push_str("\r\n");
        if let Some(content_type) = content_type {
            head.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        head.push_str("\r\n");
        self.body.put_slice(head.as_bytes());
    }

    /// The finished body.
    pub(crate) fn finish(mut self) -> Bytes {
        self.body
            .put_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        self.body.freeze()
    }
}

/// A name made safe inside a quoted header parameter: quotes and line
/// breaks percent-encoded, as browsers (and RFC 7578 section 2) do.
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A boundary seed that differs between calls of one process and between processes.
fn boundary_seed() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos
        ^ COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_a_file_frame_between_boundaries() {
        let mut form = Form::new(&[b"RIFF"]);
        let boundary = form.boundary.clone();
        form.text("model", "whisper-1");
        form.file("file", "a \"b\".wav", "audio/wav", b"RIFF");
        let body = form.finish();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a %22b%22.wav\"\r\n\
             Content-Type: audio/wav\r\n\r\nRIFF\r\n--{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8_lossy(&body), expected);
    }

    #[test]
    fn the_boundary_never_occurs_in_the_content() {
        let first = Form::new(&[]).boundary;
        let content = format!("xx{first}yy");
        let form = Form::new(&[content.as_bytes()]);
        assert!(!content.contains(&form.boundary));
    }
}
