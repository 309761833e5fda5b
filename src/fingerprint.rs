//! Non-secret fingerprints of public key material, kept so reuse can be spotted after the key
//! itself is dropped; and a stable hash of any bytes, for keys and comparisons that outlive a
//! build.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};

/// The OpenSSH fingerprint (`SHA256:…`) of a public key line such as `ssh-ed25519 AAAA… comment`,
/// the same text `ssh-keygen -lf` prints. `None` when the line is not a public key.
pub fn ssh_public_key(line: &str) -> Option<String> {
    let blob = line.split_whitespace().nth(1)?;
    let bytes = STANDARD.decode(blob).ok()?;
    Some(format!(
        "SHA256:{}",
        STANDARD_NO_PAD.encode(Sha256::digest(&bytes))
    ))
}

/// FNV-1a, 64 bits: the same across builds and platforms, unlike the standard hasher.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_match_ssh_keygen() {
        // What `ssh-keygen -lf` prints for this key.
        let key =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDZPlNEptZ5KA5K5LXuNbeulkINljQ6dmESvWBA2Zr1A test";
        assert_eq!(
            ssh_public_key(key).as_deref(),
            Some("SHA256:le/rvcJ3LX3CYDt7uQxDwh9lmnlRI9rJv3iATnsFlSc")
        );
        assert_eq!(ssh_public_key("not a key"), None);
    }
}
