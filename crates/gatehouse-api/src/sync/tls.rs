//! TLS for the hub and for `gatehouse serve` bound beyond loopback: one
//! self-signed certificate per station, made on first use (kept in the
//! database's key folder, the key readable by its owner only, the same
//! across restarts), and a client that trusts exactly that certificate by
//! its SHA-256 fingerprint, which stations pin at pairing. No certificate
//! authority, no names to check: the LAN has neither, and the fingerprint
//! is a stronger pin.

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn tls_error(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("TLS: {e}"))
}

/// A fingerprint as people compare it with a browser's certificate viewer:
/// upper-case byte pairs separated by colons (`AB:CD:…`).
pub fn fingerprint_words(fingerprint: &str) -> String {
    fingerprint
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(":")
}

/// SHA-256 of a certificate, lower-case hex.
pub fn fingerprint(cert_der: &[u8]) -> String {
    hex::encode(Sha256::digest(cert_der))
}

/// The hub's certificate and private key (DER).
pub struct Identity {
    pub cert: Vec<u8>,
    key: Vec<u8>,
}

impl Identity {
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.cert)
    }
}

/// Where a database's TLS certificate and key are kept (its key folder).
fn paths(db: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = crate::db_files::key_dir(db);
    (dir.join("hub-tls.cert.der"), dir.join("hub-tls.key.der"))
}

/// A station that joins a hub from its console gets a new database and key
/// folder in place of its own ([`super::join_fresh::swap`]): its TLS
/// identity goes with it, so browsers that trusted its certificate keep
/// seeing the same one. Nothing to do if `from` has none or `to` has one.
pub fn carry(from: &Path, to: &Path) -> Result<()> {
    let (from_cert, from_key) = paths(from);
    let (to_cert, to_key) = paths(to);
    if to_cert.exists() {
        return Ok(());
    }
    let (Ok(cert), Ok(key)) = (std::fs::read(&from_cert), std::fs::read(&from_key)) else {
        return Ok(());
    };
    crate::db_files::create_key_dir(to)?;
    write_private(&to_key, &key)?;
    std::fs::write(&to_cert, cert)
        .map_err(|e| Error::io(format!("cannot write {}", to_cert.display()), e))
}

/// The station's identity, made on first use and kept in the database's key
/// folder so that restarts keep the fingerprint stations pinned and people
/// compared. The hub and `serve` on one database share it.
pub fn load_or_create(db: &Path) -> Result<Identity> {
    let (cert_path, key_path) = paths(db);
    if let (Ok(cert), Ok(key)) = (std::fs::read(&cert_path), std::fs::read(&key_path)) {
        return Ok(Identity { cert, key });
    }
    crate::db_files::create_key_dir(db)?;
    let made =
        rcgen::generate_simple_self_signed(vec!["gatehouse-hub".to_string()]).map_err(tls_error)?;
    let id = Identity {
        cert: made.cert.der().to_vec(),
        key: made.signing_key.serialize_der(),
    };
    write_private(&key_path, &id.key)?;
    std::fs::write(&cert_path, &id.cert)
        .map_err(|e| Error::io(format!("cannot write {}", cert_path.display()), e))?;
    Ok(id)
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// The hub's server configuration.
pub fn server_config(id: &Identity) -> Result<Arc<rustls::ServerConfig>> {
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(id.cert.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(id.key.clone())),
        )
        .map_err(tls_error)?;
    Ok(Arc::new(config))
}

/// Trusts one certificate, named by its fingerprint; or, for the first
/// request of a pairing by the short code alone ([`seeing_client`]), any
/// certificate whose key signs the handshake, noting its fingerprint so the
/// pairing can check that the hub proves the code over that very one.
#[derive(Debug)]
struct Pinned {
    fingerprint: Option<String>,
    seen: Seen,
    provider: Arc<CryptoProvider>,
}

/// The fingerprints of the certificates a client was shown.
#[derive(Debug, Clone, Default)]
pub struct Seen(Arc<std::sync::Mutex<Vec<String>>>);

impl Seen {
    /// The one certificate shown on every connection so far, if there was
    /// exactly one.
    pub fn only(&self) -> Option<String> {
        let seen = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match seen.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    fn note(&self, fingerprint: String) {
        let mut seen = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !seen.contains(&fingerprint) {
            seen.push(fingerprint);
        }
    }
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let seen = fingerprint(end_entity);
        match &self.fingerprint {
            Some(pinned) if *pinned != seen => Err(rustls::Error::General(format!(
                "the hub's certificate {seen} is not the one paired with ({pinned})"
            ))),
            _ => {
                self.seen.note(seen);
                Ok(ServerCertVerified::assertion())
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A certificate fingerprint as typed or carried by a code: 64 hex digits
/// (colons and case do not matter), lower-case.
pub fn parse_fingerprint(text: &str) -> Result<String> {
    let fingerprint: String = text
        .trim()
        .chars()
        .filter(|c| *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if fingerprint.len() != 64 || !fingerprint.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(crate::messages::Msg::FingerprintFormat {
            fingerprint: text.to_string(),
        }
        .into());
    }
    Ok(fingerprint)
}

/// A client configuration that accepts only the certificate `fingerprint`.
pub fn pinned_client(fingerprint: &str) -> Result<rustls::ClientConfig> {
    let fingerprint = parse_fingerprint(fingerprint)?;
    verifying_client(Some(fingerprint), Seen::default())
}

/// A client configuration that accepts whatever certificate the server
/// shows (its key must still sign the handshake) and notes its fingerprint
/// in `seen`. Only for the first step of a pairing, whose answer is worth
/// nothing unless the hub proves the code over the fingerprint seen
/// (`sync::pairing`).
pub fn seeing_client(seen: Seen) -> Result<rustls::ClientConfig> {
    verifying_client(None, seen)
}

fn verifying_client(fingerprint: Option<String>, seen: Seen) -> Result<rustls::ClientConfig> {
    let provider = provider();
    Ok(
        rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Pinned {
                fingerprint,
                seen,
                provider,
            }))
            .with_no_client_auth(),
    )
}
