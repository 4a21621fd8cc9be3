//! Time handling: event timestamps as microseconds since the Unix epoch (what the store
//! keeps and compares), RFC 3339 parsing at indexing speed, the partial dates an analyst
//! types (`2020-03-04`, `2020-03-04T18:00`), durations (`15m`, `7d`) and `now-15m`.

pub const MICROS_PER_SEC: i64 = 1_000_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Formats microseconds as RFC 3339 UTC with six fractional digits, like aurora-norm.
pub fn format_ts(micros: i64) -> String {
    let secs = micros.div_euclid(MICROS_PER_SEC);
    let frac = micros.rem_euclid(MICROS_PER_SEC);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{frac:06}Z",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, n: usize) -> Option<i64> {
        let s = self.b.get(self.i..self.i + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(s.iter().fold(0, |a, c| a * 10 + i64::from(c - b'0')))
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
}

/// A point in time as typed, with the length of the unit it was given to: `2020-03-04`
/// covers a day, `2020-03-04T18:00` a minute. Ranges use `start..start+span`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSpan {
    pub start: i64,
    pub span: i64,
}

impl TimeSpan {
    pub fn end(&self) -> i64 {
        self.start.saturating_add(self.span)
    }
}

/// Parses `YYYY-MM-DD[( |T)HH:MM[:SS[.f{1,9}]]][Z|±HH:MM|±HHMM]`; no zone means UTC.
pub fn parse_span(text: &str) -> Option<TimeSpan> {
    let mut c = Cursor {
        b: text.trim().as_bytes(),
        i: 0,
    };
    let y = c.digits(4)?;
    c.eat(b'-').then_some(())?;
    let mo = c.digits(2)?;
    c.eat(b'-').then_some(())?;
    let d = c.digits(2)?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut micros = days_from_civil(y, mo, d) * 86_400 * MICROS_PER_SEC;
    let mut span = 86_400 * MICROS_PER_SEC;
    if c.eat(b'T') || c.eat(b't') || c.eat(b' ') {
        let h = c.digits(2)?;
        c.eat(b':').then_some(())?;
        let mi = c.digits(2)?;
        if h > 23 || mi > 59 {
            return None;
        }
        micros += (h * 3600 + mi * 60) * MICROS_PER_SEC;
        span = 60 * MICROS_PER_SEC;
        if c.eat(b':') {
            let s = c.digits(2)?;
            if s > 60 {
                return None;
            }
            micros += s * MICROS_PER_SEC;
            span = MICROS_PER_SEC;
            if c.eat(b'.') || c.eat(b',') {
                let start = c.i;
                let mut frac = 0i64;
                while let Some(ch) = c.peek().filter(u8::is_ascii_digit) {
                    if c.i - start < 6 {
                        frac = frac * 10 + i64::from(ch - b'0');
                    }
                    c.i += 1;
                }
                let n = c.i - start;
                if n == 0 {
                    return None;
                }
                for _ in n..6 {
                    frac *= 10;
                }
                micros += frac;
                span = 10i64.pow(6u32.saturating_sub(n as u32));
            }
        }
        match c.peek() {
            None => {}
            Some(b'Z' | b'z') => c.i += 1,
            Some(sign @ (b'+' | b'-')) => {
                c.i += 1;
                let oh = c.digits(2)?;
                c.eat(b':');
                let om = c.digits(2)?;
                let off = (oh * 3600 + om * 60) * MICROS_PER_SEC;
                micros += if sign == b'+' { -off } else { off };
            }
            Some(_) => return None,
        }
    }
    (c.i == c.b.len()).then_some(TimeSpan {
        start: micros,
        span,
    })
}

/// Parses an event timestamp to microseconds since the epoch.
pub fn parse_ts(text: &str) -> Option<i64> {
    parse_span(text).map(|s| s.start)
}

/// `15m`, `1h`, `4h`, `24h`, `7d`, `2w`, `30s`, or plain seconds → microseconds.
pub fn parse_duration(text: &str) -> Option<i64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: i64 = num.parse().ok()?;
    let unit_secs = match unit {
        "" | "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" | "hr" | "hrs" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 7 * 86_400,
        _ => return None,
    };
    n.checked_mul(unit_secs)?.checked_mul(MICROS_PER_SEC)
}

/// A time as written in a query or a filter: an absolute time or date, `now`, or
/// `now-15m` / `now+1h`; relative forms count from `now` (microseconds).
pub fn parse_time_expr(text: &str, now: i64) -> Option<TimeSpan> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("now") {
        if rest.is_empty() {
            return Some(TimeSpan {
                start: now,
                span: 1,
            });
        }
        let (sign, dur) = rest.split_at(1);
        let d = parse_duration(dur)?;
        let start = match sign {
            "-" => now - d,
            "+" => now + d,
            _ => return None,
        };
        return Some(TimeSpan { start, span: 1 });
    }
    parse_span(t)
}

/// Microseconds since the epoch of the current wall-clock time.
pub fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_forms() {
        let base = parse_ts("2023-09-18T06:13:41.532140Z").unwrap();
        assert_eq!(format_ts(base), "2023-09-18T06:13:41.532140Z");
        assert_eq!(parse_ts("2023-09-18T06:13:41.532140+00:00"), Some(base));
        assert_eq!(parse_ts("2023-09-18T08:13:41.532140+0200"), Some(base));
        assert_eq!(parse_ts("2023-09-18T02:13:41.53214-04:00"), Some(base));
        assert_eq!(parse_ts("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(format_ts(-1), "1969-12-31T23:59:59.999999Z");
        for bad in [
            "2023-13-01",
            "2023-09-18T25:00",
            "2023-09-18T06:13:41.Z",
            "x",
            "2023-09-18Tx",
        ] {
            assert_eq!(parse_ts(bad), None, "{bad}");
        }
    }

    #[test]
    fn spans() {
        let d = parse_span("2020-03-04").unwrap();
        assert_eq!(d.span, 86_400 * MICROS_PER_SEC);
        assert_eq!(format_ts(d.start), "2020-03-04T00:00:00.000000Z");
        assert_eq!(
            parse_span("2020-03-04T18:00").unwrap().span,
            60 * MICROS_PER_SEC
        );
        assert_eq!(
            parse_span("2020-03-04 18:00:01").unwrap().span,
            MICROS_PER_SEC
        );
        assert_eq!(parse_span("2020-03-04T18:00:01.5").unwrap().span, 100_000);
    }

    #[test]
    fn durations_and_now() {
        assert_eq!(parse_duration("15m"), Some(900 * MICROS_PER_SEC));
        assert_eq!(parse_duration("7d"), Some(7 * 86_400 * MICROS_PER_SEC));
        assert_eq!(parse_duration("900"), Some(900 * MICROS_PER_SEC));
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration("5y"), None);
        let now = 10_000 * MICROS_PER_SEC;
        assert_eq!(
            parse_time_expr("now-1h", now).unwrap().start,
            now - 3600 * MICROS_PER_SEC
        );
        assert_eq!(parse_time_expr("now", now).unwrap().start, now);
        assert_eq!(parse_time_expr("now*1h", now), None);
    }
}
