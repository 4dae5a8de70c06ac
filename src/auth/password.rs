//! Password hashing with argon2id. Hashing is slow on purpose: call it off the async workers.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

#[derive(Debug, Clone, Copy)]
pub struct PasswordPolicy {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl PasswordPolicy {
    fn hasher(&self) -> Result<Argon2<'static>, String> {
        let params =
            Params::new(self.memory_kib, self.iterations, 1, None).map_err(|e| e.to_string())?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    pub fn hash(&self, password: &str) -> Result<String, String> {
        self.hasher()?
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    }

    /// Verify against a stored PHC string; its own parameters are used.
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        Argon2::default()
            .verify_password(password.as_bytes(), hash)
            .is_ok()
    }

    /// A hash to verify against when the account does not exist, so that a wrong email takes as
    /// long as a wrong password.
    pub fn dummy_verify(&self, password: &str) {
        if let Ok(h) = self.hash("not-a-real-password") {
            let _ = self.verify(password, &h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let p = PasswordPolicy {
            memory_kib: 256,
            iterations: 1,
        };
        let h = p.hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(p.verify("correct horse battery", &h));
        assert!(!p.verify("wrong horse battery", &h));
        assert_ne!(h, p.hash("correct horse battery").unwrap(), "salts differ");
    }
}
