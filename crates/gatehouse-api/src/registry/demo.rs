//! Synthetic attendees for the demo event: names typical of the countries
//! whose delegations came to BAMEX'25 (the seed article), its Turkish
//! exhibitors as organisations, a delegation per visiting country, every
//! category, and simple drawn portraits for most. Deterministic for a seed:
//! the same seed gives the same people (badge numbers continue from the
//! event's counter, which never goes back).

use std::collections::HashMap;

use image::{Rgb, RgbImage};
use jiff::Timestamp;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::audit;
use crate::error::{Error, Result};
use crate::event::{CategoryCode, EventInfo};
use crate::registry::attendee::{self, check, NewAttendee, Status, Write};
use crate::registry::photo::{self, Photo};
use crate::registry::{country, fold};
use crate::store::Store;

pub const DEFAULT_COUNT: u32 = 200;
pub const DEFAULT_SEED: u64 = 2025;

/// Names of one country: men's and women's given names, family names, the
/// phone prefix, the delegation's name.
struct Origin {
    code: &'static str,
    men: &'static [&'static str],
    women: &'static [&'static str],
    families: &'static [&'static str],
    phone: &'static str,
    delegation: &'static str,
}

const ORIGINS: &[Origin] = &[
    Origin {
        code: "ML",
        men: &[
            "Amadou",
            "Moussa",
            "Oumar",
            "Boubacar",
            "Seydou",
            "Modibo",
            "Bakary",
            "Souleymane",
            "Abdoulaye",
            "Mamadou",
            "Ibrahim Boubacar",
            "Sadio",
        ],
        women: &[
            "Fatoumata",
            "Aminata",
            "Mariam",
            "Aïssata",
            "Kadiatou",
            "Assétou",
            "Oumou",
            "Djénéba",
            "Rokia",
            "Hawa",
        ],
        families: &[
            "Traoré",
            "Keïta",
            "Coulibaly",
            "Diarra",
            "Maïga",
            "Cissé",
            "Touré",
            "Konaté",
            "Sidibé",
            "Goïta",
            "Camara",
            "Sangaré",
            "Diallo",
            "Dembélé",
            "Sissoko",
            "Kanouté",
        ],
        phone: "+223",
        delegation: "Délégation du Mali",
    },
    Origin {
        code: "BF",
        men: &[
            "Issouf", "Salif", "Rasmané", "Adama", "Ibrahim", "Lassané", "Hamidou",
        ],
        women: &[
            "Awa",
            "Mariam",
            "Salimata",
            "Rasmata",
            "Bibata",
            "Adjaratou",
        ],
        families: &[
            "Ouédraogo",
            "Sawadogo",
            "Kaboré",
            "Compaoré",
            "Zongo",
            "Ilboudo",
            "Traoré",
            "Zerbo",
        ],
        phone: "+226",
        delegation: "Délégation du Burkina Faso",
    },
    Origin {
        code: "NE",
        men: &[
            "Abdourahamane",
            "Mahamadou",
            "Ibrahim",
            "Moussa",
            "Salifou",
            "Hassoumi",
        ],
        women: &["Hadiza", "Zeinabou", "Mariama", "Aïchatou", "Haoua"],
        families: &[
            "Tiani", "Issoufou", "Abdou", "Hama", "Boubacar", "Mahamane", "Saïdou", "Moumouni",
        ],
        phone: "+227",
        delegation: "Délégation du Niger",
    },
    Origin {
        code: "CD",
        men: &[
            "Jean-Pierre",
            "Félix",
            "Patrice",
            "Joseph",
            "Christian",
            "Guy-Bertrand",
        ],
        women: &["Grâce", "Espérance", "Judith", "Nathalie", "Bénédicte"],
        families: &[
            "Mbuyi",
            "Kalala",
            "Mukendi",
            "Ilunga",
            "Lukusa",
            "Tshibanda",
            "Kabamba",
            "Nzuzi",
        ],
        phone: "+243",
        delegation: "Délégation de la RD Congo",
    },
    Origin {
        code: "TG",
        men: &["Kossi", "Koffi", "Komlan", "Yao", "Edem"],
        women: &["Yawa", "Afi", "Akossiwa", "Ablavi", "Dzifa"],
        families: &[
            "Agbéko", "Mensah", "Kodjo", "Adjovi", "Amouzou", "Agbodjan", "Lawson",
        ],
        phone: "+228",
        delegation: "Délégation du Togo",
    },
    Origin {
        code: "GH",
        men: &["Kwame", "Kofi", "Yaw", "Kwabena", "Kojo"],
        women: &["Ama", "Akosua", "Abena", "Efua", "Adwoa"],
        families: &[
            "Mensah", "Owusu", "Boateng", "Asante", "Osei", "Appiah", "Amoah",
        ],
        phone: "+233",
        delegation: "Délégation du Ghana",
    },
    Origin {
        code: "NG",
        men: &[
            "Chinedu",
            "Oluwaseun",
            "Emeka",
            "Abubakar",
            "Tunde",
            "Ibrahim",
        ],
        women: &["Ngozi", "Aisha", "Funmilayo", "Chiamaka", "Zainab"],
        families: &[
            "Okafor", "Adeyemi", "Bello", "Okonkwo", "Abubakar", "Eze", "Olawale", "Musa",
        ],
        phone: "+234",
        delegation: "Délégation du Nigeria",
    },
    Origin {
        code: "LY",
        men: &["Mohamed", "Ahmed", "Khaled", "Salem", "Abdelhamid"],
        women: &["Fatima", "Amal", "Hana", "Asma"],
        families: &[
            "Al-Mansouri",
            "Ben Ali",
            "El-Mabrouk",
            "Al-Warfalli",
            "Al-Obeidi",
            "Ghwell",
        ],
        phone: "+218",
        delegation: "Délégation de la Libye",
    },
    Origin {
        code: "MA",
        men: &["Youssef", "Mehdi", "Hicham", "Abdellatif", "Rachid"],
        women: &["Fatima-Zahra", "Salma", "Nadia", "Khadija", "Imane"],
        families: &[
            "El Amrani",
            "Benjelloun",
            "Alaoui",
            "Bennani",
            "El Idrissi",
            "Tazi",
            "Berrada",
        ],
        phone: "+212",
        delegation: "Délégation du Maroc",
    },
    Origin {
        code: "SD",
        men: &["Omar", "Hassan", "Mohamed", "Abdelrahim", "Yasir"],
        women: &["Amna", "Nafisa", "Sara", "Hiba"],
        families: &[
            "Abdelrahman",
            "Osman",
            "El-Tayeb",
            "Hamdan",
            "Babiker",
            "Elhassan",
        ],
        phone: "+249",
        delegation: "Délégation du Soudan",
    },
    Origin {
        code: "EG",
        men: &["Ahmed", "Karim", "Mahmoud", "Mostafa", "Tarek"],
        women: &["Mona", "Yasmin", "Nour", "Heba", "Rania"],
        families: &[
            "Abdel-Fattah",
            "Hassan",
            "El-Sayed",
            "Mostafa",
            "Farouk",
            "Mansour",
            "Shoukry",
        ],
        phone: "+20",
        delegation: "Délégation de l'Égypte",
    },
    Origin {
        code: "QA",
        men: &["Hamad", "Tamim", "Khalifa", "Jassim", "Abdullah"],
        women: &["Noora", "Maryam", "Aisha", "Hessa"],
        families: &[
            "Al-Thani",
            "Al-Kuwari",
            "Al-Attiyah",
            "Al-Marri",
            "Al-Mohannadi",
            "Al-Sulaiti",
        ],
        phone: "+974",
        delegation: "Délégation du Qatar",
    },
    Origin {
        code: "SN",
        men: &[
            "Mamadou",
            "Cheikh",
            "Ousmane",
            "Abdoulaye",
            "Modou",
            "Serigne",
        ],
        women: &["Aïda", "Fatou", "Khady", "Awa", "Ndèye", "Coumba"],
        families: &[
            "Ndiaye", "Diop", "Fall", "Sow", "Ba", "Faye", "Sy", "N'Diaye", "Gueye", "Mbaye",
        ],
        phone: "+221",
        delegation: "Délégation du Sénégal",
    },
    Origin {
        code: "IN",
        men: &["Arjun", "Rahul", "Vikram", "Sanjay", "Rajesh"],
        women: &["Priya", "Ananya", "Kavita", "Deepa", "Lakshmi"],
        families: &[
            "Sharma", "Patel", "Singh", "Iyer", "Reddy", "Nair", "Menon", "Gupta",
        ],
        phone: "+91",
        delegation: "Délégation de l'Inde",
    },
    Origin {
        code: "TR",
        men: &[
            "Mehmet", "Emre", "Oğuz", "İbrahim", "Gökhan", "Mustafa", "Haluk", "Selçuk", "Çağrı",
            "Barış",
        ],
        women: &["Ayşe", "Zeynep", "Şule", "Elif", "Gülşen", "Özlem", "Büşra"],
        families: &[
            "Yılmaz",
            "Kaya",
            "Demir",
            "Şahin",
            "Çelik",
            "Öztürk",
            "Ağaoğlu",
            "Saraç",
            "Aydın",
            "Güneş",
            "Arslan",
            "Doğan",
            "Kılıç",
            "Bayraktar",
        ],
        phone: "+90",
        delegation: "Délégation de la Türkiye (SSB)",
    },
];

/// The exhibitors named in the seed article (all Turkish).
pub const EXHIBITORS: &[&str] = &[
    "Baykar",
    "Aselsan",
    "Roketsan",
    "MKE (Makine ve Kimya Endüstrisi)",
    "STM",
    "Kalekalıp",
    "3E",
    "Sarsılmaz",
    "Atlas",
    "ESSAV",
    "SkyDagger",
    "ZSR",
    "Akıncılar",
    "Hedef Defence",
    "Akdaş Firearms",
];

/// Per category: share of attendees (‰), organisations, job titles, where
/// people come from (country codes, repeated for weight; empty: any origin).
struct Kind {
    code: &'static str,
    per_mille: u32,
    organisations: &'static [&'static str],
    titles: &'static [&'static str],
    origins: &'static [&'static str],
}

const KINDS: &[Kind] = &[
    Kind {
        code: "EXH",
        per_mille: 330,
        organisations: EXHIBITORS,
        titles: &[
            "Export Manager",
            "Sales Director",
            "Business Development Manager",
            "Regional Manager Africa",
            "Ingénieur système",
            "Product Engineer",
            "Technical Support",
        ],
        origins: &["TR", "TR", "TR", "TR", "TR", "TR", "TR", "TR", "TR", "ML"],
    },
    Kind {
        code: "DEL",
        per_mille: 200,
        organisations: &[],
        titles: &[
            "Chef d'état-major",
            "Général de brigade",
            "Colonel",
            "Attaché de défense",
            "Conseiller technique",
            "Directeur du matériel",
            "Lieutenant-colonel",
        ],
        origins: &[],
    },
    Kind {
        code: "VIS",
        per_mille: 190,
        organisations: &[
            "Forces Armées Maliennes",
            "Police nationale du Mali",
            "Garde nationale du Mali",
            "Gendarmerie nationale",
            "Université des Sciences Techniques de Bamako",
            "École de Maintien de la Paix Alioune Blondin Beye",
            "Sahel Logistique SARL",
            "Orange Mali",
            "",
        ],
        titles: &[
            "Officier",
            "Ingénieur",
            "Étudiant",
            "Consultant",
            "Chef d'entreprise",
            "Capitaine",
            "Commandant",
        ],
        origins: &["ML", "ML", "ML", "ML", "ML", "BF", "NE", "SN", "CD", "TG"],
    },
    Kind {
        code: "PRS",
        per_mille: 70,
        organisations: &[
            "ORTM",
            "L'Essor",
            "Studio Tamani",
            "Anadolu Ajansı",
            "TRT Afrika",
            "Jeune Afrique",
            "AFP",
            "Reuters",
            "Al Jazeera",
            "APS",
        ],
        titles: &[
            "Journaliste",
            "Photographe",
            "Reporter",
            "Cameraman",
            "Rédacteur en chef",
        ],
        origins: &["ML", "ML", "ML", "TR", "TR", "SN", "QA", "BF", "MA"],
    },
    Kind {
        code: "VIP",
        per_mille: 40,
        organisations: &[
            "Présidence de la Transition",
            "Primature du Mali",
            "Ambassade de Türkiye au Mali",
            "Savunma Sanayii Başkanlığı (SSB)",
            "Ministère de la Défense et des Anciens Combattants",
            "Commission de l'Union africaine",
        ],
        titles: &[
            "Ministre",
            "Ambassadeur",
            "Secrétaire général",
            "Directeur général",
            "Président",
        ],
        origins: &["ML", "ML", "ML", "TR", "TR", "BF", "NE"],
    },
    Kind {
        code: "STF",
        per_mille: 60,
        organisations: &["Parc des Expositions de Bamako", "BAMEX'25"],
        titles: &[
            "Hôtesse d'accueil",
            "Agent d'accueil",
            "Coordinateur logistique",
            "Technicien",
            "Interprète turc-français",
        ],
        origins: &["ML", "ML", "ML", "ML", "TR"],
    },
    Kind {
        code: "SEC",
        per_mille: 50,
        organisations: &[
            "Garde nationale du Mali",
            "Police nationale du Mali",
            "Sahel Sécurité Privée",
        ],
        titles: &[
            "Agent de sécurité",
            "Chef de poste",
            "Maître-chien",
            "Adjudant",
        ],
        origins: &["ML"],
    },
    Kind {
        code: "ORG",
        per_mille: 35,
        organisations: &["Prontaron Savunma Sanayi", "The Peak Defense", "BAMEX'25"],
        titles: &[
            "Directeur de projet",
            "Chargé de protocole",
            "Responsable accréditations",
            "Chairman",
        ],
        origins: &["TR", "TR", "ML", "ML"],
    },
    Kind {
        code: "CTR",
        per_mille: 25,
        organisations: &[
            "Bamako Événements SARL",
            "Sahel Traiteur",
            "Mali Électricité Services",
            "Stand Teknik İstanbul",
        ],
        titles: &[
            "Électricien",
            "Monteur de stand",
            "Traiteur",
            "Technicien audiovisuel",
        ],
        origins: &["ML", "ML", "ML", "TR"],
    },
];

/// A generated person: the fields, whether they head their delegation, and
/// their portrait (an index into the drawn variants), if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub fields: NewAttendee,
    pub head: bool,
    pub portrait: Option<Portrait>,
}

/// The drawing parameters of a portrait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Portrait {
    skin: u8,
    hair: u8,
    shirt: u8,
    background: u8,
    scarf: bool,
}

fn origin(code: &str) -> &'static Origin {
    ORIGINS
        .iter()
        .find(|o| o.code == code)
        .unwrap_or(&ORIGINS[0])
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    // The lists above are never empty; index 0 keeps this total anyway.
    items.choose(rng).unwrap_or(&items[0])
}

fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// `n` people for `event`, the same for the same `seed`. The first nine
/// cover every category.
pub fn people(n: u32, seed: u64, event: &EventInfo) -> Result<Vec<Person>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let total: u32 = KINDS.iter().map(|k| k.per_mille).sum();
    let mut heads: HashMap<&str, ()> = HashMap::new();
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n as usize {
        let kind = match KINDS.get(i) {
            Some(k) => k,
            None => {
                let mut roll = rng.gen_range(0..total);
                KINDS
                    .iter()
                    .find(|k| {
                        if roll < k.per_mille {
                            true
                        } else {
                            roll -= k.per_mille;
                            false
                        }
                    })
                    .unwrap_or(&KINDS[0])
            }
        };
        let category: CategoryCode = kind.code.parse()?;
        let from = if kind.origins.is_empty() {
            pick(&mut rng, ORIGINS)
        } else {
            origin(pick::<&str>(&mut rng, kind.origins))
        };
        let woman = rng.gen_bool(0.3);
        let given = *if woman {
            pick(&mut rng, from.women)
        } else {
            pick(&mut rng, from.men)
        };
        // Some people carry two given names.
        let given = if rng.gen_bool(0.1) {
            let second = *if woman {
                pick(&mut rng, from.women)
            } else {
                pick(&mut rng, from.men)
            };
            if second == given {
                given.to_string()
            } else {
                format!("{given} {second}")
            }
        } else {
            given.to_string()
        };
        let family = pick(&mut rng, from.families).to_string();
        let (organisation, delegation) = if kind.code == "DEL" {
            let name = country::country_name(from.code, crate::lang::Lang::Fr).unwrap_or(from.code);
            (
                format!("Ministère de la Défense — {name}"),
                Some(from.delegation.to_string()),
            )
        } else {
            ((*pick(&mut rng, kind.organisations)).to_string(), None)
        };
        let head = match &delegation {
            Some(_) => heads.insert(from.delegation, ()).is_none(),
            None => false,
        };
        let title = if head {
            "Chef de délégation"
        } else {
            *pick(&mut rng, kind.titles)
        };
        let domain = fold::words(&organisation)
            .into_iter()
            .next()
            .unwrap_or_else(|| "mail".into());
        let email = format!(
            "{}.{}@{domain}.example",
            fold::words(&given)
                .first()
                .map(String::as_str)
                .unwrap_or("contact"),
            fold::words(&family).concat()
        );
        let phone = format!(
            "{} {} {} {} {}",
            from.phone,
            digits(&mut rng, 2),
            digits(&mut rng, 2),
            digits(&mut rng, 2),
            digits(&mut rng, 2)
        );
        let (doc_type, doc_number) = if from.code != "ML" && rng.gen_bool(0.8) {
            let letters: String = (0..2)
                .map(|_| char::from(b'A' + rng.gen_range(0..26u8)))
                .collect();
            (
                "Passeport".to_string(),
                format!("{letters}{}", digits(&mut rng, 7)),
            )
        } else if rng.gen_bool(0.5) {
            ("CNI".to_string(), digits(&mut rng, 12))
        } else {
            (String::new(), String::new())
        };
        let portrait = rng.gen_bool(0.85).then(|| Portrait {
            skin: if from.code == "TR"
                || from.code == "MA"
                || from.code == "LY"
                || from.code == "EG"
                || from.code == "QA"
            {
                rng.gen_range(0..2)
            } else if from.code == "IN" {
                rng.gen_range(1..3)
            } else {
                rng.gen_range(2..5)
            },
            hair: rng.gen_range(0..3),
            shirt: rng.gen_range(0..6),
            background: rng.gen_range(0..2),
            scarf: woman && rng.gen_bool(0.4),
        });
        let mut fields = NewAttendee::new(&given, &family, category);
        fields.organisation = organisation;
        fields.job_title = title.to_string();
        fields.country = Some(from.code.to_string());
        fields.delegation = delegation;
        fields.email = email;
        fields.phone = phone;
        fields.doc_type = doc_type;
        fields.doc_number = doc_number;
        let fields = check(fields, event).map_err(|e| {
            Error::Internal(format!("demo person {i} does not pass the checks: {e:?}"))
        })?;
        out.push(Person {
            fields,
            head,
            portrait,
        });
    }
    Ok(out)
}

const SKINS: [[u8; 3]; 5] = [
    [241, 204, 170],
    [222, 178, 140],
    [176, 124, 86],
    [128, 84, 54],
    [88, 58, 38],
];
const HAIRS: [[u8; 3]; 3] = [[30, 24, 20], [70, 50, 36], [120, 120, 120]];
const SHIRTS: [[u8; 3]; 6] = [
    [30, 50, 90],
    [25, 25, 30],
    [90, 100, 60],
    [200, 200, 205],
    [120, 30, 40],
    [60, 90, 110],
];
const BACKGROUNDS: [[u8; 3]; 2] = [[214, 226, 236], [232, 230, 222]];

/// Draws a plain portrait: background, shoulders, neck, face, hair or scarf,
/// eyes, mouth. Not a person, but it prints and shows like a photo.
pub fn draw(p: Portrait) -> Result<Photo> {
    let (w, h) = (photo::WIDTH, photo::HEIGHT);
    let skin = SKINS[usize::from(p.skin) % SKINS.len()];
    let hair = HAIRS[usize::from(p.hair) % HAIRS.len()];
    let shirt = SHIRTS[usize::from(p.shirt) % SHIRTS.len()];
    let bg = BACKGROUNDS[usize::from(p.background) % BACKGROUNDS.len()];
    let scarf = [shirt[0] / 2 + 80, shirt[1] / 2 + 40, shirt[2] / 2 + 60];
    let inside = |x: f32, y: f32, cx: f32, cy: f32, rx: f32, ry: f32| {
        let (dx, dy) = ((x - cx) / rx, (y - cy) / ry);
        dx * dx + dy * dy <= 1.0
    };
    let shade = |c: [u8; 3], f: f32| Rgb(c.map(|v| (f32::from(v) * f).min(255.0) as u8));
    let img = RgbImage::from_fn(w, h, |x, y| {
        let (x, y) = (x as f32, y as f32);
        let eye = inside(x, y, 122.0, 195.0, 9.0, 6.0) || inside(x, y, 178.0, 195.0, 9.0, 6.0);
        let mouth = inside(x, y, 150.0, 262.0, 20.0, 5.0);
        let face = inside(x, y, 150.0, 205.0, 68.0, 88.0);
        if face && eye {
            return Rgb([35, 30, 30]);
        }
        if face && mouth {
            return shade(skin, 0.7);
        }
        if p.scarf && inside(x, y, 150.0, 200.0, 88.0, 112.0) && !face {
            return Rgb(scarf);
        }
        if !p.scarf && inside(x, y, 150.0, 150.0, 74.0, 60.0) && y < 165.0 {
            return Rgb(hair);
        }
        if face {
            return shade(skin, 1.0 - (x - 150.0).abs() / 700.0);
        }
        if inside(x, y, 150.0, 470.0, 160.0, 150.0) {
            return shade(shirt, 1.0 - (x - 150.0).abs() / 600.0);
        }
        if (124.0..176.0).contains(&x) && (260.0..340.0).contains(&y) {
            return shade(skin, 0.85);
        }
        shade(bg, 1.0 - y / 2000.0)
    });
    photo::encode(&img)
}

/// What `gatehouse demo --attendees` reports.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DemoPeopleSummary {
    pub attendees: usize,
    pub with_photo: usize,
    pub delegations: usize,
    pub organisations: usize,
    #[ts(type = "number")]
    pub seed: u64,
}

/// Removes every attendee, delegation and organisation (a demo reset); the
/// badge-number counter keeps counting.
pub async fn clear(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("UPDATE delegation SET head_id = NULL")
        .execute(&mut *conn)
        .await?;
    for table in ["search_term", "attendee", "delegation", "organisation"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Replaces the event's attendees by `n` generated people.
pub async fn install(
    store: &Store,
    n: u32,
    seed: u64,
    now: Timestamp,
) -> Result<DemoPeopleSummary> {
    let event = crate::event_store::load(store.read()).await?;
    let people = people(n, seed, &event)?;
    // Draw each portrait variant once, off the async threads.
    let mut variants: Vec<Portrait> = people.iter().filter_map(|p| p.portrait).collect();
    variants.sort_by_key(|p| (p.skin, p.hair, p.shirt, p.background, p.scarf));
    variants.dedup();
    let drawn = tokio::task::spawn_blocking(move || {
        variants
            .into_iter()
            .map(|v| Ok((v, draw(v)?)))
            .collect::<Result<HashMap<Portrait, Photo>>>()
    })
    .await
    .map_err(|e| Error::Internal(format!("portrait worker: {e}")))??;

    let mut tx = store.write().await?;
    clear(&mut tx).await?;
    let serials = attendee::allocate_serials(&mut tx, &event.serial_prefix, n).await?;
    let attendees: Vec<_> = people
        .iter()
        .zip(serials)
        .map(|(p, s)| attendee::fresh(p.fields.clone(), s, Status::Preregistered, "demo", now))
        .collect();
    let mut wanted: Vec<(&str, Option<&str>)> = attendees
        .iter()
        .filter_map(|a| a.delegation.as_deref().map(|d| (d, a.country.as_deref())))
        .collect();
    wanted.sort();
    wanted.dedup_by(|a, b| a.0 == b.0);
    let ids = attendee::delegation_ids(&mut tx, &wanted, now).await?;
    // The exhibitors' organisations come with their people: an event set up
    // with `--attendees 0` starts with none.
    for name in EXHIBITORS.iter().filter(|_| n > 0) {
        sqlx::query("INSERT OR IGNORE INTO organisation (name, folded, country, created_at) VALUES (?, ?, 'TR', ?)")
            .bind(name)
            .bind(fold::fold(name))
            .bind(now.to_string())
            .execute(&mut *tx)
            .await?;
    }
    let writes: Vec<Write> = attendees
        .iter()
        .map(|a| Write {
            attendee: a,
            delegation_id: a.delegation.as_ref().and_then(|d| ids.get(d)),
            photo: None,
        })
        .collect();
    attendee::insert_many(&mut tx, &writes, now, &mut |_| ()).await?;
    // One statement per portrait: the JPEG is bound once, not per person.
    let mut by_portrait: HashMap<Portrait, Vec<u32>> = HashMap::new();
    for (p, a) in people.iter().zip(&attendees) {
        if let Some(v) = p.portrait {
            by_portrait.entry(v).or_default().push(a.serial.number());
        }
        if p.head {
            if let Some(id) = a.delegation.as_ref().and_then(|d| ids.get(d)) {
                sqlx::query("UPDATE delegation SET head_id = ? WHERE id = ?")
                    .bind(a.id.to_string())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    let mut with_photo = 0;
    for (v, numbers) in &by_portrait {
        let p = drawn
            .get(v)
            .ok_or_else(|| Error::Internal("portrait not drawn".into()))?;
        with_photo += numbers.len();
        sqlx::query("UPDATE attendee SET photo = ?, photo_sha256 = ? WHERE serial_no IN (SELECT value FROM json_each(?))")
            .bind(&p.jpeg)
            .bind(p.sha256.as_slice())
            .bind(serde_json::to_string(numbers).map_err(|e| Error::Internal(e.to_string()))?)
            .execute(&mut *tx)
            .await?;
    }
    let organisations: i64 = sqlx::query_scalar("SELECT count(*) FROM organisation")
        .fetch_one(&mut *tx)
        .await?;
    let summary = DemoPeopleSummary {
        attendees: attendees.len(),
        with_photo,
        delegations: ids.len(),
        organisations: usize::try_from(organisations).unwrap_or(0),
        seed,
    };
    audit::append(
        &mut tx,
        now,
        "system",
        "demo.attendees",
        &serde_json::to_value(&summary).map_err(|e| Error::Internal(e.to_string()))?,
    )
    .await?;
    tx.commit().await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{bamex25, BAMEX25_FIRST_DAY};

    #[test]
    fn the_same_seed_gives_the_same_people() -> Result<()> {
        let event = bamex25(BAMEX25_FIRST_DAY)?;
        let a = people(60, 7, &event)?;
        assert_eq!(a, people(60, 7, &event)?);
        assert_ne!(a, people(60, 8, &event)?);
        for k in KINDS {
            assert!(
                a.iter().any(|p| p.fields.category.as_str() == k.code),
                "{}",
                k.code
            );
        }
        assert!(a.iter().any(|p| p.head));
        Ok(())
    }

    #[test]
    fn portraits_are_small_jpegs() -> Result<()> {
        let p = draw(Portrait {
            skin: 3,
            hair: 0,
            shirt: 1,
            background: 0,
            scarf: true,
        })?;
        assert!(p.jpeg.starts_with(&[0xFF, 0xD8]));
        assert!(p.jpeg.len() <= photo::MAX_BYTES);
        Ok(())
    }

    #[tokio::test]
    async fn no_attendees_leaves_no_demo_organisations() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Internal(e.to_string()))?;
        let store = Store::open(&dir.path().join("g.db")).await?;
        let now = Timestamp::now();
        crate::demo::install(&store, crate::demo::BAMEX25_FIRST_DAY, now).await?;
        // A demo with people first, then reset to none: nothing of theirs stays.
        assert!(install(&store, 20, 1, now).await?.organisations > 0);
        let none = install(&store, 0, 1, now).await?;
        assert_eq!(
            (none.attendees, none.organisations, none.delegations),
            (0, 0, 0)
        );
        Ok(())
    }
}
