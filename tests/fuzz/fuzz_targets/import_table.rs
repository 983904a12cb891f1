//! Fuzzes the import reader: any bytes, named as a CSV or an XLSX file, are
//! read or refused with an error, never a panic or an unbounded allocation.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["inscrits.csv", "inscrits.xlsx"] {
        let _ = gatehouse::registry::import::read_table(data, name);
    }
});
