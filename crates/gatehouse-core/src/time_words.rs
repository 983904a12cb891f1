//! Times and gaps as the stations' people read them ("11/11/2025 10:42",
//! "3 h 12 min"), in either language: plain functions over a number, which
//! refusals, warnings and screens share.

use jiff::Timestamp;

use crate::lang::Lang;

/// A time as the station's people read it, in this machine's time zone:
/// "11/11/2025 10:42" or "2025-11-11 10:42".
pub fn when_words(ms: i64, lang: Lang) -> String {
    let at = Timestamp::from_millisecond(ms)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::system());
    match lang {
        Lang::Fr => at.strftime("%d/%m/%Y %H:%M").to_string(),
        Lang::En => at.strftime("%Y-%m-%d %H:%M").to_string(),
    }
}

/// A gap as people say it, to the minute: "1 jour", "3 h 12 min", "10 min".
pub fn span_words(ms: i64, lang: Lang) -> String {
    let minutes = (ms.unsigned_abs() + 30_000) / 60_000;
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let day_word = match (lang, days) {
        (Lang::Fr, 1) => "jour",
        (Lang::Fr, _) => "jours",
        (Lang::En, 1) => "day",
        (Lang::En, _) => "days",
    };
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} {day_word}"),
        (d, h, _) => format!("{d} {day_word} {h} h"),
    }
}
