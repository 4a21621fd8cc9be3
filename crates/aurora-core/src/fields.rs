//! The ECS field catalogue: every field aurora's parsers set by name.
//!
//! A field is named by a small integer ([`F`]) so that setting one costs
//! nothing and ordering a record's fields is an integer sort. Fields not in
//! the catalogue can still be set by path (see [`crate::event::Event::dyn_str`]);
//! the catalogue is only the fast path, not a limit on the schema.

use std::sync::OnceLock;

macro_rules! ecs_fields {
    ($($name:ident => $path:literal,)*) => {
        /// A catalogued ECS field.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum F { $($name,)* }

        /// Dotted path of each field, indexed by `F as usize`.
        pub const PATHS: &[&str] = &[$($path,)*];

        impl F {
            pub const ALL: &'static [F] = &[$(F::$name,)*];

            /// The field for a dotted path, if catalogued.
            pub fn from_path(path: &str) -> Option<F> {
                match path {
                    $($path => Some(F::$name),)*
                    _ => None,
                }
            }
        }
    };
}

ecs_fields! {
    Timestamp => "@timestamp",
    AgentId => "agent.id",
    AgentName => "agent.name",
    AgentType => "agent.type",
    AuroraCorrelationIds => "aurora.correlation.ids",
    AuroraId => "aurora.id",
    AuroraSeverity => "aurora.severity",
    AuroraSource => "aurora.source",
    AuroraWarnings => "aurora.warnings",
    DestinationAddress => "destination.address",
    DestinationBytes => "destination.bytes",
    DestinationDomain => "destination.domain",
    DestinationIp => "destination.ip",
    DestinationMac => "destination.mac",
    DestinationPackets => "destination.packets",
    DestinationPort => "destination.port",
    DestinationUserName => "destination.user.name",
    DnsAnswers => "dns.answers",
    DnsHeaderFlags => "dns.header_flags",
    DnsId => "dns.id",
    DnsOpCode => "dns.op_code",
    DnsQuestionClass => "dns.question.class",
    DnsQuestionName => "dns.question.name",
    DnsQuestionRegisteredDomain => "dns.question.registered_domain",
    DnsQuestionTopLevelDomain => "dns.question.top_level_domain",
    DnsQuestionType => "dns.question.type",
    DnsResolvedIp => "dns.resolved_ip",
    DnsResponseCode => "dns.response_code",
    DnsType => "dns.type",
    EmailFromAddress => "email.from.address",
    EmailMessageId => "email.message_id",
    EmailSubject => "email.subject",
    EmailToAddress => "email.to.address",
    ErrorMessage => "error.message",
    EventAction => "event.action",
    EventCategory => "event.category",
    EventCode => "event.code",
    EventCreated => "event.created",
    EventDataset => "event.dataset",
    EventDuration => "event.duration",
    EventEnd => "event.end",
    EventId => "event.id",
    EventIngested => "event.ingested",
    EventKind => "event.kind",
    EventModule => "event.module",
    EventOriginal => "event.original",
    EventOutcome => "event.outcome",
    EventProvider => "event.provider",
    EventReason => "event.reason",
    EventSeverity => "event.severity",
    EventStart => "event.start",
    EventTimezone => "event.timezone",
    EventType => "event.type",
    FileDirectory => "file.directory",
    FileExtension => "file.extension",
    FileHashMd5 => "file.hash.md5",
    FileHashSha1 => "file.hash.sha1",
    FileHashSha256 => "file.hash.sha256",
    FileMimeType => "file.mime_type",
    FileMtime => "file.mtime",
    FileName => "file.name",
    FilePath => "file.path",
    FileSize => "file.size",
    GroupId => "group.id",
    GroupName => "group.name",
    HostHostname => "host.hostname",
    HostId => "host.id",
    HostIp => "host.ip",
    HostName => "host.name",
    HostOsName => "host.os.name",
    HttpRequestBodyBytes => "http.request.body.bytes",
    HttpRequestMethod => "http.request.method",
    HttpRequestMimeType => "http.request.mime_type",
    HttpRequestReferrer => "http.request.referrer",
    HttpResponseBodyBytes => "http.response.body.bytes",
    HttpResponseMimeType => "http.response.mime_type",
    HttpResponseStatusCode => "http.response.status_code",
    HttpVersion => "http.version",
    LogFilePath => "log.file.path",
    LogLevel => "log.level",
    LogSyslogAppname => "log.syslog.appname",
    LogSyslogFacilityCode => "log.syslog.facility.code",
    LogSyslogFacilityName => "log.syslog.facility.name",
    LogSyslogHostname => "log.syslog.hostname",
    LogSyslogMsgid => "log.syslog.msgid",
    LogSyslogPriority => "log.syslog.priority",
    LogSyslogProcid => "log.syslog.procid",
    LogSyslogSeverityCode => "log.syslog.severity.code",
    LogSyslogSeverityName => "log.syslog.severity.name",
    LogSyslogStructuredData => "log.syslog.structured_data",
    LogSyslogVersion => "log.syslog.version",
    Message => "message",
    NetworkApplication => "network.application",
    NetworkBytes => "network.bytes",
    NetworkCommunityId => "network.community_id",
    NetworkDirection => "network.direction",
    NetworkIanaNumber => "network.iana_number",
    NetworkPackets => "network.packets",
    NetworkProtocol => "network.protocol",
    NetworkTransport => "network.transport",
    NetworkType => "network.type",
    NetworkVlanId => "network.vlan.id",
    ObserverHostname => "observer.hostname",
    ObserverIngressInterfaceName => "observer.ingress.interface.name",
    ObserverIp => "observer.ip",
    ObserverName => "observer.name",
    ObserverProduct => "observer.product",
    ObserverType => "observer.type",
    ObserverVendor => "observer.vendor",
    ProcessArgs => "process.args",
    ProcessCommandLine => "process.command_line",
    ProcessEntityId => "process.entity_id",
    ProcessExecutable => "process.executable",
    ProcessHashMd5 => "process.hash.md5",
    ProcessHashSha1 => "process.hash.sha1",
    ProcessHashSha256 => "process.hash.sha256",
    ProcessName => "process.name",
    ProcessParentName => "process.parent.name",
    ProcessParentPid => "process.parent.pid",
    ProcessPid => "process.pid",
    ProcessStart => "process.start",
    ProcessUserName => "process.user.name",
    ProcessWorkingDirectory => "process.working_directory",
    RelatedHash => "related.hash",
    RelatedHosts => "related.hosts",
    RelatedIp => "related.ip",
    RelatedUser => "related.user",
    RuleCategory => "rule.category",
    RuleDescription => "rule.description",
    RuleId => "rule.id",
    RuleName => "rule.name",
    RuleReference => "rule.reference",
    RuleRuleset => "rule.ruleset",
    RuleUuid => "rule.uuid",
    RuleVersion => "rule.version",
    ServiceName => "service.name",
    SourceAddress => "source.address",
    SourceBytes => "source.bytes",
    SourceDomain => "source.domain",
    SourceIp => "source.ip",
    SourceMac => "source.mac",
    SourcePackets => "source.packets",
    SourcePort => "source.port",
    SourceUserName => "source.user.name",
    Suricata => "suricata",
    System => "system",
    Tags => "tags",
    ThreatFramework => "threat.framework",
    ThreatTacticId => "threat.tactic.id",
    ThreatTacticName => "threat.tactic.name",
    ThreatTechniqueId => "threat.technique.id",
    ThreatTechniqueName => "threat.technique.name",
    ThreatTechniqueSubtechniqueId => "threat.technique.subtechnique.id",
    ThreatTechniqueSubtechniqueName => "threat.technique.subtechnique.name",
    TlsCipher => "tls.cipher",
    TlsClientJa3 => "tls.client.ja3",
    TlsClientServerName => "tls.client.server_name",
    TlsCurve => "tls.curve",
    TlsEstablished => "tls.established",
    TlsNextProtocol => "tls.next_protocol",
    TlsResumed => "tls.resumed",
    TlsServerCertificate => "tls.server.certificate",
    TlsServerCertificateChain => "tls.server.certificate_chain",
    TlsServerHashSha1 => "tls.server.hash.sha1",
    TlsServerIssuer => "tls.server.issuer",
    TlsServerJa3s => "tls.server.ja3s",
    TlsServerNotAfter => "tls.server.not_after",
    TlsServerNotBefore => "tls.server.not_before",
    TlsServerSubject => "tls.server.subject",
    TlsServerX509IssuerCommonName => "tls.server.x509.issuer.common_name",
    TlsServerX509IssuerCountry => "tls.server.x509.issuer.country",
    TlsServerX509IssuerLocality => "tls.server.x509.issuer.locality",
    TlsServerX509IssuerOrganization => "tls.server.x509.issuer.organization",
    TlsServerX509IssuerOrganizationalUnit => "tls.server.x509.issuer.organizational_unit",
    TlsServerX509IssuerStateOrProvince => "tls.server.x509.issuer.state_or_province",
    TlsServerX509NotAfter => "tls.server.x509.not_after",
    TlsServerX509NotBefore => "tls.server.x509.not_before",
    TlsServerX509SerialNumber => "tls.server.x509.serial_number",
    TlsServerX509SubjectCommonName => "tls.server.x509.subject.common_name",
    TlsServerX509SubjectCountry => "tls.server.x509.subject.country",
    TlsServerX509SubjectLocality => "tls.server.x509.subject.locality",
    TlsServerX509SubjectOrganization => "tls.server.x509.subject.organization",
    TlsServerX509SubjectOrganizationalUnit => "tls.server.x509.subject.organizational_unit",
    TlsServerX509SubjectStateOrProvince => "tls.server.x509.subject.state_or_province",
    TlsVersion => "tls.version",
    TlsVersionProtocol => "tls.version_protocol",
    UrlDomain => "url.domain",
    UrlExtension => "url.extension",
    UrlFragment => "url.fragment",
    UrlFull => "url.full",
    UrlOriginal => "url.original",
    UrlPath => "url.path",
    UrlPort => "url.port",
    UrlQuery => "url.query",
    UrlScheme => "url.scheme",
    UserAgentOriginal => "user_agent.original",
    UserDomain => "user.domain",
    UserEffectiveName => "user.effective.name",
    UserId => "user.id",
    UserName => "user.name",
    UserTargetName => "user.target.name",
    Velociraptor => "velociraptor",
    VulnerabilityId => "vulnerability.id",
    Wazuh => "wazuh",
    Zeek => "zeek",
}

/// Per-field facts computed once: output rank (byte order of the path, so
/// that fields sharing a prefix sit together and can nest) and path segments.
pub(crate) struct Catalogue {
    pub rank: Vec<u16>,
    /// The paths in byte order (rank order).
    pub sorted: Vec<&'static str>,
    /// Path segments; equal segment texts share one `&str`, so the
    /// serializer can usually tell them equal by pointer.
    pub segments: Vec<Vec<&'static str>>,
    /// Per field, per parent depth: the JSON that opens it, `"seg":{`.
    pub open_json: Vec<Vec<Vec<u8>>>,
    /// Per field: the JSON key of its leaf, `"leaf":`.
    pub leaf_json: Vec<Vec<u8>>,
    /// Per rank (the serializer walks ranks in order): what it needs to
    /// write that field, in one place (see [`FieldOut`]).
    pub out_by_rank: Vec<FieldOut>,
    /// The longest `FieldOut::key`.
    pub max_key: usize,
}

/// Most parent objects a catalogued path may have (the serializer packs one
/// 8-bit id per parent into a `u64`).
pub(crate) const MAX_PARENTS: usize = 8;

/// How the serializer writes one catalogued field.
#[derive(Clone)]
pub(crate) struct FieldOut {
    /// Lane `d` (bits `8d..8d+8`) holds a nonzero id of the path prefix
    /// made of the first `d + 1` segments, for each parent object; unused
    /// lanes are 0. Two fields share their first `c` parents exactly when
    /// their first `c` lanes are equal.
    pub prefix: u64,
    /// Number of parent objects.
    pub depth: u8,
    /// `"p0":{"p1":{"leaf":`, every parent opened, then the leaf key.
    pub key: Box<[u8]>,
    /// `off[d]`: where parent `d` starts in `key`; `off[depth]` is the leaf.
    pub off: [u8; MAX_PARENTS + 1],
}

pub(crate) fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| {
        let mut order: Vec<usize> = (0..PATHS.len()).collect();
        order.sort_by_key(|&i| PATHS[i]);
        let mut rank = vec![0u16; PATHS.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u16;
        }
        let mut interned: std::collections::HashMap<&'static str, &'static str> =
            Default::default();
        let segments: Vec<Vec<&'static str>> = PATHS
            .iter()
            .map(|p| {
                p.split('.')
                    .map(|s| *interned.entry(s).or_insert(s))
                    .collect()
            })
            .collect();
        let quoted = |s: &str| {
            let mut v = Vec::with_capacity(s.len() + 4);
            crate::json::write_str(&mut v, s);
            v.push(b':');
            v
        };
        let open_json: Vec<Vec<Vec<u8>>> = segments
            .iter()
            .map(|segs| {
                segs[..segs.len() - 1]
                    .iter()
                    .map(|s| {
                        let mut v = quoted(s);
                        v.push(b'{');
                        v
                    })
                    .collect()
            })
            .collect();
        let leaf_json: Vec<Vec<u8>> = segments
            .iter()
            .map(|segs| quoted(segs[segs.len() - 1]))
            .collect();
        let mut prefix_ids: std::collections::HashMap<String, u8> = Default::default();
        let out: Vec<FieldOut> = segments
            .iter()
            .enumerate()
            .map(|(f, segs)| {
                let depth = segs.len() - 1;
                assert!(depth <= MAX_PARENTS, "catalogue path too deep");
                let mut prefix = 0u64;
                let mut key = Vec::new();
                let mut off = [0u8; MAX_PARENTS + 1];
                for d in 0..depth {
                    let next = u8::try_from(prefix_ids.len() + 1)
                        .expect("over 255 parent objects in the catalogue: widen FieldOut::prefix");
                    let id = *prefix_ids.entry(segs[..=d].join(".")).or_insert(next);
                    prefix |= (id as u64) << (8 * d);
                    off[d] = key.len() as u8;
                    key.extend_from_slice(&open_json[f][d]);
                }
                off[depth] = key.len() as u8;
                key.extend_from_slice(&leaf_json[f]);
                assert!(key.len() < 256, "catalogue path too long");
                FieldOut {
                    prefix,
                    depth: depth as u8,
                    key: key.into_boxed_slice(),
                    off,
                }
            })
            .collect();
        let out_by_rank = order.iter().map(|&i| out[i].clone()).collect();
        let max_key = out.iter().map(|o| o.key.len()).max().unwrap_or(0);
        let sorted = order.iter().map(|&i| PATHS[i]).collect();
        Catalogue {
            rank,
            sorted,
            segments,
            open_json,
            leaf_json,
            out_by_rank,
            max_key,
        }
    })
}

impl F {
    #[inline]
    pub fn path(self) -> &'static str {
        PATHS[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &f in F::ALL {
            assert!(seen.insert(f.path()), "duplicate path {}", f.path());
            assert_eq!(F::from_path(f.path()), Some(f));
        }
    }

    #[test]
    fn no_path_is_both_a_leaf_and_an_object() {
        // "a.b" as a value and "a.b.c" under it would write the key twice.
        for a in PATHS {
            for b in PATHS {
                assert!(
                    !(b.len() > a.len() && b.starts_with(a) && b.as_bytes()[a.len()] == b'.'),
                    "{a} is a leaf and a prefix of {b}"
                );
            }
        }
    }
}
