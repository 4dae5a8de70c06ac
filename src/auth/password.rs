//! Password hashing with argon2id. Hashing is slow and takes `memory_kib` of memory on purpose:
//! call it off the async workers. At most [`PasswordPolicy::at_once`] hashes run at once in a
//! process (the rest wait their turn), so that a burst of sign-ups cannot exhaust memory.

use std::sync::{Condvar, Mutex, OnceLock};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

#[derive(Debug, Clone, Copy)]
pub struct PasswordPolicy {
    pub memory_kib: u32,
    pub iterations: u32,
    /// How many hashes may run at once in this process; 0 is one per CPU core. The first
    /// policy used in a process sets it.
    pub at_once: usize,
}

/// A counting gate: at most its capacity of holders at once.
struct Gate {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Gate {
    fn pass<T>(&'static self, f: impl FnOnce() -> T) -> T {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
        drop(free);
        let _permit = Permit(self);
        f()
    }
}

/// A place through the gate, given back when dropped (also if hashing panics).
struct Permit(&'static Gate);

impl Drop for Permit {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

fn gate(at_once: usize) -> &'static Gate {
    static GATE: OnceLock<Gate> = OnceLock::new();
    GATE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Gate {
            free: Mutex::new(if at_once == 0 { cores } else { at_once }),
            freed: Condvar::new(),
        }
    })
}

/// A hash of a made-up password for one (memory, iterations) policy, made once.
type DummyHash = ((u32, u32), String);

impl PasswordPolicy {
    fn hasher(&self) -> Result<Argon2<'static>, String> {
        let params =
            Params::new(self.memory_kib, self.iterations, 1, None).map_err(|e| e.to_string())?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    pub fn hash(&self, password: &str) -> Result<String, String> {
        let hasher = self.hasher()?;
        gate(self.at_once).pass(|| {
            hasher
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| e.to_string())
        })
    }

    /// Verify against a stored PHC string; its own parameters are used.
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        gate(self.at_once).pass(|| {
            Argon2::default()
                .verify_password(password.as_bytes(), hash)
                .is_ok()
        })
    }

    /// Check a password against a hash made once with this policy, when the account does not
    /// exist: an unknown email then takes as long as a known one with a wrong password.
    pub fn dummy_verify(&self, password: &str) {
        static DUMMY: OnceLock<Mutex<Vec<DummyHash>>> = OnceLock::new();
        let key = (self.memory_kib, self.iterations);
        let kept = DUMMY.get_or_init(|| Mutex::new(Vec::new()));
        let known = kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, h)| h.clone());
        let hash = match known {
            Some(h) => h,
            None => match self.hash("not-a-real-password") {
                Ok(h) => {
                    let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
                    kept.push((key, h.clone()));
                    h
                }
                Err(_) => return,
            },
        };
        let _ = self.verify(password, &hash);
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
            at_once: 1,
        };
        let h = p.hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(p.verify("correct horse battery", &h));
        assert!(!p.verify("wrong horse battery", &h));
        assert_ne!(h, p.hash("correct horse battery").unwrap(), "salts differ");
    }
}
