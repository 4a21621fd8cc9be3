//! Turning a syslog stamp into an instant: a year for RFC 3164's year-less
//! stamps, a zone for zone-less ones (IANA rules via chrono-tz, so that a
//! `--tz Europe/Berlin` log reads right on both sides of a DST change).

use super::header::Stamp;
use crate::time::{self, MICROS_PER_SEC, Micros};
use chrono::{NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

/// A time zone for zone-less stamps, by IANA name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone(Tz);

impl Zone {
    /// Reads an IANA zone name (`Europe/Berlin`, `UTC`, `America/New_York`).
    pub fn parse(name: &str) -> Result<Zone, String> {
        name.parse::<Tz>().map(Zone).map_err(|_| {
            format!(
                "unknown time zone {name:?}: expected an IANA name such as Europe/Berlin or UTC"
            )
        })
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// Offset east of UTC, in seconds, of a wall-clock time in this zone
    /// (`local` is that wall-clock time read as if UTC). A time that occurs
    /// twice (DST ends) takes the first; one that never occurs (DST starts)
    /// takes the offset in force just before the gap.
    fn offset_of_local(&self, local: Micros) -> (i32, bool) {
        let Some(naive) = naive(local) else {
            return (0, false);
        };
        use chrono::LocalResult::*;
        match self.0.offset_from_local_datetime(&naive) {
            Single(o) => (o.fix().local_minus_utc(), true),
            Ambiguous(a, _) => (a.fix().local_minus_utc(), true),
            None => {
                let before = naive - chrono::Duration::hours(3);
                (
                    self.0
                        .offset_from_utc_datetime(&before)
                        .fix()
                        .local_minus_utc(),
                    false,
                )
            }
        }
    }
}

fn naive(local: Micros) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp_micros(local).map(|d| d.naive_utc())
}

/// The instant of a stamp and whether its zone came from the settings.
pub(super) struct Resolved {
    pub utc: Micros,
    pub zone_defaulted: bool,
    /// The wall-clock time does not exist in the zone (skipped by DST).
    pub in_gap: bool,
}

const DAY: Micros = 86_400 * MICROS_PER_SEC;

pub(super) fn resolve(
    stamp: Stamp,
    year: Option<i32>,
    zone: Option<Zone>,
    now: Micros,
) -> Option<Resolved> {
    let to_utc = |local: Micros, offset: Option<i32>| -> Resolved {
        match (offset, zone) {
            (Some(off), _) => Resolved {
                utc: local - off as i64 * MICROS_PER_SEC,
                zone_defaulted: false,
                in_gap: false,
            },
            (None, None) => Resolved {
                utc: local,
                zone_defaulted: true,
                in_gap: false,
            },
            (None, Some(z)) => {
                let (off, exists) = z.offset_of_local(local);
                Resolved {
                    utc: local - off as i64 * MICROS_PER_SEC,
                    zone_defaulted: true,
                    in_gap: !exists,
                }
            }
        }
    };
    match stamp {
        Stamp::Absent | Stamp::Unreadable => None,
        Stamp::Dated { local, offset } => Some(to_utc(local, offset)),
        Stamp::YearLess {
            month,
            day,
            sod,
            micros,
            offset,
        } => {
            let at = |y: i64| {
                time::from_civil(y, month, day, sod / 3600, sod / 60 % 60, sod % 60, micros)
                    .map(|local| to_utc(local, offset))
            };
            if let Some(y) = year {
                return at(y as i64);
            }
            // The latest year that does not put the stamp more than a day
            // past now: December lines read in January go to last year, and
            // Feb 29 goes back to the last leap year.
            let (this_year, _, _) = time::civil_from_days(now.div_euclid(DAY));
            (this_year - 8..=this_year + 1)
                .rev()
                .filter_map(at)
                .find(|r| r.utc <= now + DAY)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Micros {
        time::parse_iso8601(s).unwrap().utc(0)
    }

    fn year_less(month: u32, day: u32, h: u32) -> Stamp {
        Stamp::YearLess {
            month,
            day,
            sod: h * 3600,
            micros: 0,
            offset: None,
        }
    }

    #[test]
    fn year_is_inferred_never_more_than_a_day_ahead() {
        let now = utc("2025-01-02T10:00:00Z");
        let r = resolve(year_less(12, 31, 23), None, None, now).unwrap();
        assert_eq!(
            time::format_rfc3339_micros(r.utc),
            "2024-12-31T23:00:00.000000Z"
        );
        let r = resolve(year_less(1, 3, 5), None, None, now).unwrap();
        assert_eq!(
            time::format_rfc3339_micros(r.utc),
            "2025-01-03T05:00:00.000000Z"
        );
        let r = resolve(year_less(1, 4, 5), None, None, now).unwrap();
        assert_eq!(
            time::format_rfc3339_micros(r.utc),
            "2024-01-04T05:00:00.000000Z"
        );
        // Read on New Year's Eve, a stamp from just after midnight is next year.
        let eve = utc("2024-12-31T23:50:00Z");
        let r = resolve(year_less(1, 1, 0), None, None, eve).unwrap();
        assert_eq!(
            time::format_rfc3339_micros(r.utc),
            "2025-01-01T00:00:00.000000Z"
        );
        let r = resolve(year_less(2, 29, 0), None, None, now).unwrap();
        assert_eq!(
            time::format_rfc3339_micros(r.utc),
            "2024-02-29T00:00:00.000000Z"
        );
        let r = resolve(year_less(6, 1, 0), Some(2019), None, now).unwrap();
        assert_eq!(
            time::format_rfc3339_micros(r.utc),
            "2019-06-01T00:00:00.000000Z"
        );
    }

    #[test]
    fn berlin_across_dst() {
        let z = Some(Zone::parse("Europe/Berlin").unwrap());
        let now = utc("2026-01-01T00:00:00Z");
        let at = |m, d, h| {
            let r = resolve(year_less(m, d, h), Some(2025), z, now).unwrap();
            (time::format_rfc3339_micros(r.utc), r.in_gap)
        };
        assert_eq!(at(1, 15, 12), ("2025-01-15T11:00:00.000000Z".into(), false));
        assert_eq!(at(7, 15, 12), ("2025-07-15T10:00:00.000000Z".into(), false));
        // 2025-03-30 02:30 never happened in Berlin; 2025-10-26 02:30 twice.
        assert_eq!(at(3, 30, 2), ("2025-03-30T01:00:00.000000Z".into(), true));
        assert_eq!(at(10, 26, 2), ("2025-10-26T00:00:00.000000Z".into(), false));
        assert!(Zone::parse("Mars/Olympus").is_err());
    }
}
