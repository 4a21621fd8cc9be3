//! Named real-world lines per daemon, checked field by field.

use super::*;
use serde_json::Value;

fn run(line: &str) -> Value {
    let settings = Settings {
        year: Some(2025),
        tz: None,
    };
    let mut ev = Event::new();
    normalize(line, &settings, 0, &mut ev).unwrap_or_else(|e| panic!("{line}: {e}"));
    serde_json::from_str(&ev.to_json_string()).unwrap()
}

#[test]
fn smoke() {
    let v = run("<38>Feb  5 17:32:18 host sshd[123]: Accepted password for bob from 10.0.0.1 port 22 ssh2");
    assert_eq!(v["user"]["name"], "bob");
}
