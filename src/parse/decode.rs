//! Turning a file's bytes into text: UTF-8 (with or without BOM), UTF-16 with a BOM, and otherwise
//! Windows-1252 (a superset of Latin-1), which never fails. Binary files are refused.
//!
//! Binary or text is decided by a share, not by one byte: in the first [`SAMPLE`] bytes, the NULs,
//! the control bytes that file(1)'s `text_chars` table does not count as text, and (in a file that
//! is not UTF-8) the bytes Windows-1252 leaves undefined. Random or compressed bytes have about 12%
//! of them, text has none; a file under [`BINARY_SHARE`] is text, and its few NULs are dropped.

use std::borrow::Cow;

/// How many leading bytes are looked at when telling binary from text.
const SAMPLE: usize = 64 << 10;
/// The share of suspect bytes (NULs, control bytes, undefined bytes) from which a file is binary.
const BINARY_SHARE: f64 = 0.05;

/// Text decoded from a file's bytes.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text (borrowed when the file is UTF-8 already and has no NUL).
    pub text: Cow<'a, str>,
    /// NUL bytes dropped from a file that is text otherwise.
    pub dropped_nuls: usize,
}

/// Decode `bytes` as text (borrowed when it is UTF-8 already), or say why it is not text.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, &'static str> {
    decode_text(bytes).map(|decoded| decoded.text)
}

/// [`decode`], also telling how many stray NUL bytes were dropped.
pub fn decode_text(bytes: &[u8]) -> Result<Decoded<'_>, &'static str> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes).map(Decoded::owned);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes).map(Decoded::owned);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf8 = std::str::from_utf8(bytes).ok();
    if is_binary(&bytes[..bytes.len().min(SAMPLE)], utf8.is_some()) {
        return Err("binary file");
    }
    let dropped_nuls = bytes.iter().filter(|&&b| b == 0).count();
    let text = match utf8 {
        Some(text) if dropped_nuls == 0 => Cow::Borrowed(text),
        Some(text) => Cow::Owned(text.replace('\0', "")),
        None => Cow::Owned(windows_1252(bytes)),
    };
    Ok(Decoded { text, dropped_nuls })
}

impl Decoded<'_> {
    fn owned(text: String) -> Self {
        Decoded {
            text: Cow::Owned(text),
            dropped_nuls: 0,
        }
    }
}

/// Whether `sample` (a file's first bytes) holds at least [`BINARY_SHARE`] of suspect bytes.
fn is_binary(sample: &[u8], utf8: bool) -> bool {
    let suspect = sample
        .iter()
        .filter(|&&b| match b {
            // file(1): BEL, BS, TAB, LF, VT, FF, CR and ESC are text.
            0x00..=0x06 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F => true,
            0x81 | 0x8D | 0x8F | 0x90 | 0x9D => !utf8,
            _ => false,
        })
        .count();
    suspect as f64 >= BINARY_SHARE * sample.len() as f64 && suspect > 0
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, &'static str> {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| "invalid UTF-16 text")
}

/// Windows-1252: Latin-1 with printable characters in 0x80–0x9F (NULs dropped).
fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .filter_map(|&b| match b {
            0x80..=0x9F => Some(HIGH[usize::from(b - 0x80)]),
            0 => None,
            _ => Some(char::from(b)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{decode, decode_text};

    /// Bytes from a fixed xorshift generator: what compressed or encrypted files look like.
    fn random_bytes(n: usize) -> Vec<u8> {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 56) as u8
            })
            .collect()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("naïve".as_bytes()).unwrap(), "naïve");
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap(), "abc");
    }

    #[test]
    fn latin1_and_windows_1252() {
        assert_eq!(decode(b"caf\xE9 \x93quoted\x94").unwrap(), "café “quoted”");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Ketamine α".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap(), "Ketamine α");
        let mut be = vec![0xFE, 0xFF];
        be.extend("NMDA".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), "NMDA");
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_err());
    }

    #[test]
    fn random_bytes_are_binary() {
        for n in [64, 1000, 20_000, 200_000] {
            assert_eq!(
                decode(&random_bytes(n)).unwrap_err(),
                "binary file",
                "{n} bytes"
            );
            // Without a single NUL (a NUL check alone lets these through as Windows-1252).
            let no_nul: Vec<u8> = random_bytes(n).into_iter().map(|b| b.max(1)).collect();
            assert_eq!(decode(&no_nul).unwrap_err(), "binary file", "{n} bytes");
        }
        // The same bytes after a UTF-8 BOM are no more text.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(random_bytes(20_000));
        assert!(decode(&bom).is_err());
    }

    #[test]
    fn stray_nuls_in_text_are_dropped() {
        let md = b"# Ketamine\n\nKetamine blocks NMDA\0 receptors within hours.\n";
        let decoded = decode_text(md).unwrap();
        assert_eq!(
            decoded.text,
            "# Ketamine\n\nKetamine blocks NMDA receptors within hours.\n"
        );
        assert_eq!(decoded.dropped_nuls, 1);
        let latin1 = b"Caf\xE9 and\0 caf\xE9ine\0, a short note on tea.\n";
        let decoded = decode_text(latin1).unwrap();
        assert_eq!(decoded.text, "Café and caféine, a short note on tea.\n");
        assert_eq!(decoded.dropped_nuls, 2);
        // Plain text without NULs stays borrowed.
        assert!(matches!(
            decode_text(b"plain").unwrap().text,
            std::borrow::Cow::Borrowed("plain")
        ));
    }
}
