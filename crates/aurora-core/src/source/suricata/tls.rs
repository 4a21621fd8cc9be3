//! EVE `tls` objects: version, SNI, JA3/JA3S, validity and the certificate
//! subject and issuer split into `tls.server.x509.*`.

use super::apps::{Few, Related, write_str_list};
use super::out;
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::source::tape::Value;
use crate::time;
use simd_json::prelude::*;

/// tls.*: version, SNI, certificate subject/issuer (also split into
/// x509 name parts), fingerprint, JA3/JA3S, validity.
pub(super) fn tls<'i>(ev: &mut Event, t: Value<'_, 'i>, rel: &mut Related<'i>) {
    let Some(o) = t.as_object() else { return };
    for (k, v) in o.iter() {
        match k {
            "session_resumed" => {
                if let Some(b) = v.as_bool() {
                    ev.bool(F::TlsResumed, b);
                }
            }
            "ja3" | "ja3s" => {
                let hash = v
                    .as_object()
                    .and_then(|h| h.get("hash"))
                    .and_then(|h| h.into_string())
                    .filter(|h| !h.is_empty());
                if let Some(h) = hash {
                    ev.str(
                        if k == "ja3" {
                            F::TlsClientJa3
                        } else {
                            F::TlsServerJa3s
                        },
                        h,
                    );
                    rel.hashes.push((h, false));
                }
            }
            "chain" if v.is_array() => {
                ev.with(F::TlsServerCertificateChain, |b| out::write_clean(b, v));
            }
            _ => {}
        }
        let Some(s) = v.into_string().filter(|s| !s.is_empty()) else {
            continue;
        };
        match k {
            "subject" => {
                ev.str(F::TlsServerSubject, s);
                x509_name(ev, s, &SUBJECT_PATHS);
            }
            "issuerdn" => {
                ev.str(F::TlsServerIssuer, s);
                x509_name(ev, s, &ISSUER_PATHS);
            }
            "fingerprint" => {
                ev.with(F::TlsServerHashSha1, |b| out::write_hex_upper(b, s));
                rel.hashes.push((s, true));
            }
            "sni" => {
                let sni = s.strip_suffix('.').unwrap_or(s);
                if !sni.is_empty() {
                    ev.str(F::TlsClientServerName, sni);
                    rel.domain.get_or_insert(sni);
                }
            }
            "version" => tls_version(ev, s),
            "serial" => ev.with(F::TlsServerX509SerialNumber, |b| out::write_no_colons(b, s)),
            "notbefore" | "notafter" => {
                if let Some(t) = time::parse_iso8601(s).map(|p| p.utc(0)) {
                    let (f, x) = if k == "notbefore" {
                        (F::TlsServerNotBefore, F::TlsServerX509NotBefore)
                    } else {
                        (F::TlsServerNotAfter, F::TlsServerX509NotAfter)
                    };
                    ev.time(f, t);
                    ev.time(x, t);
                }
            }
            "certificate" => ev.str(F::TlsServerCertificate, s),
            _ => {}
        }
    }
}

/// `TLS 1.2` → tls.version_protocol `tls`, tls.version `1.2`; `SSLv3` →
/// `ssl`, `3.0`. `UNDETERMINED` says nothing.
fn tls_version(ev: &mut Event, s: &str) {
    if let Some((p, v)) = s.split_once(' ') {
        ev.with(F::TlsVersionProtocol, |b| out::write_lower(b, p));
        ev.str_nonempty(F::TlsVersion, v);
    } else if let Some(v) = s.strip_prefix("SSLv") {
        ev.str(F::TlsVersionProtocol, "ssl");
        ev.with(F::TlsVersion, |b| {
            b.push(b'"');
            json::escape_into(b, v.as_bytes());
            if !v.contains('.') {
                b.extend_from_slice(b".0");
            }
            b.push(b'"');
        });
    }
}

type NamePaths = [(&'static str, F); 6];
const SUBJECT_PATHS: NamePaths = [
    ("CN", F::TlsServerX509SubjectCommonName),
    ("C", F::TlsServerX509SubjectCountry),
    ("L", F::TlsServerX509SubjectLocality),
    ("O", F::TlsServerX509SubjectOrganization),
    ("OU", F::TlsServerX509SubjectOrganizationalUnit),
    ("ST", F::TlsServerX509SubjectStateOrProvince),
];
const ISSUER_PATHS: NamePaths = [
    ("CN", F::TlsServerX509IssuerCommonName),
    ("C", F::TlsServerX509IssuerCountry),
    ("L", F::TlsServerX509IssuerLocality),
    ("O", F::TlsServerX509IssuerOrganization),
    ("OU", F::TlsServerX509IssuerOrganizationalUnit),
    ("ST", F::TlsServerX509IssuerStateOrProvince),
];

/// Splits a distinguished name as Suricata prints it (`CN=a, O=Acme U.S.A.,
/// INC., C=US`) into its attributes. A `, ` separates attributes only when
/// `KEY=` follows, so commas inside values survive.
fn dn_parts(dn: &str) -> Few<(&str, &str), 16> {
    let mut parts = Few::default();
    let mut start = 0;
    let bytes = dn.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b',' && bytes[i + 1] == b' ' {
            let key_len = bytes[i + 2..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            if key_len > 0 && bytes.get(i + 2 + key_len) == Some(&b'=') {
                parts.push_part(&dn[start..i]);
                start = i + 2;
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    parts.push_part(&dn[start..]);
    parts
}

impl<'a> Few<(&'a str, &'a str), 16> {
    fn push_part(&mut self, rdn: &'a str) {
        if let Some((k, v)) = rdn.split_once('=')
            && self.n < 16
        {
            // Repeated attributes (two OUs) are all kept: no dedupe here.
            self.items[self.n] = Some((k.trim(), v.trim()));
            self.n += 1;
        }
    }
}

fn x509_name(ev: &mut Event, dn: &str, paths: &NamePaths) {
    let parts = dn_parts(dn);
    for &(key, field) in paths {
        if parts.iter().any(|(k, _)| k == key) {
            ev.with(field, |b| {
                write_str_list(b, parts.iter().filter(|(k, _)| *k == key).map(|(_, v)| v))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinguished_names() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "C=US, ST=New York, L=New York City, O=Acme U.S.A., INC., CN=update.acme.com",
                &[
                    ("C", "US"),
                    ("ST", "New York"),
                    ("L", "New York City"),
                    ("O", "Acme U.S.A., INC."),
                    ("CN", "update.acme.com"),
                ],
            ),
            ("CN=*.icloud.com", &[("CN", "*.icloud.com")]),
            ("garbage without equals", &[]),
            ("", &[]),
        ];
        for (dn, want) in cases {
            let got: Vec<_> = dn_parts(dn).iter().collect();
            assert_eq!(&got, want, "{dn}");
        }
    }
}
