//! The sRGB ICC profile a PDF/A file names as its output intent: a version 2 display profile
//! built from the numbers of IEC 61966-2-1 (primaries adapted to the D50 connection space,
//! the sRGB tone curve sampled in a table). No crate we use ships one, and the profile is
//! a few fixed tags, so it is written here; its bytes never change.

/// The profile's description, also the output condition the intent names.
pub(crate) const DESCRIPTION: &str = "sRGB IEC61966-2.1";

/// The profile's bytes.
pub(crate) fn srgb() -> Vec<u8> {
    // Tag data, each 4-byte aligned: (signature, bytes); the three curves share one.
    let curve = curve();
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"desc", description(DESCRIPTION)),
        (b"cprt", text("No copyright, use freely")),
        (b"wtpt", xyz([0.9642, 1.0, 0.8249])),
        (b"rXYZ", xyz([0.4361, 0.2225, 0.0139])),
        (b"gXYZ", xyz([0.3851, 0.7169, 0.0971])),
        (b"bXYZ", xyz([0.1431, 0.0606, 0.7141])),
        (b"rTRC", curve.clone()),
        (b"gTRC", curve.clone()),
        (b"bTRC", curve),
    ];
    let table_len = 4 + 12 * tags.len();
    let mut data = Vec::new();
    let mut entries = Vec::new();
    let mut shared_curve: Option<(u32, u32)> = None;
    for (signature, bytes) in &tags {
        let is_curve = signature.ends_with(b"TRC");
        let (offset, size) = match shared_curve.filter(|_| is_curve) {
            Some(place) => place,
            None => {
                let offset = (128 + table_len + data.len()) as u32;
                data.extend_from_slice(bytes);
                while data.len() % 4 != 0 {
                    data.push(0);
                }
                let place = (offset, bytes.len() as u32);
                if is_curve {
                    shared_curve = Some(place);
                }
                place
            }
        };
        entries.push((**signature, offset, size));
    }
    let size = (128 + table_len + data.len()) as u32;
    let mut out = Vec::with_capacity(size as usize);
    out.extend_from_slice(&size.to_be_bytes());
    out.extend_from_slice(&[0; 4]); // preferred CMM: none
    out.extend_from_slice(&[2, 0x10, 0, 0]); // version 2.1
    out.extend_from_slice(b"mntrRGB XYZ ");
    for part in [2026u16, 1, 1, 0, 0, 0] {
        out.extend_from_slice(&part.to_be_bytes());
    }
    out.extend_from_slice(b"acsp");
    out.extend_from_slice(&[0; 4]); // platform
    out.extend_from_slice(&[0; 4]); // flags
    out.extend_from_slice(&[0; 8]); // device manufacturer and model
    out.extend_from_slice(&[0; 8]); // attributes
    out.extend_from_slice(&[0; 4]); // perceptual intent
    for value in [0.9642, 1.0, 0.8249] {
        out.extend_from_slice(&s15_fixed16(value));
    }
    out.extend_from_slice(&[0; 4]); // creator
    out.extend_from_slice(&[0; 44]); // profile ID and reserved
    debug_assert_eq!(out.len(), 128);
    out.extend_from_slice(&(tags.len() as u32).to_be_bytes());
    for (signature, offset, size) in entries {
        out.extend_from_slice(&signature);
        out.extend_from_slice(&offset.to_be_bytes());
        out.extend_from_slice(&size.to_be_bytes());
    }
    out.extend_from_slice(&data);
    out
}

fn s15_fixed16(value: f64) -> [u8; 4] {
    ((value * 65536.0).round() as i32).to_be_bytes()
}

fn xyz(values: [f64; 3]) -> Vec<u8> {
    let mut out = b"XYZ \0\0\0\0".to_vec();
    for value in values {
        out.extend_from_slice(&s15_fixed16(value));
    }
    out
}

fn text(text: &str) -> Vec<u8> {
    let mut out = b"text\0\0\0\0".to_vec();
    out.extend_from_slice(text.as_bytes());
    out.push(0);
    out
}

/// A `textDescriptionType`: the ASCII description, empty Unicode and ScriptCode parts.
fn description(text: &str) -> Vec<u8> {
    let mut out = b"desc\0\0\0\0".to_vec();
    out.extend_from_slice(&(text.len() as u32 + 1).to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    out.push(0);
    out.extend_from_slice(&[0; 8]); // Unicode language and count
    out.extend_from_slice(&[0; 3]); // ScriptCode code and count
    out.extend_from_slice(&[0; 67]);
    out
}

/// The sRGB tone curve (linear near black, a 2.4 power above), 1,024 samples.
fn curve() -> Vec<u8> {
    const SAMPLES: u32 = 1024;
    let mut out = b"curv\0\0\0\0".to_vec();
    out.extend_from_slice(&SAMPLES.to_be_bytes());
    for i in 0..SAMPLES {
        let v = f64::from(i) / f64::from(SAMPLES - 1);
        let linear = if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        };
        out.extend_from_slice(&((linear * 65535.0).round() as u16).to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_is_a_well_formed_rgb_display_profile() {
        let icc = srgb();
        assert_eq!(
            u32::from_be_bytes(icc[0..4].try_into().unwrap()) as usize,
            icc.len()
        );
        assert_eq!(&icc[12..24], b"mntrRGB XYZ ");
        assert_eq!(&icc[36..40], b"acsp");
        let count = u32::from_be_bytes(icc[128..132].try_into().unwrap()) as usize;
        assert_eq!(count, 9);
        for k in 0..count {
            let at = 132 + 12 * k;
            let offset = u32::from_be_bytes(icc[at + 4..at + 8].try_into().unwrap()) as usize;
            let size = u32::from_be_bytes(icc[at + 8..at + 12].try_into().unwrap()) as usize;
            assert_eq!(offset % 4, 0, "tag {k} aligned");
            assert!(offset + size <= icc.len(), "tag {k} inside the profile");
            let kind = &icc[offset..offset + 4];
            assert!([b"desc", b"text", b"XYZ ", b"curv"].contains(&kind.try_into().unwrap()));
        }
        // The curve is monotonic from black to white.
        let curve = &icc[icc.len() - 2048..];
        let samples: Vec<u16> = curve
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        assert_eq!((samples[0], samples[1023]), (0, 65535));
        assert!(samples.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(srgb(), icc, "the same bytes every time");
    }
}
