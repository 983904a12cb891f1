//! How a message's parameter is said in a language (a leaf: the types a
//! message names implement it without importing the catalogue).

use crate::lang::Lang;

/// A parameter as a message says it in a language.
pub trait Say {
    fn say(&self, lang: Lang) -> String;
}

impl Say for String {
    fn say(&self, _: Lang) -> String {
        self.clone()
    }
}

impl Say for u64 {
    fn say(&self, _: Lang) -> String {
        self.to_string()
    }
}

impl Say for i64 {
    fn say(&self, _: Lang) -> String {
        self.to_string()
    }
}
