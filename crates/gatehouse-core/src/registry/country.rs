//! Countries: ISO 3166-1 alpha-2 codes with their English and French names,
//! from Debian's iso-codes (see `assets/countries.tsv`), plus the usual
//! other names, so "Turquie", "Türkiye", "Turkey" and "TR" all resolve.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::lang::Lang;
use crate::registry::fold::fold;

const TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/countries.tsv"
));

#[derive(Debug)]
pub struct Country {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_fr: &'static str,
}

struct Countries {
    list: Vec<Country>,
    by_code: HashMap<&'static str, usize>,
    /// Folded names, other names and lower-case codes.
    by_name: HashMap<String, usize>,
}

static COUNTRIES: LazyLock<Countries> = LazyLock::new(|| {
    let mut c = Countries {
        list: Vec::new(),
        by_code: HashMap::new(),
        by_name: HashMap::new(),
    };
    for line in TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut f = line.split('\t');
        let (Some(code), Some(en), Some(fr)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let i = c.list.len();
        c.list.push(Country {
            code,
            name_en: en,
            name_fr: fr,
        });
        c.by_code.insert(code, i);
        let others = f.next().unwrap_or("").split('|').filter(|s| !s.is_empty());
        // Names first, then other names: a name wins over another country's alias.
        for name in [en, fr].into_iter().chain(others) {
            c.by_name.entry(fold(name)).or_insert(i);
        }
    }
    for (i, country) in c.list.iter().enumerate() {
        c.by_name.insert(country.code.to_ascii_lowercase(), i);
    }
    c
});

/// ICAO 9303's three-letter codes (ISO alpha-3, and ICAO's own: `D` for
/// Germany, `GBD`… for British nationals) to alpha-2 (`assets/icao_states.tsv`).
static ICAO: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/icao_states.tsv"
    ))
    .lines()
    .filter(|l| !l.starts_with('#'))
    .filter_map(|l| l.split_once('\t'))
    .collect()
});

/// The alpha-2 code of an ICAO 9303 issuing state or nationality (`FRA`,
/// `D`), when it names a country the product knows (not `UTO`, `XXA`…).
pub fn from_icao(code: &str) -> Option<&'static str> {
    ICAO.get(code)
        .copied()
        .filter(|c| COUNTRIES.by_code.contains_key(c))
}

/// Every country, in the table's order (by code).
pub fn all() -> &'static [Country] {
    &COUNTRIES.list
}

/// The country's name in `lang`, if `code` is a known alpha-2 code.
pub fn country_name(code: &str, lang: Lang) -> Option<&'static str> {
    let c = &COUNTRIES.list[*COUNTRIES.by_code.get(code)?];
    Some(match lang {
        Lang::Fr => c.name_fr,
        Lang::En => c.name_en,
    })
}

/// The alpha-2 code of a country given by code or by any of its names, in
/// either language, regardless of accents and case.
pub fn resolve(input: &str) -> Option<&'static str> {
    let key = fold(input);
    COUNTRIES.by_name.get(&key).map(|&i| COUNTRIES.list[i].code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_both_languages_and_codes_resolve() {
        for name in ["Turquie", "Türkiye", "Turkey", "TR", "tr", "TURQUIE"] {
            assert_eq!(resolve(name), Some("TR"), "{name}");
        }
        assert_eq!(resolve("Côte d'Ivoire"), Some("CI"));
        assert_eq!(resolve("cote divoire"), Some("CI"));
        assert_eq!(resolve("RDC"), Some("CD"));
        assert_eq!(resolve("Égypte"), Some("EG"));
        assert_eq!(resolve("Maroc"), Some("MA"));
        assert_eq!(resolve("Atlantis"), None);
        assert_eq!(country_name("ML", Lang::Fr), Some("Mali"));
        assert_eq!(country_name("TR", Lang::Fr), Some("Turquie"));
        assert_eq!(country_name("DE", Lang::Fr), Some("Allemagne"));
        assert_eq!(country_name("DE", Lang::En), Some("Germany"));
        assert_eq!(country_name("XX", Lang::En), None);
        assert_eq!(from_icao("FRA"), Some("FR"));
        assert_eq!(from_icao("D"), Some("DE"));
        assert_eq!(from_icao("GBD"), Some("GB"));
        assert_eq!(from_icao("UTO"), None);
    }

    #[test]
    fn every_name_resolves_back_to_its_own_code() {
        assert!(all().len() > 240);
        for c in all() {
            assert_eq!(resolve(c.name_en), Some(c.code), "{}", c.name_en);
            assert_eq!(resolve(c.name_fr), Some(c.code), "{}", c.name_fr);
        }
    }
}
