//! The SQL functions every connection to a store has: the value conversions the query
//! compiler emits for fields that are not hot columns, the key rewrites of migrations 2
//! and 3, and `aurora_doc`, which every SQL that reads a stored event goes through.

use std::sync::{Mutex, OnceLock};

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

use crate::error::Result;
use crate::{codec, ip, schema, time};

/// SQL functions the query compiler emits for fields that are not hot columns:
/// `aurora_ip(text)` → key, `aurora_ip_text(key)` → text, `aurora_time(text)` → µs,
/// `aurora_time_text(µs)` → RFC 3339; `aurora_ip_rekey(old key)` for migration 2 and
/// `aurora_aid_rekey(old key, ts)` for migration 3.
pub(crate) fn register_value_functions(conn: &Connection) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("aurora_ip", 1, flags, |ctx| {
        Ok(ctx
            .get_raw(0)
            .as_str()
            .ok()
            .and_then(ip::key_of)
            .map(|k| k.to_vec()))
    })?;
    conn.create_scalar_function("aurora_ip_text", 1, flags, |ctx| {
        Ok(ctx.get_raw(0).as_blob().ok().and_then(ip::text_of))
    })?;
    conn.create_scalar_function("aurora_time", 1, flags, |ctx| {
        Ok(ctx.get_raw(0).as_str().ok().and_then(time::parse_ts))
    })?;
    conn.create_scalar_function("aurora_time_text", 1, flags, |ctx| {
        Ok(ctx.get_raw(0).as_i64().ok().map(time::format_ts))
    })?;
    conn.create_scalar_function("aurora_ip_rekey", 1, flags, |ctx| {
        Ok(ctx
            .get_raw(0)
            .as_blob()
            .ok()
            .and_then(ip::rekey)
            .map(|k| k.to_vec()))
    })?;
    conn.create_scalar_function("aurora_aid_rekey", 2, flags, |ctx| {
        let old = ctx.get_raw(0).as_blob().ok();
        let ts = ctx.get_raw(1).as_i64().ok();
        Ok(match (old.and_then(|b| <[u8; 16]>::try_from(b).ok()), ts) {
            (Some(id), Some(ts)) => crate::doc::dedup_key(ts, id).to_vec(),
            // Already rekeyed, or not a key this code wrote: left as it is.
            _ => old.unwrap_or_default().to_vec(),
        })
    })?;
    Ok(())
}

/// `aurora_doc(blob)` → the event's JSON text; every SQL that reads `doc` goes through it.
pub(crate) fn register_doc_function(conn: &Connection) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    let dict = schema::load_dict(conn)?;
    // Made on first use: digesting the dictionary is most of what opening a store costs,
    // and counts and `top` over hot fields never read a document.
    let decoder: OnceLock<std::result::Result<Mutex<codec::Decoder>, String>> = OnceLock::new();
    conn.create_scalar_function("aurora_doc", 1, flags, move |ctx| {
        let blob = ctx
            .get_raw(0)
            .as_blob()
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
        let decoder = decoder
            .get_or_init(|| {
                codec::Decoder::new(dict.as_deref())
                    .map(Mutex::new)
                    .map_err(|e| format!("store dictionary: {e}"))
            })
            .as_ref()
            .map_err(|e| rusqlite::Error::UserFunctionError(e.clone().into()))?;
        let mut d = decoder.lock().unwrap_or_else(|p| p.into_inner());
        d.decode(blob)
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
    })?;
    Ok(())
}
