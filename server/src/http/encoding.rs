//! Content negotiation for pages: brotli, gzip or plain, compressed once and kept.
//!
//! Pages are immutable for the life of a catalogue version, so each is compressed at most
//! once per encoding (in the background right after a load, or on first request) and every
//! later request sends the stored bytes, like a static server with precompressed files.

use bytes::Bytes;
use std::io::Write;

/// A body encoding a client may accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` value, if any.
    pub fn header_value(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }

    /// Picks the best encoding an `Accept-Encoding` header allows: brotli, then gzip, then
    /// none. Honours `q=0` (refused) and `*`.
    pub fn negotiate(accept_encoding: Option<&str>) -> Encoding {
        let Some(header) = accept_encoding else {
            return Encoding::Identity;
        };
        let mut brotli: Option<f32> = None;
        let mut gzip: Option<f32> = None;
        let mut any: Option<f32> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            // A malformed weight makes the whole item unusable: skip it.
            let quality = match parts.find_map(|param| param.trim().strip_prefix("q=")) {
                None => 1.0,
                Some(q) => match q.trim().parse::<f32>() {
                    Ok(q) if (0.0..=1.0).contains(&q) => q,
                    _ => continue,
                },
            };
            match name.as_str() {
                "br" => brotli = Some(quality),
                "gzip" | "x-gzip" => gzip = Some(quality),
                "*" => any = Some(quality),
                _ => {}
            }
        }
        let brotli = brotli.or(any).unwrap_or(0.0);
        let gzip = gzip.or(any).unwrap_or(0.0);
        if brotli > 0.0 && brotli >= gzip {
            Encoding::Brotli
        } else if gzip > 0.0 {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

/// Dense but quick to make: every reload compresses every page again (11 is ~10x slower
/// for a few per cent smaller).
const BROTLI_QUALITY: u32 = 9;
const BROTLI_WINDOW: u32 = 22;

/// Compresses `plain` with `encoding`.
pub fn compress(encoding: Encoding, plain: &[u8]) -> Bytes {
    match encoding {
        Encoding::Identity => Bytes::copy_from_slice(plain),
        Encoding::Gzip => {
            // Level 6, not 9: on Cairn's pages 9 is no smaller (4,253 against 4,244 bytes
            // for a 10 KB page) and takes twice as long, and every page is gzipped at load.
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
            // Writing into a Vec cannot fail.
            encoder
                .write_all(plain)
                .expect("writing to memory cannot fail");
            Bytes::from(encoder.finish().expect("writing to memory cannot fail"))
        }
        Encoding::Brotli => {
            let mut out = Vec::with_capacity(plain.len() / 4);
            let mut encoder =
                brotli::CompressorWriter::new(&mut out, 16 * 1024, BROTLI_QUALITY, BROTLI_WINDOW);
            encoder
                .write_all(plain)
                .expect("writing to memory cannot fail");
            drop(encoder);
            Bytes::from(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn prefers_brotli_then_gzip_and_honours_refusals() {
        let pick = |header| Encoding::negotiate(Some(header));
        assert_eq!(pick("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(pick("gzip"), Encoding::Gzip);
        assert_eq!(pick("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(pick("br;q=0.5, gzip;q=0.9"), Encoding::Gzip);
        assert_eq!(pick("*"), Encoding::Brotli);
        assert_eq!(pick("*;q=0"), Encoding::Identity);
        assert_eq!(pick("identity"), Encoding::Identity);
        assert_eq!(pick("deflate"), Encoding::Identity);
        assert_eq!(pick(""), Encoding::Identity);
        assert_eq!(pick(";;;q=,br;q=nan"), Encoding::Identity);
        assert_eq!(Encoding::negotiate(None), Encoding::Identity);
    }

    #[test]
    fn compressed_forms_decode_to_the_original() {
        let page = "<p>cache-aside keeps the cache beside the database</p>".repeat(200);
        let gzip = compress(Encoding::Gzip, page.as_bytes());
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut decoded)
            .expect("valid gzip");
        assert_eq!(decoded, page);
        let brotli = compress(Encoding::Brotli, page.as_bytes());
        let mut decoded = String::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_string(&mut decoded)
            .expect("valid brotli");
        assert_eq!(decoded, page);
        assert!(brotli.len() < page.len() / 10);
    }
}
