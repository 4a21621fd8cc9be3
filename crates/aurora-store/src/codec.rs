//! How event documents are stored: zstd-compressed JSON, with a dictionary trained on the
//! store's own first events. ECS documents repeat the same keys and values, so a shared
//! dictionary shrinks them several times over; that keeps the store near the size of the
//! raw input and makes indexing write far less.
//!
//! A stored document is `[format][u32 LE length][bytes]`: format 0 = plain JSON, 1 = zstd
//! with the store's dictionary (table `meta`, key `zstd_dict`), 2 = zstd without one
//! (events indexed before the dictionary existed), 3 = a bare zstd frame with the store's
//! dictionary: no magic number, dictionary id or content size, which the store knows
//! already (9 bytes of a ~250-byte document). Encoders write 2 and 3; 1 is still read.

use zstd::zstd_safe::{CParameter, DParameter, FrameFormat};

use std::io;

use zstd::bulk::{Compressor, Decompressor};

pub const RAW: u8 = 0;
pub const DICT: u8 = 1;
pub const PLAIN: u8 = 2;
pub const DICT_BARE: u8 = 3;

/// Level 3: 6% smaller than level 1 for 10% more time, on the parser thread, which has
/// time to spare; above 3 zstd slows down several times for no gain on small documents.
const LEVEL: i32 = 3;
/// Bytes of dictionary to train.
const DICT_SIZE: usize = 64 * 1024;

pub struct Encoder {
    dict: Option<Compressor<'static>>,
    plain: Compressor<'static>,
}

impl Encoder {
    pub fn new(dict: Option<&[u8]>) -> io::Result<Self> {
        let dict = match dict {
            Some(d) => {
                let mut c = Compressor::with_dictionary(LEVEL, d)?;
                c.set_parameter(CParameter::Format(FrameFormat::Magicless))?;
                c.set_parameter(CParameter::DictIdFlag(false))?;
                c.set_parameter(CParameter::ContentSizeFlag(false))?;
                Some(c)
            }
            None => None,
        };
        Ok(Encoder {
            dict,
            plain: Compressor::new(LEVEL)?,
        })
    }

    pub fn has_dict(&self) -> bool {
        self.dict.is_some()
    }

    pub fn encode(&mut self, doc: &str) -> io::Result<Vec<u8>> {
        let (format, c) = match self.dict.as_mut() {
            Some(c) => (DICT_BARE, c),
            None => (PLAIN, &mut self.plain),
        };
        let body = c.compress(doc.as_bytes())?;
        let mut out = Vec::with_capacity(body.len() + 5);
        out.push(format);
        out.extend_from_slice(&(doc.len() as u32).to_le_bytes());
        out.extend_from_slice(&body);
        Ok(out)
    }
}

pub struct Decoder {
    dict: Option<Decompressor<'static>>,
    bare: Option<Decompressor<'static>>,
    plain: Decompressor<'static>,
}

impl Decoder {
    pub fn new(dict: Option<&[u8]>) -> io::Result<Self> {
        let bare = match dict {
            Some(d) => {
                let mut dec = Decompressor::with_dictionary(d)?;
                dec.set_parameter(DParameter::Format(FrameFormat::Magicless))?;
                Some(dec)
            }
            None => None,
        };
        Ok(Decoder {
            dict: dict.map(Decompressor::with_dictionary).transpose()?,
            bare,
            plain: Decompressor::new()?,
        })
    }

    /// The JSON text of a stored document.
    pub fn decode(&mut self, blob: &[u8]) -> io::Result<String> {
        let bad = |m: &str| io::Error::new(io::ErrorKind::InvalidData, m.to_string());
        let (&format, rest) = blob.split_first().ok_or_else(|| bad("empty document"))?;
        if format == RAW {
            return String::from_utf8(rest.to_vec()).map_err(|_| bad("document is not UTF-8"));
        }
        let len = u32::from_le_bytes(
            rest.get(..4)
                .ok_or_else(|| bad("short document"))?
                .try_into()
                .expect("4 bytes"),
        ) as usize;
        let d = match format {
            DICT => self
                .dict
                .as_mut()
                .ok_or_else(|| bad("document needs the store dictionary, which is missing"))?,
            DICT_BARE => self
                .bare
                .as_mut()
                .ok_or_else(|| bad("document needs the store dictionary, which is missing"))?,
            PLAIN => &mut self.plain,
            _ => return Err(bad("unknown document format")),
        };
        let bytes = d.decompress(&rest[4..], len)?;
        String::from_utf8(bytes).map_err(|_| bad("document is not UTF-8"))
    }
}

/// Trains a dictionary from sample documents.
pub fn train(samples: &[Vec<u8>]) -> io::Result<Vec<u8>> {
    zstd::dict::from_samples(samples, DICT_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_and_without_a_dictionary() {
        let docs: Vec<String> = (0..500)
            .map(|i| format!(r#"{{"@timestamp":"2023-09-18T06:13:{:02}.000000Z","event":{{"kind":"alert","n":{i}}},"source":{{"ip":"10.0.0.{}"}}}}"#, i % 60, i % 250))
            .collect();
        let samples: Vec<Vec<u8>> = docs.iter().map(|d| d.as_bytes().to_vec()).collect();
        let dict = train(&samples).unwrap();
        let mut plain = Encoder::new(None).unwrap();
        let mut with = Encoder::new(Some(&dict)).unwrap();
        let mut dec = Decoder::new(Some(&dict)).unwrap();
        for d in &docs {
            let a = plain.encode(d).unwrap();
            let b = with.encode(d).unwrap();
            assert!(b.len() < a.len());
            assert_eq!(dec.decode(&a).unwrap(), *d);
            assert_eq!(dec.decode(&b).unwrap(), *d);
        }
        // Format 1 (schema-2 stores before bare frames) is still read.
        let d = &docs[7];
        let mut old = vec![DICT];
        old.extend_from_slice(&(d.len() as u32).to_le_bytes());
        old.extend(
            Compressor::with_dictionary(LEVEL, &dict)
                .unwrap()
                .compress(d.as_bytes())
                .unwrap(),
        );
        assert_eq!(dec.decode(&old).unwrap(), *d);
        assert!(old.len() > with.encode(d).unwrap().len());
        let mut raw = vec![RAW];
        raw.extend_from_slice(b"{}");
        assert_eq!(dec.decode(&raw).unwrap(), "{}");
        assert!(
            Decoder::new(None)
                .unwrap()
                .decode(&with.encode("{}").unwrap())
                .is_err()
        );
    }
}
