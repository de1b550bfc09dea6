//! Credentials that never show up in `Debug`, `Display`, logs or errors.

use std::fmt;

/// A secret string (password, token, session id). `Debug` and `Display` print `******`.
///
/// The value is reachable only through [`Secret::expose`], so every place that sends it is easy to find.
///
/// ```
/// # use faxkit::Secret;
/// let s = Secret::new("hunter2");
/// assert_eq!(format!("{s:?} {s}"), "Secret(******) ******");
/// assert_eq!(s.expose(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value, for the one place that puts it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(******)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("******")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

/// A user name and a password; `Debug` shows the user name only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The account or user name (not secret).
    pub username: String,
    /// The password or API secret.
    pub password: Secret,
}

impl Credentials {
    /// Credentials from a user name and a password.
    ///
    /// ```
    /// # use faxkit::Credentials;
    /// let c = Credentials::new("alice", "s3cret");
    /// assert!(!format!("{c:?}").contains("s3cret"));
    /// ```
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credentials { username: username.into(), password: password.into() }
    }

    /// Reads credentials from two environment variables.
    ///
    /// # Errors
    /// [`crate::Error::InvalidInput`] naming the variable that is missing or empty (never its value).
    pub fn from_env(vendor: &'static str, user_var: &str, password_var: &str) -> crate::Result<Self> {
        Ok(Credentials::new(env_var(vendor, user_var)?, env_var(vendor, password_var)?))
    }
}

/// Reads one required, non-empty environment variable.
///
/// # Errors
/// [`crate::Error::InvalidInput`] naming the variable (never a value).
pub fn env_var(vendor: &'static str, name: &str) -> crate::Result<String> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(crate::Error::invalid_input(vendor, format!("environment variable {name} is not set"))),
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("username", &self.username).field("password", &self.password).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let c = Credentials::new("user", "p@ssw0rd-very-secret");
        for text in [format!("{c:?}"), format!("{:?}", c.password), format!("{}", c.password), format!("{c:#?}")] {
            assert!(!text.contains("p@ssw0rd"), "{text}");
        }
        assert!(format!("{c:?}").contains("user"));
    }

    #[test]
    fn missing_env_var_names_the_variable() {
        let err = env_var("x", "FAXKIT_TEST_SURELY_UNSET_VAR").unwrap_err();
        assert!(err.to_string().contains("FAXKIT_TEST_SURELY_UNSET_VAR"));
    }
}
