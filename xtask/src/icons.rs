//! The extension's icons, drawn at build time: a lens (a ring with a handle) in NHI Lens blue
//! with a risk-red dot, as PNGs at the sizes the manifests name. Drawn rather than committed so
//! the repository holds no binaries.

use std::fs;
use std::path::Path;

/// Writes `icons/<size>.png` for each size into `dir`.
pub fn write(dir: &Path, sizes: &[u32]) -> Result<(), String> {
    let icons = dir.join("icons");
    fs::create_dir_all(&icons).map_err(|e| e.to_string())?;
    for &size in sizes {
        fs::write(icons.join(format!("{size}.png")), png(size, &draw(size)))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// RGBA pixels of the icon, antialiased by 4×4 supersampling.
fn draw(size: u32) -> Vec<u8> {
    let s = size as f32;
    let (cx, cy, r) = (s * 0.42, s * 0.42, s * 0.30);
    let ring = s * 0.09;
    let mut out = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            let (mut blue, mut red) = (0.0f32, 0.0f32);
            for sy in 0..4 {
                for sx in 0..4 {
                    let px = x as f32 + (sx as f32 + 0.5) / 4.0;
                    let py = y as f32 + (sy as f32 + 0.5) / 4.0;
                    let d = ((px - cx).powi(2) + (py - cy).powi(2)).sqrt();
                    let on_ring = (d - r).abs() <= ring / 2.0;
                    // The handle: a thick segment from the ring towards the bottom right.
                    let t = ((px - cx) + (py - cy)) / 2.0;
                    let off = ((px - cx) - (py - cy)).abs() / 2.0_f32.sqrt();
                    let on_handle = t > r * 0.72 && t < s * 0.54 && off < ring * 0.8;
                    let on_dot = d < r * 0.42;
                    if on_dot {
                        red += 1.0;
                    } else if on_ring || on_handle {
                        blue += 1.0;
                    }
                }
            }
            let (blue, red) = (blue / 16.0, red / 16.0);
            let alpha = (blue + red).min(1.0);
            let mix = |b: f32, r: f32| {
                if alpha == 0.0 {
                    0
                } else {
                    ((b * blue + r * red) / alpha) as u8
                }
            };
            out.extend([
                mix(0x1f as f32, 0xd1 as f32),
                mix(0x5f as f32, 0x39 as f32),
                mix(0xbf as f32, 0x1c as f32),
                (alpha * 255.0) as u8,
            ]);
        }
    }
    out
}

/// A PNG of RGBA pixels, compressed with stored deflate blocks (icons are tiny).
fn png(size: u32, rgba: &[u8]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(rgba.len() + size as usize);
    for row in rgba.chunks((size * 4) as usize) {
        raw.push(0);
        raw.extend_from_slice(row);
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend(adler32(&raw).to_be_bytes());

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend(size.to_be_bytes());
    header.extend(size.to_be_bytes());
    header.extend([8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc_input);
    out.extend(crc32(&crc_input).to_be_bytes());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }

    #[test]
    fn an_icon_is_a_png_of_the_right_size() {
        let bytes = png(16, &draw(16));
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&bytes[16..24], &[0, 0, 0, 16, 0, 0, 0, 16]);
    }
}
