//! The core's messages: each a kind with its parameters ([`Msg`]), a stable
//! machine key, the wire [`ErrorCode`] it travels under, and its French and
//! English texts, rendered here and nowhere deeper in the core.
//!
//! A refusal is built as `Msg::LastAdmin {}.into()` (an [`Error`]); each shell
//! says it in its user's language ([`Error::text`]): the CLI by `--lang`,
//! `serve` by the request's `Accept-Language`, the window by the screen's
//! language (the wire carries both texts). Adding a message is adding one
//! entry to [`catalogue!`] below; `messages::tests` walks them all.
//!
//! [`Error`]: crate::Error
//! [`Error::text`]: crate::Error::text

use crate::accreditation::StatusWord;
use crate::code::ErrorCode;
use crate::lang::Lang;
use crate::registry::mrz_field::MrzField;
use crate::role::Role;

pub use crate::say::Say;

/// A staff or station role in words ("accueil", not "desk").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleWord(pub Role);

impl Default for RoleWord {
    fn default() -> Self {
        RoleWord(Role::Admin)
    }
}

impl Say for RoleWord {
    fn say(&self, lang: Lang) -> String {
        match self.0 {
            Role::Admin => lang.pick("organisateur", "organiser"),
            Role::Desk => lang.pick("accueil", "desk"),
            Role::Gate => lang.pick("contrôle d'accès", "gate"),
            Role::Supervisor => lang.pick("superviseur", "supervisor"),
            Role::Vetting => lang.pick("accréditation (sécurité)", "vetting (security)"),
        }
        .into()
    }
}

/// Which list a repeated code was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListKind {
    #[default]
    Zone,
    Category,
    Day,
}

impl Say for ListKind {
    fn say(&self, lang: Lang) -> String {
        match self {
            ListKind::Zone => lang.pick("la zone", "zone"),
            ListKind::Category => lang.pick("la catégorie", "category"),
            ListKind::Day => lang.pick("le jour", "day"),
        }
        .into()
    }
}

/// Whether a zone was retired (said after its code in French, before the
/// word "zone" in English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Retired(pub bool);

impl Say for Retired {
    fn say(&self, lang: Lang) -> String {
        match (self.0, lang) {
            (false, _) => "",
            (true, Lang::Fr) => " (retirée)",
            (true, Lang::En) => "retired ",
        }
        .into()
    }
}

/// A column of an imported file: its header, or its number when it has none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnRef {
    pub header: String,
    pub number: u64,
}

impl Say for ColumnRef {
    fn say(&self, lang: Lang) -> String {
        match (self.header.is_empty(), lang) {
            (true, Lang::Fr) => format!("colonne {}", self.number),
            (true, Lang::En) => format!("column {}", self.number),
            (false, Lang::Fr) => format!("« {} »", self.header),
            (false, Lang::En) => format!("{:?}", self.header),
        }
    }
}

/// The accounts that keep a station from going live, each with why
/// ("Chef (PIN de démonstration)").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PinList(pub Vec<crate::role::PinToChange>);

impl Say for PinList {
    fn say(&self, lang: Lang) -> String {
        let names: Vec<String> = self
            .0
            .iter()
            .map(|a| {
                let why = match a.demo_pin {
                    true => lang.pick("PIN de démonstration", "demo PIN"),
                    false => lang.pick("PIN trop court", "PIN too short"),
                };
                format!("{} ({why})", a.name)
            })
            .collect();
        names.join(", ")
    }
}

/// The last time a station knew for sure (milliseconds since 1970), as
/// people read a date in the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SafeTime(pub i64);

impl Say for SafeTime {
    fn say(&self, lang: Lang) -> String {
        crate::time_words::when_words(self.0, lang)
    }
}

/// Why a hub could not be reached, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unreachable {
    /// Nothing answers at that address and port.
    #[default]
    Refused,
    /// No answer in time.
    Timeout,
    /// Something answered, but not the hub's pinned certificate over TLS
    /// (a plain-HTTP page such as `serve`, or another machine).
    NotTheHub,
    /// The connection broke off.
    Other,
}

impl Say for Unreachable {
    fn say(&self, lang: Lang) -> String {
        match self {
            Unreachable::Refused => lang.pick(
                "rien ne répond à cette adresse (le hub est-il lancé, avec `gatehouse hub`, et l'adresse est-elle la bonne ?)",
                "nothing answers at that address (is the hub running, with `gatehouse hub`, and is the address right?)",
            ),
            Unreachable::Timeout => lang.pick(
                "pas de réponse à temps (réseau coupé ou hub arrêté ?)",
                "no answer in time (network down or hub stopped?)",
            ),
            Unreachable::NotTheHub => lang.pick(
                "ce qui répond n'est pas le hub de ce code (le hub se joint en https://, à l'adresse que `gatehouse pair` affiche, pas à celle d'une page `gatehouse serve`)",
                "what answers is not this code's hub (the hub is reached over https://, at the address `gatehouse pair` prints, not a `gatehouse serve` page's)",
            ),
            Unreachable::Other => lang.pick(
                "la connexion a été interrompue",
                "the connection broke off",
            ),
        }
        .into()
    }
}

/// What is wrong with a backup file that cannot be restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BackupFault {
    /// Not a Gatehouse backup (another file, or not made by `gatehouse backup`).
    #[default]
    NotABackup,
    /// Its content does not authenticate: damaged, cut short or altered
    /// (age cannot tell these apart).
    Altered,
    /// It asks for far more work than this machine does in a few seconds.
    TooCostly,
}

impl Say for BackupFault {
    fn say(&self, lang: Lang) -> String {
        match self {
            BackupFault::NotABackup => lang.pick(
                "ce n'est pas une sauvegarde Gatehouse (`gatehouse backup` en fait)",
                "it is not a Gatehouse backup (`gatehouse backup` makes them)",
            ),
            BackupFault::Altered => lang.pick(
                "le fichier est endommagé, tronqué (copié en partie ?) ou a été modifié",
                "the file is damaged, cut short (copied in part?) or was altered",
            ),
            BackupFault::TooCostly => lang.pick(
                "son chiffrement demande bien plus de travail que cette machine n'en fait en quelques secondes",
                "its encryption asks for far more work than this machine does in a few seconds",
            ),
        }
        .into()
    }
}

/// A field of an attendee or a badge as people name it ("nom de
/// l'événement", not "event name").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldWord(pub String);

impl FieldWord {
    pub fn of(field: &str) -> FieldWord {
        FieldWord(field.to_string())
    }
}

impl Say for FieldWord {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.0.replace('_', " ");
        }
        match self.0.as_str() {
            "event name" => "le nom de l'événement",
            "subtitle" => "le sous-titre",
            "badge number" => "le numéro de badge",
            "organisation" => "l'organisation",
            "country" => "le pays",
            "zones" | "zones_override" => "les zones",
            "days" | "days_override" => "les jours",
            "category" => "la catégorie",
            "name" => "le nom",
            other => return format!("le champ {other}"),
        }
        .into()
    }
}

/// A character a font or a code cannot hold, with its code point
/// ("« é » (U+00E9)").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Glyph(pub char);

impl Say for Glyph {
    fn say(&self, lang: Lang) -> String {
        let point = format!("U+{:04X}", u32::from(self.0));
        match lang {
            Lang::Fr => format!("« {} » ({point})", self.0),
            Lang::En => format!("{:?} ({point})", self.0),
        }
    }
}

/// Declares [`Msg`] and its texts: `Name { param: Type, … } => WireCode,
/// "key", en: "…{param}…", fr: "…{param}…";`. Every parameter type is
/// [`Say`] (said in the text's language) and `Default` (for the test that
/// walks every message).
macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $name:ident { $($field:ident : $ty:ty),* $(,)? } => $code:ident, $key:literal,
            en: $en:literal,
            fr: $fr:literal;
    )*) => {
        /// Every message the core gives a person, with its parameters.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Msg {
            $( $(#[$doc])* $name { $($field: $ty),* }, )*
        }

        impl Msg {
            /// The closed wire code this message travels under.
            pub fn code(&self) -> ErrorCode {
                match self { $( Msg::$name { .. } => ErrorCode::$code, )* }
            }

            /// The message's own stable machine key (`last_admin`).
            pub fn key(&self) -> &'static str {
                match self { $( Msg::$name { .. } => $key, )* }
            }

            /// The message in `lang`.
            #[allow(unused_variables)]
            pub fn text(&self, lang: Lang) -> String {
                match self {
                    $( Msg::$name { $($field),* } => {
                        $( let $field = Say::say($field, lang); )*
                        match lang {
                            Lang::Fr => format!($fr),
                            Lang::En => format!($en),
                        }
                    } )*
                }
            }

            /// One of each message, with default parameters (for tests).
            pub fn every() -> Vec<Msg> {
                vec![ $( Msg::$name { $($field: Default::default()),* }, )* ]
            }
        }
    };
}

catalogue! {
    // ── Signing in and permissions ──────────────────────────────────────
    SignIn {} => Unauthenticated, "sign_in",
        en: "sign in with your PIN",
        fr: "identifiez-vous avec votre code PIN";
    WrongPin {} => Unauthenticated, "wrong_pin",
        en: "wrong PIN",
        fr: "code PIN erroné";
    Locked {} => Unauthenticated, "locked",
        en: "the station locked after inactivity: sign in again",
        fr: "le poste s'est verrouillé après un moment d'inactivité : identifiez-vous à nouveau";
    RoleMayNot { role: RoleWord } => Forbidden, "role_may_not",
        en: "the {role} role may not do this",
        fr: "le rôle « {role} » ne permet pas cette action";
    TooManyAttempts { wait_s: u64 } => TooManyAttempts, "too_many_attempts",
        en: "too many wrong PINs: try again in {wait_s} s",
        fr: "trop de codes PIN erronés : réessayez dans {wait_s} s";

    // ── Staff accounts ─────────────────────────────────────────────────
    PinsToChange { accounts: PinList } => Conflict, "pins_to_change",
        en: "not going live while these active accounts keep a published PIN or one shorter than the policy (admins and supervisors at least 8 digits, others 6): {accounts}. Give each a new PIN on the console (Setup, Staff accounts) or with `gatehouse staff pin NAME` (it asks for the PIN, or reads it from standard input), then start again",
        fr: "pas de mise en service tant que ces comptes actifs gardent un PIN publié ou plus court que la règle (organisateurs et superviseurs : 8 chiffres au moins, les autres : 6) : {accounts}. Donnez à chacun un nouveau PIN dans la console (Configuration, Comptes du personnel) ou avec `gatehouse staff pin NOM` (le PIN est demandé, ou lu sur l'entrée standard), puis recommencez";
    PinFormat {} => BadInput, "pin_format",
        en: "pin: a PIN is 4 to 12 digits",
        fr: "code PIN : de 4 à 12 chiffres";
    StaffNameMissing {} => BadInput, "staff_name_missing",
        en: "name: say who this account is for",
        fr: "nom : indiquez à qui est ce compte";
    StaffRoleMissing {} => BadInput, "staff_role_missing",
        en: "role: choose organiser, desk, gate, supervisor or vetting",
        fr: "rôle : choisissez organisateur, accueil, contrôle d'accès, superviseur ou accréditation";
    NoStaffAccount { id: String } => NotFound, "no_staff_account",
        en: "no staff account {id}",
        fr: "aucun compte {id}";
    LastAdmin {} => Conflict, "last_admin",
        en: "this is the last active organiser account: create another organiser first",
        fr: "c'est le dernier compte organisateur actif : créez d'abord un autre compte organisateur";

    // ── Event configuration ────────────────────────────────────────────
    NoEvent {} => NoEvent, "no_event",
        en: "no event in this database: pair this station with a hub (`gatehouse join URL --code CODE`, then `gatehouse sync`) or create the demo event (`gatehouse demo`)",
        fr: "aucun événement dans cette base : appairez ce poste à un hub (`gatehouse join URL --code CODE`, puis `gatehouse sync`) ou créez l'événement de démonstration (`gatehouse demo`)";
    NoEventYet { hub: String } => NoEvent, "no_event_yet",
        en: "this station is paired with the hub {hub} but has not received the event yet: run `gatehouse sync` (the hub must be running)",
        fr: "ce poste est appairé au hub {hub} mais n'en a pas encore reçu l'événement : lancez `gatehouse sync` (le hub doit être en marche)";
    ConfigChanged {} => Conflict, "config_changed",
        en: "the configuration was changed elsewhere since it was loaded: reload it",
        fr: "la configuration a été modifiée ailleurs depuis son chargement : rechargez-la";
    EventCodeFixed { code: String, prefix: String } => BadInput, "event_code_fixed",
        en: "the event code ({code}) and badge prefix ({prefix}) cannot change: every issued badge carries them",
        fr: "le code de l'événement ({code}) et le préfixe des badges ({prefix}) ne peuvent pas changer : chaque badge émis les porte";
    EventNeedsZoneAndCategory {} => BadInput, "event_needs_zone_and_category",
        en: "an event needs at least one zone and one category",
        fr: "un événement a besoin d'au moins une zone et une catégorie";
    CodeTwice { list: ListKind, code: String } => BadInput, "code_twice",
        en: "{list} {code} appears twice",
        fr: "{list} {code} apparaît deux fois";
    ZoneNames { code: String } => BadInput, "zone_names",
        en: "zone {code}: give its name in French and in English",
        fr: "zone {code} : donnez son nom en français et en anglais";
    CategoryNames { code: String } => BadInput, "category_names",
        en: "category {code}: give its name in French and in English",
        fr: "catégorie {code} : donnez son nom en français et en anglais";
    CategoryHeld { code: String, n: i64 } => Conflict, "category_held",
        en: "category {code} is held by {n} attendee(s): move them to another category first",
        fr: "la catégorie {code} est celle de {n} participant(s) : placez-les d'abord dans une autre catégorie";
    ZoneCodeRetired { code: String, bit: i64 } => BadInput, "zone_code_retired",
        en: "zone {code}: this code belonged to a zone that was retired (bit {bit}); badges printed with it still carry it, so it is not used again: choose another code",
        fr: "zone {code} : ce code était celui d'une zone retirée (bit {bit}) ; les badges imprimés le portent encore, il n'est donc pas réutilisé : choisissez un autre code";
    ZoneBitFixed { code: String, bit: i64, new: i64 } => BadInput, "zone_bit_fixed",
        en: "zone {code}: its bit in the badges' zone mask is {bit} and cannot become {new}: printed badges carry it",
        fr: "zone {code} : son bit dans le masque des zones des badges est {bit} et ne peut pas devenir {new} : les badges imprimés le portent";
    ZoneBitTaken { code: String, bit: i64, holder: String, retired: Retired } => BadInput, "zone_bit_taken",
        en: "zone {code}: bit {bit} belongs to the {retired}zone {holder}: a bit is never given to another zone",
        fr: "zone {code} : le bit {bit} appartient à la zone {holder}{retired} : un bit n'est jamais donné à une autre zone";

    ZoneWithoutDay { code: String } => BadInput, "zone_without_day",
        en: "zone {code}: tick at least one day it is open (a zone with no day is closed every day)",
        fr: "zone {code} : cochez au moins un jour d'ouverture (une zone sans jour est fermée tous les jours)";

    // ── Time ───────────────────────────────────────────────────────────
    TimeUnknown { last_safe: SafeTime } => TimeUnknown, "time_unknown",
        en: "Time unknown: set this station's clock (last safe time: {last_safe}). Since it restarted, its clock reads before the last time received from the hub, or too long after: no badge is checked on a guessed time. Set the clock, then sync with the hub (`gatehouse sync`), or, without a hub, confirm the right time (`gatehouse clock --set \"YYYY-MM-DD HH:MM\"`)",
        fr: "Heure inconnue : réglez l'horloge de ce poste (dernière heure sûre : {last_safe}). Depuis son redémarrage, son horloge est antérieure à la dernière heure reçue du hub, ou trop loin après : aucun badge n'est contrôlé sur une heure devinée. Réglez l'horloge puis synchronisez avec le hub (`gatehouse sync`), ou, sans hub, confirmez l'heure juste (`gatehouse clock --set \"AAAA-MM-JJ HH:MM\"`)";

    AuditAltered { seq: i64 } => Conflict, "audit_altered",
        en: "audit entry {seq} does not verify: the log was altered at or before it",
        fr: "l'entrée d'audit {seq} ne se vérifie pas : le journal a été modifié à cette entrée ou avant";

    // ── Imports ────────────────────────────────────────────────────────
    ImportTooLarge { mb: u64, max_mb: u64 } => BadInput, "import_too_large",
        en: "the file is {mb} MB: an import file may be at most {max_mb} MB",
        fr: "le fichier fait {mb} Mo : un fichier d'import fait au plus {max_mb} Mo";
    ImportFileTooLarge { file: String, mb: u64, max_mb: u64 } => BadInput, "import_file_too_large",
        en: "{file} is {mb} MB: an import file may be at most {max_mb} MB",
        fr: "{file} fait {mb} Mo : un fichier d'import fait au plus {max_mb} Mo";
    ImportTooManyColumns { line: u64, column: u64, max: u64 } => BadInput, "import_too_many_columns",
        en: "line {line}: column {column} holds a value, but an import file may have at most {max} columns",
        fr: "ligne {line} : la colonne {column} contient une valeur, mais un fichier d'import a au plus {max} colonnes";
    ImportTooManyRows { line: u64, max: u64 } => BadInput, "import_too_many_rows",
        en: "line {line}: an import file may have at most {max} rows below its header line",
        fr: "ligne {line} : un fichier d'import a au plus {max} lignes sous sa ligne d'en-têtes";
    ImportLineTooLong { line: u64, max_kb: u64 } => BadInput, "import_line_too_long",
        en: "line {line}: a line of an import file may be at most {max_kb} KB",
        fr: "ligne {line} : une ligne d'un fichier d'import fait au plus {max_kb} Ko";
    CsvUnreadable { line: u64, detail: String } => BadInput, "csv_unreadable",
        en: "line {line}: the CSV cannot be read: {detail}",
        fr: "ligne {line} : le CSV est illisible : {detail}";
    ImportEmpty {} => BadInput, "import_empty",
        en: "the file is empty: no header line",
        fr: "le fichier est vide : aucune ligne d'en-têtes";
    XlsxUnreadable { detail: String } => BadInput, "xlsx_unreadable",
        en: "the XLSX file cannot be read: {detail}",
        fr: "le fichier XLSX est illisible : {detail}";
    XlsxParts { parts: u64, max: u64 } => BadInput, "xlsx_parts",
        en: "the XLSX file has {parts} parts: a spreadsheet has a few dozen, at most {max} are read",
        fr: "le fichier XLSX compte {parts} parties : un classeur en a quelques dizaines, {max} au plus sont lues";
    XlsxUnpacked { mb: u64, ratio: u64, max_mb: u64 } => BadInput, "xlsx_unpacked",
        en: "the XLSX file unpacks to more than {mb} MB ({ratio} times its size or {max_mb} MB at most): it is not a spreadsheet an import can read",
        fr: "le fichier XLSX se décompresse en plus de {mb} Mo ({ratio} fois sa taille ou {max_mb} Mo au plus) : ce n'est pas un classeur qu'un import peut lire";
    XlsxNoSheet {} => BadInput, "xlsx_no_sheet",
        en: "the XLSX file has no sheet",
        fr: "le fichier XLSX n'a aucune feuille";
    XlsxSheetUnreadable { detail: String } => BadInput, "xlsx_sheet_unreadable",
        en: "the XLSX sheet cannot be read: {detail}",
        fr: "la feuille XLSX est illisible : {detail}";
    XlsxSheetEmpty {} => BadInput, "xlsx_sheet_empty",
        en: "the XLSX sheet is empty: no header line",
        fr: "la feuille XLSX est vide : aucune ligne d'en-têtes";
    MappingWidth { named: u64, has: u64 } => BadInput, "mapping_width",
        en: "the mapping names {named} columns but the file has {has}",
        fr: "la correspondance désigne {named} colonnes, le fichier en a {has}";
    ColumnsTwice { first: ColumnRef, second: ColumnRef } => BadInput, "columns_twice",
        en: "line 1: columns {first} and {second} say the same thing",
        fr: "ligne 1 : les colonnes {first} et {second} disent la même chose";
    ColumnMissing { fr: String, en: String, headers: String } => BadInput, "column_missing",
        en: "line 1: the column {fr} / {en} is missing (headers: {headers})",
        fr: "ligne 1 : il manque la colonne {fr} / {en} (en-têtes : {headers})";
    NoImport { id: String } => NotFound, "no_import",
        en: "no import {id} on this station",
        fr: "aucun import {id} sur ce poste";

    // ── Keys and badges ────────────────────────────────────────────────
    KeysOnAdminStation { role: RoleWord } => Forbidden, "keys_on_admin_station",
        en: "this station is paired as {role}: signing keys are rotated and retired on an organiser station (the hub or an organiser console), which every gate trusts",
        fr: "ce poste est appairé comme {role} : les clés de signature se renouvellent et se retirent sur un poste organisateur (le hub ou une console organisateur), auquel toutes les portes se fient";
    NoPrivateKey { active: i64, dir: String } => Forbidden, "no_private_key",
        en: "this station holds none of the {active} active signing keys' private halves (in {dir}): a gate checks badges but does not issue them; issue badges (and their QR text) on the hub or a desk, or run `gatehouse keys rotate` on an organiser station",
        fr: "ce poste ne détient la partie privée d'aucune des {active} clés de signature actives (dans {dir}) : une porte contrôle les badges mais ne les émet pas ; émettez les badges (et leur texte QR) sur le hub ou à l'accueil, ou lancez `gatehouse keys rotate` sur un poste organisateur";

    // ── Pairing and sync ───────────────────────────────────────────────
    HubNeedsHttps { url: String } => BadInput, "hub_needs_https",
        en: "URL {url}: the hub speaks only https (its certificate is pinned by the code); use https://… as `gatehouse pair` prints it",
        fr: "adresse {url} : le hub ne parle qu'en https (son certificat est vérifié grâce au code) ; utilisez https://… comme `gatehouse pair` l'affiche";
    HubUrl { url: String } => BadInput, "hub_url",
        en: "URL {url}: expected https://HOST:PORT as `gatehouse pair` prints it",
        fr: "adresse {url} : attendu https://HÔTE:PORT comme `gatehouse pair` l'affiche";
    CodeFormat { code: String } => BadInput, "code_format",
        en: "code {code}: expected the pairing code the hub shows, 12 letters and digits such as 5S65-W8TP-YWHJ",
        fr: "code {code} : attendu le code d'appairage que le hub affiche, 12 lettres et chiffres comme 5S65-W8TP-YWHJ";
    HubUnproven {} => Forbidden, "hub_unproven",
        en: "the hub did not prove it knows this code — wrong address or interception? (it proved the code over another certificate than the one this connection shows); nothing was stored",
        fr: "le hub n'a pas prouvé qu'il connaît ce code — mauvaise adresse ou interception ? (il l'a prouvé pour un autre certificat que celui de cette connexion) ; rien n'a été enregistré";
    ChallengeUnknown {} => Forbidden, "challenge_unknown",
        en: "this pairing challenge is unknown, was answered already or has expired: join again",
        fr: "cette demande d'appairage est inconnue, a déjà reçu sa réponse ou a expiré : rejoignez à nouveau";
    RecoverSameDb { db: String } => BadInput, "recover_same_db",
        en: "--recover {db}: that is the database joining; give the damaged one, and a new --db",
        fr: "--recover {db} : c'est la base qui rejoint le hub ; donnez la base endommagée, et une nouvelle --db";
    FingerprintFormat { fingerprint: String } => BadInput, "fingerprint_format",
        en: "certificate fingerprint {fingerprint}: expected 64 hex digits (the end of the pairing code, after the dot): copy the code whole",
        fr: "empreinte de certificat {fingerprint} : 64 chiffres hexadécimaux attendus (la fin du code d'appairage, après le point) : copiez le code en entier";
    HubUnreachable { url: String, why: Unreachable } => Conflict, "hub_unreachable",
        en: "hub {url} unreachable: {why}",
        fr: "hub {url} injoignable : {why}";
    OwnEvent { db: String, event: String, people: i64 } => Conflict, "own_event",
        en: "{db}: this database already holds its own event ({event}, {people} attendees); a station joins a hub with a fresh database (another --db path), so that nothing of it spreads to the venue",
        fr: "{db} : cette base contient déjà son propre événement ({event}, {people} participants) ; un poste rejoint un hub avec une base neuve (un autre chemin --db), pour que rien n'en parte vers le site";
    PairingQr { detail: String } => BadInput, "pairing_qr",
        en: "pairing QR code: not the hub's {{\"url\", \"code\"}} ({detail})",
        fr: "QR code d'appairage : ce n'est pas le {{\"url\", \"code\"}} du hub ({detail})";
    PairingEmpty {} => BadInput, "pairing_empty",
        en: "pairing code: empty; scan the QR code shown by the hub or type its address and code",
        fr: "code d'appairage : vide ; scannez le QR code affiché par le hub ou tapez son adresse et son code";
    PairingText { text: String } => BadInput, "pairing_text",
        en: "pairing code {text}: expected the hub's address then the code, e.g. https://192.168.1.10:8443 7K3M-Q9TX-…",
        fr: "code d'appairage {text} : attendu l'adresse du hub puis le code, par exemple https://192.168.1.10:8443 7K3M-Q9TX-…";
    AlreadyPaired { hub: String } => Conflict, "already_paired",
        en: "this station is already paired with the hub {hub}; un-pair it on the hub first",
        fr: "ce poste est déjà appairé au hub {hub} ; désappairez-le d'abord sur le hub";
    StationRoleSupervisor {} => BadInput, "station_role_supervisor",
        en: "role supervisor: a station is paired as desk, gate or admin (supervisors sign in at gates)",
        fr: "rôle superviseur : un poste est appairé comme accueil, contrôle d'accès ou organisateur (les superviseurs s'identifient aux portes)";
    ReplacesUnknown { old: String } => NotFound, "replaces_unknown",
        en: "--replaces {old}: no station paired with this hub has that id (`gatehouse stations` lists them)",
        fr: "--replaces {old} : aucun poste appairé à ce hub n'a cet identifiant (`gatehouse stations` les liste)";
    ReplacesAlready { old: String, by: String } => Conflict, "replaces_already",
        en: "--replaces {old}: that station was already replaced by {by}",
        fr: "--replaces {old} : ce poste a déjà été remplacé par {by}";
    ReplacesOtherRole { old: String, was: RoleWord, role: RoleWord, flag: String } => BadInput, "replaces_other_role",
        en: "--replaces {old}: that station was paired as {was}, not {role}: give the code its role (--role {flag})",
        fr: "--replaces {old} : ce poste était appairé comme {was}, pas {role} : donnez au code son rôle (--role {flag})";
    RecoverNotReplacing { station: String, old: String } => Forbidden, "recover_not_replacing",
        en: "station {station} was not paired in place of station {old}: only the station a code re-pairs may hand over its records (`gatehouse pair --replaces`)",
        fr: "le poste {station} n'a pas été appairé à la place du poste {old} : seul le poste qu'un code réappaire peut remettre ses enregistrements (`gatehouse pair --replaces`)";
    RecoverWhichStation { db: String, detail: String } => BadInput, "recover_which_station",
        en: "{db}: cannot tell which station this database was ({detail})",
        fr: "{db} : impossible de savoir de quel poste venait cette base ({detail})";
    ClockSetFormat { text: String } => BadInput, "clock_set_format",
        en: "--set {text}: expected now, YYYY-MM-DD HH:MM (this machine's time zone) or an RFC 3339 instant",
        fr: "--set {text} : attendu now, AAAA-MM-JJ HH:MM (fuseau horaire de cette machine) ou un instant RFC 3339";
    ClockStandalone {} => Conflict, "clock_standalone",
        en: "this station is not paired with a hub: it decides on this laptop's clock",
        fr: "ce poste n'est appairé à aucun hub : il décide sur l'horloge de ce portable";
    NotPaired {} => Conflict, "not_paired",
        en: "this station is not paired with a hub: run `gatehouse join URL --code CODE`",
        fr: "ce poste n'est appairé à aucun hub : lancez `gatehouse join URL --code CODE`";
    WarnAfterRange { after: String } => BadInput, "warn_after_range",
        en: "--warn-after {after}: from 30 seconds to 24 hours",
        fr: "--warn-after {after} : de 30 secondes à 24 heures";
    StationNameFormat { name: String } => BadInput, "station_name_format",
        en: "name {name}: at most 60 characters, on one line",
        fr: "nom {name} : 60 caractères au plus, sur une ligne";
    CodeValidity { valid_for: String } => BadInput, "code_validity",
        en: "valid for {valid_for}: a pairing code lasts from a minute to 24 hours",
        fr: "validité {valid_for} : un code d'appairage dure d'une minute à 24 heures";
    HubNeverRun {} => Conflict, "hub_never_run",
        en: "this database has never run `gatehouse hub`: start the hub first, so that the code carries its address",
        fr: "cette base n'a jamais servi de hub : lancez d'abord `gatehouse hub`, pour que le code porte son adresse";
    NoOpenCode { label: String } => NotFound, "no_open_code",
        en: "no open pairing code {label} (see `gatehouse pair --list`)",
        fr: "aucun code d'appairage ouvert {label} (voir `gatehouse pair --list`)";
    CodeUnknown {} => Forbidden, "code_unknown",
        en: "unknown or expired pairing code (or already used): check it, or ask the hub for a new one (`gatehouse pair`)",
        fr: "code d'appairage inconnu ou expiré (ou déjà utilisé) : vérifiez-le, ou demandez-en un nouveau au hub (`gatehouse pair`)";
    CodeUsed { at: String } => Conflict, "code_used",
        en: "this pairing code was already used ({at}): ask the hub for a new one (`gatehouse pair`)",
        fr: "ce code d'appairage a déjà servi ({at}) : demandez-en un nouveau au hub (`gatehouse pair`)";
    CodeCancelled { at: String } => Conflict, "code_cancelled",
        en: "this pairing code was cancelled ({at}): ask the hub for a new one (`gatehouse pair`)",
        fr: "ce code d'appairage a été annulé ({at}) : demandez-en un nouveau au hub (`gatehouse pair`)";
    CodeExpired {} => Conflict, "code_expired",
        en: "this pairing code has expired: ask the hub for a new one (`gatehouse pair`)",
        fr: "ce code d'appairage a expiré : demandez-en un nouveau au hub (`gatehouse pair`)";
    NoPairedStation { station: String } => NotFound, "no_paired_station",
        en: "no paired station {station} (see `gatehouse stations`)",
        fr: "aucun poste appairé {station} (voir `gatehouse stations`)";
    NoCredential {} => Unauthenticated, "no_credential",
        en: "no station credential: pair with `gatehouse join`",
        fr: "aucune accréditation de poste : appairez-le avec `gatehouse join`";
    CredentialRevoked {} => Unauthenticated, "credential_revoked",
        en: "this station's credential is unknown or was revoked: pair again with `gatehouse join`",
        fr: "l'accréditation de ce poste est inconnue ou a été révoquée : appairez-le à nouveau avec `gatehouse join`";
    CredentialOfOther { station: String, claimed: String } => Forbidden, "credential_of_other",
        en: "this credential belongs to station {station}, not {claimed}",
        fr: "cette accréditation est celle du poste {station}, pas de {claimed}";
    StationNotPaired { station: String } => Forbidden, "station_not_paired",
        en: "station {station} is not paired with this hub",
        fr: "le poste {station} n'est pas appairé à ce hub";
    EntryOfOther { station: String, origin: String, seq: u64 } => Forbidden, "entry_of_other",
        en: "station {station} sent entry {origin}#{seq} in the name of station {origin}: a station sends only its own",
        fr: "le poste {station} a envoyé l'entrée {origin}#{seq} au nom du poste {origin} : un poste n'envoie que les siennes";
    EntryOutOfOrder { station: String, seq: u64, expected: u64 } => Conflict, "entry_out_of_order",
        en: "station {station}: entry #{seq} where #{expected} was expected; nothing was stored, the next round resends from the hub's marks",
        fr: "poste {station} : entrée n° {seq} là où la n° {expected} était attendue ; rien n'a été enregistré, le prochain échange renverra depuis les repères du hub";
    BodyTooLarge { limit: u64 } => BadInput, "body_too_large",
        en: "request body larger than {limit} bytes, or cut off: refused",
        fr: "corps de la requête de plus de {limit} octets, ou tronqué : refusé";
    BodyNotForRoute { detail: String } => BadInput, "body_not_for_route",
        en: "request body is not what this route takes: {detail}",
        fr: "le corps de la requête n'est pas ce qu'attend cette adresse : {detail}";
    /// A refusal the hub gave, relayed as it said it in both languages.
    FromHub { wire: WireCode, key: HubKey, en: String, fr: String } => Conflict, "from_hub",
        en: "{en}",
        fr: "{fr}";

    // ── Identity documents (ICAO 9303 machine-readable zone) ────────────
    MrzShape { read: String } => BadInput, "mrz_shape",
        en: "not a machine-readable zone: expected 3 lines of 30 characters (ID card), 2 of 36, or 2 of 44 (passport); read: {read}",
        fr: "ce n'est pas une zone de lecture automatique : attendu 3 lignes de 30 caractères (carte d'identité), 2 de 36, ou 2 de 44 (passeport) ; lu : {read}";
    MrzCharacter { line: u64, column: u64, value: String } => BadInput, "mrz_character",
        en: "line {line}, character {column}: {value:?} has no place in a machine-readable zone (letters A to Z, digits and <)",
        fr: "ligne {line}, caractère {column} : « {value} » n'a pas sa place dans une zone de lecture automatique (lettres A à Z, chiffres et <)";
    MrzCheckDigit { field: MrzField } => BadInput, "mrz_check_digit",
        en: "check digit wrong: {field} (misread, or the document was altered)",
        fr: "chiffre de contrôle faux : {field} (mal lu, ou document altéré)";
    MrzExpired { on: String } => BadInput, "mrz_expired",
        en: "expiry date: the document expired on {on}",
        fr: "date d'expiration : le document a expiré le {on}";
    MrzUnreadable { field: MrzField, value: String } => BadInput, "mrz_unreadable",
        en: "{field}: {value:?} cannot be read",
        fr: "{field} : « {value} » est illisible";
    // ── Backups ────────────────────────────────────────────────────────
    PassphraseEmpty {} => BadInput, "passphrase_empty",
        en: "passphrase: it is empty; a backup is encrypted under a passphrase (give it with --passphrase-file FILE, `-` for standard input, or the GATEHOUSE_BACKUP_PASSPHRASE variable)",
        fr: "phrase secrète : elle est vide ; une sauvegarde est chiffrée sous une phrase secrète (donnez-la avec --passphrase-file FICHIER, `-` pour l'entrée standard, ou la variable GATEHOUSE_BACKUP_PASSPHRASE)";
    PassphraseShort { chars: u64, min: u64 } => BadInput, "passphrase_short",
        en: "passphrase: {chars} characters is too short; a backup's passphrase has at least {min} (whoever finds the file can try passphrases at leisure)",
        fr: "phrase secrète : {chars} caractères, c'est trop court ; celle d'une sauvegarde en compte au moins {min} (qui trouve le fichier peut essayer des phrases à loisir)";
    PassphrasesDiffer {} => BadInput, "passphrases_differ",
        en: "passphrase: the two entries differ; nothing was written",
        fr: "phrase secrète : les deux saisies diffèrent ; rien n'a été écrit";
    PassphraseNotGiven {} => BadInput, "passphrase_not_given",
        en: "passphrase: none given; give it with --passphrase-file FILE (`-` for standard input) or the GATEHOUSE_BACKUP_PASSPHRASE variable, never on the command line",
        fr: "phrase secrète : aucune n'a été donnée ; donnez-la avec --passphrase-file FICHIER (`-` pour l'entrée standard) ou la variable GATEHOUSE_BACKUP_PASSPHRASE, jamais sur la ligne de commande";
    BackupExists { file: String } => Conflict, "backup_exists",
        en: "{file} already exists: a backup never replaces a file; choose another name",
        fr: "{file} existe déjà : une sauvegarde ne remplace jamais un fichier ; choisissez un autre nom";
    RestoreWouldOverwrite { path: String } => Conflict, "restore_would_overwrite",
        en: "{path} already exists: a restore makes a new database and never replaces one; give --db a new file name",
        fr: "{path} existe déjà : une restauration crée une nouvelle base et n'en remplace jamais une ; donnez à --db un nouveau nom de fichier";
    BackupWrongPassphrase { file: String } => BadInput, "backup_wrong_passphrase",
        en: "{file}: this passphrase does not open this backup (a wrong passphrase, or the start of the file is damaged); nothing was restored",
        fr: "{file} : cette phrase secrète n'ouvre pas cette sauvegarde (phrase erronée, ou début du fichier endommagé) ; rien n'a été restauré";
    BackupDamaged { file: String, fault: BackupFault } => BadInput, "backup_damaged",
        en: "{file} cannot be restored: {fault}; nothing was restored",
        fr: "{file} ne peut pas être restaurée : {fault} ; rien n'a été restauré";

    RestoredBehindHub { hub: u64, here: u64, station: String, db: String } => Conflict, "restored_behind_hub",
        en: "the hub holds this station's records up to number {hub}, this database ({db}) only up to {here}: it was restored from an older backup, so the hub already holds everything in it, and what it records from now on would not reach the hub. Nothing was deleted. Pair this laptop anew with a new database: on the hub `gatehouse pair --replaces {station}`, then here `gatehouse join URL CODE --db NEW.db`. Anything recorded here since the restore cannot reach the hub under numbers it already holds: it stays in {db} (`gatehouse scans --db {db}` lists its scans)",
        fr: "le hub détient les enregistrements de ce poste jusqu'au numéro {hub}, cette base ({db}) seulement jusqu'au {here} : elle a été restaurée depuis une sauvegarde plus ancienne, donc le hub détient déjà tout ce qu'elle contient, et ce qu'elle enregistre désormais ne lui parviendrait pas. Rien n'a été effacé. Appairez ce portable de nouveau avec une nouvelle base : sur le hub `gatehouse pair --replaces {station}`, puis ici `gatehouse join URL CODE --db NOUVELLE.db`. Ce qui a été enregistré ici depuis la restauration ne peut pas parvenir au hub sous des numéros qu'il détient déjà : cela reste dans {db} (`gatehouse scans --db {db}` en liste les contrôles)";

    // ── Internal failures (details in the station's log) ───────────────
    DatabaseFailed {} => Internal, "database_failed",
        en: "the station's database could not complete this operation (the details are in the station's log)",
        fr: "la base du poste n'a pas pu mener à bien cette opération (le détail est dans le journal du poste)";
    MigrationFailed {} => Internal, "migration_failed",
        en: "the station's database could not be brought up to this version (the details are in the station's log)",
        fr: "la base du poste n'a pas pu être mise à niveau pour cette version (le détail est dans le journal du poste)";
    FileFailed {} => Internal, "file_failed",
        en: "the station could not read or write one of its files (the details are in the station's log)",
        fr: "le poste n'a pas pu lire ou écrire l'un de ses fichiers (le détail est dans le journal du poste)";
    InternalFailed {} => Internal, "internal_failed",
        en: "the station failed to complete this operation (the details are in the station's log)",
        fr: "le poste n'a pas pu mener à bien cette opération (le détail est dans le journal du poste)";

    // ── Event rules (issue 21: the refusals that were still in English) ─
    ZoneCodeInvalid { code: String, max: u64 } => BadInput, "zone_code_invalid",
        en: "invalid zone code {code:?}: use 1 to {max} capital letters or digits",
        fr: "code de zone « {code} » invalide : de 1 à {max} lettres majuscules ou chiffres";
    CategoryCodeInvalid { code: String, max: u64 } => BadInput, "category_code_invalid",
        en: "invalid category code {code:?}: use 1 to {max} capital letters or digits",
        fr: "code de catégorie « {code} » invalide : de 1 à {max} lettres majuscules ou chiffres";
    ColourInvalid { value: String } => BadInput, "colour_invalid",
        en: "invalid colour {value:?}: expected #RRGGBB",
        fr: "couleur « {value} » invalide : attendu #RRVVBB (par exemple #1E6FD9)";
    AntipassbackInvalid { value: String } => BadInput, "antipassback_invalid",
        en: "invalid anti-passback policy {value:?}: expected off, warn or deny",
        fr: "règle d'anti-retour « {value} » invalide : attendu off (aucune), warn (avertir) ou deny (refuser)";
    TimeZoneUnknown { tz: String } => BadInput, "time_zone_unknown",
        en: "unknown time zone {tz:?}",
        fr: "fuseau horaire « {tz} » inconnu (par exemple Europe/Paris)";
    EventNeedsDay {} => BadInput, "event_needs_day",
        en: "an event needs at least one day",
        fr: "un événement a besoin d'au moins un jour";
    ZoneBitPastMask { code: String, bit: i64 } => BadInput, "zone_bit_past_mask",
        en: "zone {code}: bit {bit} is past the last bit of a token's zone mask (63)",
        fr: "zone {code} : le bit {bit} dépasse le dernier bit du masque des zones d'un badge (63)";
    ZonesShareBit { other: String, code: String, bit: i64 } => BadInput, "zones_share_bit",
        en: "zones {other} and {code} both have bit {bit}: each zone has its own",
        fr: "les zones {other} et {code} ont toutes deux le bit {bit} : chaque zone a le sien";
    ZoneDayNotOfEvent { code: String, day: String } => BadInput, "zone_day_not_of_event",
        en: "zone {code}: {day} is not a day of the event",
        fr: "zone {code} : le {day} n'est pas un jour de l'événement";
    CategoryZoneUnknown { code: String, zone: String } => BadInput, "category_zone_unknown",
        en: "category {code}: unknown zone {zone}",
        fr: "catégorie {code} : la zone {zone} n'existe pas dans cet événement";
    CategoryDayNotOfEvent { code: String, day: String } => BadInput, "category_day_not_of_event",
        en: "category {code}: {day} is not a day of the event",
        fr: "catégorie {code} : le {day} n'est pas un jour de l'événement";
    ZoneBitsFull { code: String } => BadInput, "zone_bits_full",
        en: "zone {code}: every one of the 64 bits of a token's zone mask is already taken by a zone of this event, retired ones included",
        fr: "zone {code} : les 64 bits du masque des zones d'un badge sont déjà tous pris par des zones de cet événement, zones retirées comprises";

    // ── Badge template and logo ────────────────────────────────────────
    LogoNotBase64 {} => BadInput, "logo_encoding",
        en: "badge template: the logo is not a PNG sent as base64",
        fr: "modèle de badge : le logo n'est pas une image PNG transmise en base64";
    LogoTooHeavy { kb: u64, max_kb: u64 } => BadInput, "logo_too_heavy",
        en: "badge template: the logo is {kb} KB, at most {max_kb} KB",
        fr: "modèle de badge : le logo pèse {kb} Ko, {max_kb} Ko au plus ; réduisez-le";
    LogoNotPng {} => BadInput, "logo_not_png",
        en: "badge template: the logo is not a PNG image (PNG or SVG files only)",
        fr: "modèle de badge : le logo n'est pas une image PNG (fichiers PNG ou SVG seulement)";
    LogoSize { w: u64, h: u64, min: u64, max: u64 } => BadInput, "logo_size",
        en: "badge template: the logo is {w}×{h} pixels; each side must be {min} to {max}",
        fr: "modèle de badge : le logo fait {w}×{h} pixels ; chaque côté doit mesurer de {min} à {max} pixels";
    LogoShape { w: u64, h: u64, ratio: u64 } => BadInput, "logo_shape",
        en: "badge template: the logo is {w}×{h} pixels, more than {ratio} times wider than tall (or taller than wide)",
        fr: "modèle de badge : le logo fait {w}×{h} pixels, plus de {ratio} fois plus large que haut (ou plus haut que large) ; recadrez-le";
    LogoUnreadable { detail: String } => BadInput, "logo_unreadable",
        en: "the template's logo is not a readable PNG: {detail}",
        fr: "le logo du modèle n'est pas une image PNG lisible ; enregistrez-le de nouveau en PNG";
    TemplateFileInvalid { name: String, detail: String } => BadInput, "template_file_invalid",
        en: "template {name}: {detail}",
        fr: "modèle {name} : le fichier n'est pas un modèle de badge valide ({detail})";
    TemplateEventEmpty { name: String } => BadInput, "template_event_empty",
        en: "template {name}: field \"event\" is empty",
        fr: "modèle {name} : le champ « event » est vide";
    TemplateLogoFile { name: String, path: String, en: String, fr: String } => BadInput, "template_logo_file",
        en: "template {name}: logo {path:?}: {en}",
        fr: "modèle {name} : logo « {path} » : {fr}";
    TemplateEventNameEmpty {} => BadInput, "template_event_name_empty",
        en: "badge template: the event name is empty",
        fr: "modèle de badge : le nom de l'événement est vide";
    TemplateTextTooLong { field: FieldWord, value: String, n: u64, max: u64 } => BadInput, "template_text_too_long",
        en: "badge template: the {field} {value:?} has {n} characters, at most {max} fit",
        fr: "modèle de badge : {field} « {value} » compte {n} caractères ; {max} au plus tiennent sur le badge";
    TemplateGlyph { field: FieldWord, value: String, glyph: Glyph } => BadInput, "template_glyph",
        en: "badge template: the {field} {value:?} has {glyph}, which the badge font cannot print",
        fr: "modèle de badge : {field} « {value} » contient {glyph}, que la police des badges ne sait pas imprimer";

    // ── Badges, tokens and their layout ────────────────────────────────
    NoAttendee { serial: String } => NotFound, "no_attendee",
        en: "no attendee with badge number {serial}",
        fr: "aucun participant n'a le numéro de badge {serial}";
    AttendeeListField { serial: String, field: FieldWord, detail: String } => BadInput, "attendee_list_field",
        en: "attendee {serial}: {field} is not a JSON list of strings: {detail}",
        fr: "participant {serial} : {field} n'est pas une liste JSON de textes";
    AttendeeDayFormat { serial: String, day: String } => BadInput, "attendee_day_format",
        en: "attendee {serial}: day {day:?} is not YYYY-MM-DD",
        fr: "participant {serial} : le jour « {day} » n'est pas une date AAAA-MM-JJ";
    AttendeeCategoryUnknown { serial: String, category: String } => BadInput, "attendee_category_unknown",
        en: "attendee {serial}: unknown category {category}",
        fr: "participant {serial} : la catégorie {category} n'existe pas dans cet événement";
    AttendeeZoneUnknown { serial: String, zone: String } => BadInput, "attendee_zone_unknown",
        en: "attendee {serial}: unknown zone {zone:?}",
        fr: "participant {serial} : la zone « {zone} » n'existe pas dans cet événement";
    AttendeeNoDay { serial: String } => BadInput, "attendee_no_day",
        en: "attendee {serial}: no day of the event is valid on this badge",
        fr: "participant {serial} : aucun jour de l'événement n'est valable sur ce badge ; cochez-en au moins un";
    AttendeeDayTooFar { serial: String, day: String, first: String } => BadInput, "attendee_day_too_far",
        en: "attendee {serial}: {day} is more than 64 days after {first}",
        fr: "participant {serial} : le {day} tombe plus de 64 jours après le {first}";
    BadgeRevokedNoToken { serial: String, reason: String } => Conflict, "badge_revoked_no_token",
        en: "badge {serial} is revoked ({reason}): no token is issued for it",
        fr: "le badge {serial} est révoqué ({reason}) : aucun code n'est plus émis pour lui";
    RevokeReasonMissing {} => BadInput, "revoke_reason_missing",
        en: "--reason: say why the badge is revoked",
        fr: "motif (--reason) : indiquez pourquoi le badge est révoqué";
    AlreadyRevoked { serial: String } => Conflict, "already_revoked",
        en: "badge {serial} is already revoked",
        fr: "le badge {serial} est déjà révoqué";
    RevokedNotPrinted { serial: String } => Conflict, "revoked_not_printed",
        en: "{serial} is revoked: its badge cannot be printed",
        fr: "{serial} est révoqué : son badge ne peut pas être imprimé";
    BadgeNumberRange { n: u64 } => BadInput, "badge_number_range",
        en: "badge number {n} is out of range 1..=999999",
        fr: "le numéro de badge {n} sort de la plage 1 à 999999";
    BadgeNumberFormat { value: String } => BadInput, "badge_number_format",
        en: "invalid badge number {value:?}: expected a prefix, a dash and six digits, like BMX-000042",
        fr: "numéro de badge « {value} » invalide : attendu un préfixe, un tiret et six chiffres, comme BMX-000042";
    BadgeNumbersExhausted { at: u64 } => Conflict, "badge_numbers_exhausted",
        en: "badge numbers exhausted at {at}",
        fr: "plus de numéros de badge disponibles (arrivé à {at})";
    BadgeFormatUnknown { value: String } => BadInput, "badge_format_unknown",
        en: "unknown badge format {value:?}: expected a6 or cr80",
        fr: "format de badge « {value} » inconnu : attendu a6 ou cr80";
    BadgeGlyph { serial: String, field: FieldWord, value: String, glyph: Glyph } => BadInput, "badge_glyph",
        en: "badge {serial}: {field} {value:?} has {glyph}, which the badge font cannot print",
        fr: "badge {serial} : {field} « {value} » contient {glyph}, que la police des badges ne sait pas imprimer";
    BadgeQr { serial: String, en: String, fr: String } => BadInput, "badge_qr",
        en: "badge {serial}: {en}",
        fr: "badge {serial} : {fr}";
    BadgeQrTooBig { serial: String, version: u64, modules: u64, need: String, format: String, room: String } => BadInput, "badge_qr_too_big",
        en: "badge {serial}: its QR code (version {version}, {modules} modules with the quiet zone) needs {need} mm for 0.4 mm modules, but the {format} badge has room for {room} mm: the token is too long",
        fr: "badge {serial} : son code QR (version {version}, {modules} modules avec la marge) demande {need} mm pour des modules de 0,4 mm, mais le badge {format} n'a de place que pour {room} mm : le jeton est trop long";
    BadgeNameEmpty { serial: String } => BadInput, "badge_name_empty",
        en: "badge {serial}: the name is empty",
        fr: "badge {serial} : le nom est vide";
    QrEmpty {} => BadInput, "qr_empty",
        en: "the QR text is empty",
        fr: "le texte du code QR est vide";
    QrCharacter { glyph: Glyph, at: u64 } => BadInput, "qr_character",
        en: "the QR text has {glyph} at position {at}: only 0-9, A-Z, space and $%*+-./: fit QR alphanumeric mode",
        fr: "le texte du code QR contient {glyph} en position {at} : seuls 0-9, A-Z, l'espace et $%*+-./: tiennent dans le mode alphanumérique";
    QrTooLong { n: u64 } => BadInput, "qr_too_long",
        en: "the QR text is too long ({n} characters) for any QR version",
        fr: "le texte du code QR est trop long ({n} caractères) pour toute version de QR";
    BadgesNoneSelected {} => BadInput, "badges_none_selected",
        en: "no badges to print: the selection is empty",
        fr: "aucun badge à imprimer : la sélection est vide";
    FourUpNeedsA6 { format: String } => BadInput, "four_up_format",
        en: "four-up A4 sheets take A6 badges, not {format}",
        fr: "les planches A4 de quatre badges prennent des badges A6, pas {format}";
    NoPrintableInCategory { category: String } => NotFound, "no_printable_in_category",
        en: "no printable badge in category {category}",
        fr: "aucun badge à imprimer dans la catégorie {category}";
    NoPrintableInDelegation { delegation: String } => NotFound, "no_printable_in_delegation",
        en: "no printable badge in delegation {delegation:?}",
        fr: "aucun badge à imprimer dans la délégation « {delegation} »";
    NoPrintableInEvent {} => NotFound, "no_printable_in_event",
        en: "no printable badge in this event",
        fr: "aucun badge à imprimer dans cet événement";
    PhotoNotJpeg { why: String } => BadInput, "photo_not_jpeg",
        en: "the photo is not a usable JPEG: {why}",
        fr: "la photo n'est pas un fichier JPEG utilisable ; reprenez-la ou importez-la de nouveau";
    PhotoUnreadable { detail: String } => BadInput, "photo_unreadable",
        en: "the photo is not a readable JPEG: {detail}",
        fr: "la photo n'est pas un fichier JPEG lisible ; reprenez-la ou importez-la de nouveau";
    KidFormat { value: String } => BadInput, "kid_format",
        en: "invalid key id {value:?}: expected 16 hex digits",
        fr: "identifiant de clé « {value} » invalide : attendu 16 chiffres hexadécimaux";
    ReceivedKeyInvalid { detail: String } => BadInput, "received_key_invalid",
        en: "received private key: not PKCS#8 Ed25519: {detail}",
        fr: "clé privée reçue : ce n'est pas une clé Ed25519 au format PKCS#8";
    NoActiveKey { kid: String } => NotFound, "no_active_key",
        en: "no active signing key with kid {kid}",
        fr: "aucune clé de signature active d'identifiant {kid}";

    // ── Printing ───────────────────────────────────────────────────────
    CupsFailed { what_en: String, what_fr: String, detail: String } => Conflict, "cups_failed",
        en: "{what_en}: CUPS answered {detail:?}",
        fr: "{what_fr} : CUPS répond « {detail} »";
    PrinterNameInvalid { name: String } => BadInput, "printer_name_invalid",
        en: "invalid printer name {name:?}",
        fr: "nom d'imprimante « {name} » invalide";
    NoSuchPrinter { name: String } => NotFound, "no_such_printer",
        en: "no printer named {name:?} in CUPS (see `lpstat -e`)",
        fr: "aucune imprimante nommée « {name} » dans CUPS (voir `lpstat -e`)";
    CannotPrint { en: String, fr: String } => Conflict, "cannot_print",
        en: "cannot print: {en}",
        fr: "impression impossible : {fr}";
    PrintJobFormat { job: String } => BadInput, "print_job_format",
        en: "invalid print job id {job:?}: expected PRINTER-N",
        fr: "numéro de travail d'impression « {job} » invalide : attendu IMPRIMANTE-N";
    PrintJobGone { job: String } => NotFound, "print_job_gone",
        en: "CUPS no longer knows print job {job}",
        fr: "CUPS ne connaît plus le travail d'impression {job}";
    NoPrinterChosen {} => BadInput, "no_printer_chosen",
        en: "printer: no printer chosen for this station",
        fr: "imprimante : aucune imprimante n'est choisie pour ce poste";
    PrintFailed { line: String } => Conflict, "print_failed",
        en: "printing failed: {line}",
        fr: "impression échouée : {line}";
    PrintStillQueued { wait: u64, line: String } => Conflict, "print_still_queued",
        en: "not printed yet (the job stays queued) after {wait} s: {line}",
        fr: "toujours pas imprimé (le travail reste en file) après {wait} s : {line}";

    // ── The gate and its supervisor override ───────────────────────────
    NoZone { zone: String } => NotFound, "no_zone",
        en: "no zone {zone} in this event",
        fr: "aucune zone {zone} dans cet événement";
    NoPhoto { serial: String } => NotFound, "no_photo",
        en: "{serial} has no photo",
        fr: "{serial} n'a pas de photo";
    OverrideReasonMissing {} => BadInput, "override_reason_missing",
        en: "reason: say why the denial is overridden",
        fr: "motif : indiquez pourquoi le refus est levé";
    NoScan { id: String } => NotFound, "no_scan",
        en: "no scan {id}",
        fr: "aucun contrôle {id}";
    ScanNotDenial { id: String, decision: String } => Conflict, "scan_not_denial",
        en: "scan {id} was not a denial ({decision})",
        fr: "le contrôle {id} n'était pas un refus : il n'y a rien à lever";
    OverrideUnreadable {} => Conflict, "override_unreadable",
        en: "an unreadable token names nobody to let through",
        fr: "un code illisible ne désigne personne à laisser passer";
    OverrideRevoked { serial: String } => Conflict, "override_revoked",
        en: "{serial} is revoked: a revoked badge is never let through by an override; its holder goes to the desk",
        fr: "{serial} est révoqué : une dérogation ne laisse jamais passer un badge révoqué ; son titulaire se rend à l'accueil";
    WrongSupervisorPin {} => BadInput, "wrong_supervisor_pin",
        en: "pin: not the PIN of a supervisor who may override",
        fr: "code PIN : ce n'est pas celui d'un superviseur habilité à lever un refus";
    DirectionInvalid { value: String } => BadInput, "direction_invalid",
        en: "invalid direction {value:?}: expected in or out",
        fr: "sens « {value} » invalide : attendu `in` (entrée) ou `out` (sortie)";
    ZoneNotOfEvent { zone: String, event: String, zones: String } => BadInput, "zone_not_of_event",
        en: "--zone {zone}: not a zone of {event} (zones: {zones})",
        fr: "--zone {zone} : ce n'est pas une zone de {event} (zones : {zones})";
    ZoneNoBitYet { zone: String } => BadInput, "zone_no_bit_yet",
        en: "zone {zone} has no bit in a token's zone mask yet: save the event first",
        fr: "la zone {zone} n'a pas encore de bit dans le masque des zones des badges : enregistrez d'abord l'événement";
    AtFormat { value: String } => BadInput, "at_format",
        en: "--at {value:?}: expected an RFC 3339 instant like 2025-11-11T09:30:00Z",
        fr: "--at « {value} » : attendu un instant RFC 3339 comme 2025-11-11T09:30:00Z";
    AtOnPaired {} => BadInput, "at_on_paired",
        en: "--at: this station is paired with a hub, where a back-dated scan would sync; --at is for rehearsals on a standalone station",
        fr: "--at : ce poste est appairé à un hub, un scan antidaté s'y synchroniserait ; --at sert aux répétitions sur un poste autonome";

    // ── Attendees, photos, exports ─────────────────────────────────────
    StatusInvalid { value: String } => BadInput, "status_invalid",
        en: "invalid status {value:?}: expected preregistered, registered, printed or revoked",
        fr: "statut « {value} » invalide : attendu preregistered (pré-inscrit), registered (inscrit), printed (imprimé) ou revoked (révoqué)";
    PhotoTooHeavy { mb: u64, max_mb: u64 } => BadInput, "photo_too_heavy",
        en: "photo: the file is {mb} MB, more than the {max_mb} MB accepted",
        fr: "photo : le fichier pèse {mb} Mo, plus que les {max_mb} Mo acceptés";
    PhotoNotImage {} => BadInput, "photo_not_image",
        en: "photo: the file is not a JPEG or PNG image",
        fr: "photo : le fichier n'est pas une image JPEG ou PNG";
    PhotoTooLarge { w: u64, h: u64, max: u64 } => BadInput, "photo_too_large",
        en: "photo: {w}×{h} pixels is larger than the {max} pixels accepted",
        fr: "photo : {w}×{h} pixels, c'est plus que les {max} pixels acceptés";
    PhotoCannotRead { detail: String } => BadInput, "photo_cannot_read",
        en: "photo: the image cannot be read: {detail}",
        fr: "photo : l'image est illisible (fichier endommagé ?)";
    PhotoTooSmall { w: u64, h: u64, min: u64 } => BadInput, "photo_too_small",
        en: "photo: {w}×{h} pixels is too small, at least {min}×{min} is needed",
        fr: "photo : {w}×{h} pixels, c'est trop petit ; il faut au moins {min}×{min}";
    PhotoTooLargeForJpeg { w: u64, h: u64 } => BadInput, "photo_too_large_for_jpeg",
        en: "photo: {w}×{h} pixels is larger than a JPEG can hold",
        fr: "photo : {w}×{h} pixels, c'est plus qu'un JPEG ne peut en contenir";
    XlsxTooManyRows {} => BadInput, "xlsx_too_many_rows",
        en: "too many rows for XLSX",
        fr: "trop de lignes pour un fichier XLSX ; exportez en CSV";
    XlsxTooManyColumns {} => BadInput, "xlsx_too_many_columns",
        en: "too many columns for XLSX",
        fr: "trop de colonnes pour un fichier XLSX ; exportez en CSV";
    ExportExtension { path: String } => BadInput, "export_extension",
        en: "{path}: the file name must end in .csv or .xlsx",
        fr: "{path} : le nom du fichier doit finir par .csv ou .xlsx";
    ReportExtension { path: String } => BadInput, "report_extension",
        en: "--out {path}: the file must end in .csv, .xlsx or .pdf",
        fr: "--out {path} : le fichier doit finir par .csv, .xlsx ou .pdf";
    RollcallExtension { path: String } => BadInput, "rollcall_extension",
        en: "--out {path}: the file must end in .csv or .pdf",
        fr: "--out {path} : le fichier doit finir par .csv ou .pdf";
    AlreadyErased { serial: String, at: String } => Conflict, "already_erased",
        en: "{serial} was already erased on {at}",
        fr: "{serial} a déjà été effacé le {at}";
    PurgeConfirm { typed: String, name: String } => BadInput, "purge_confirm",
        en: "--confirm: {typed:?} is not the event's name; type {name:?} to purge its personal data",
        fr: "--confirm : « {typed} » n'est pas le nom de l'événement ; tapez « {name} » pour en effacer les données personnelles";
    ImportInvalidRows { file: String, invalid: u64, first_en: String, first_fr: String } => BadInput, "import_invalid_rows",
        en: "{file}: {invalid} invalid row(s), nothing imported (first: {first_en}); correct them or use --skip-invalid",
        fr: "{file} : {invalid} ligne(s) invalide(s), rien n'est importé (première : {first_fr}) ; corrigez-les ou utilisez --skip-invalid";

    // ── Console, staff and the command line ────────────────────────────
    InstantFormat { field: String, value: String } => BadInput, "instant_format",
        en: "{field} {value:?}: expected an instant like 2025-11-11T09:30:00Z",
        fr: "{field} « {value} » : attendu un instant comme 2025-11-11T09:30:00Z";
    NoteMissing {} => BadInput, "note_missing",
        en: "note: write what was found",
        fr: "note : écrivez ce qui a été constaté";
    NoConflict { scans: String } => NotFound, "no_conflict",
        en: "no conflict between scans {scans}",
        fr: "aucun conflit entre les contrôles {scans}";
    TooManyFiles { name: String, dir: String } => Conflict, "too_many_files",
        en: "too many files named {name} in {dir}",
        fr: "trop de fichiers nommés {name} dans {dir} ; faites-y de la place";
    MappingInvalid { detail: String, mapping: String } => BadInput, "mapping_invalid",
        en: "mapping: {detail} (in {mapping:?})",
        fr: "correspondance des colonnes illisible ({mapping})";
    PinsDiffer {} => BadInput, "pins_differ",
        en: "pin: the two entries differ, nothing changed",
        fr: "code PIN : les deux saisies diffèrent, rien n'a changé";
    NoStaffNamed { name: String } => NotFound, "no_staff_named",
        en: "no staff account named {name:?} (`gatehouse staff list` shows them)",
        fr: "aucun compte nommé « {name} » (`gatehouse staff list` les montre)";
    StaffNameAmbiguous { n: u64, name: String } => Conflict, "staff_name_ambiguous",
        en: "{n} accounts are named {name:?}: give the id (`gatehouse staff list --json`)",
        fr: "{n} comptes s'appellent « {name} » : donnez l'identifiant (`gatehouse staff list --json`)";
    DemoStartTooLate { day: String } => BadInput, "demo_start_too_late",
        en: "{day} is too late a start date",
        fr: "le {day} est une date de début trop tardive";
    DemoWouldReplace { db: String, event: String } => Conflict, "demo_would_replace",
        en: "{db} holds the event {event:?}: the demo would replace it; use another --db",
        fr: "{db} contient l'événement « {event} » : la démonstration le remplacerait ; donnez une autre base avec --db";
    StartingFormat { value: String } => BadInput, "starting_format",
        en: "--starting {value:?}: expected `today` or a date YYYY-MM-DD",
        fr: "--starting « {value} » : attendu `today` ou une date AAAA-MM-JJ";
    ZoneWithGateOnly {} => BadInput, "zone_with_gate_only",
        en: "--zone goes with --role gate",
        fr: "--zone ne va qu'avec --role gate";
    BackupTarget {} => BadInput, "backup_target",
        en: "--out FILE or --into DIR",
        fr: "indiquez --out FICHIER ou --into DOSSIER";
    PathNotUtf8 { path: String } => BadInput, "path_not_unicode",
        en: "{path}: not a UTF-8 path",
        fr: "{path} : ce chemin n'est pas en UTF-8 ; choisissez un nom sans caractères spéciaux";
    DbMissing { db: String } => NotFound, "db_missing",
        en: "{db} is missing",
        fr: "{db} est introuvable";

    // ── Sync ───────────────────────────────────────────────────────────
    StationRoleText { value: String } => BadInput, "station_role_text",
        en: "role {value:?}: expected desk, gate or admin",
        fr: "rôle « {value} » : attendu desk (accueil), gate (contrôle d'accès) ou admin (organisateur)";
    NoKeysForRole { role: RoleWord } => Forbidden, "no_keys_for_role",
        en: "a {role} station does not issue badges: it receives no private key",
        fr: "un poste « {role} » n'émet pas de badges : il ne reçoit aucune clé privée";
    StaffRoleUnknown { id: String, role: String } => BadInput, "staff_role_unknown",
        en: "staff account {id}: unknown role {role:?}",
        fr: "compte {id} : rôle « {role} » inconnu";
    PhotoNotBase64 { sha: String } => BadInput, "photo_encoding",
        en: "photo {sha}: not base64",
        fr: "photo {sha} : ce n'est pas du base64";
    PhotoHashMismatch { sha: String, actual: String } => BadInput, "photo_hash_mismatch",
        en: "photo {sha}: its bytes hash to {actual}",
        fr: "photo {sha} : son contenu a pour empreinte {actual}";
    EntrySeqRange { seq: u64 } => BadInput, "entry_seq_range",
        en: "entry sequence {seq} out of range",
        fr: "numéro d'entrée {seq} hors limites";
    NonceFormat {} => BadInput, "nonce_format",
        en: "pairing nonce: expected 64 hex digits",
        fr: "nonce d'appairage : attendu 64 chiffres hexadécimaux";
    EditAheadRefused { station: String, secs: u64, max: u64 } => Conflict, "edit_ahead_refused",
        en: "an edit stamped by station {station} is {secs} s ahead of the time here (more than {max} s): it is not taken until that station's clock is set right",
        fr: "une modification datée par le poste {station} est en avance de {secs} s sur l'heure d'ici (plus de {max} s) : elle n'est pas prise tant que l'horloge de ce poste n'est pas remise à l'heure";
    StationMayNot { station: RoleWord } => Forbidden, "station_may_not",
        en: "this station is paired as {station}: it does a {station} station's work only; do this on the hub or an organiser station",
        fr: "ce poste est appairé comme poste « {station} » : il ne fait que le travail d'un tel poste ; faites cela sur le hub ou sur un poste organisateur";
    ClockSkewHeld { secs: u64 } => Conflict, "clock_skew_held",
        en: "the hub did not take this station's changes from an edit stamped {secs} s ahead of its clock (made while this station's clock was wrong): they wait until the hub's time reaches them; what the hub sent was received",
        fr: "le hub n'a pas pris les modifications de ce poste datées de {secs} s en avance sur son horloge (faites quand l'horloge de ce poste était fausse) : elles attendent que l'heure du hub les rattrape ; ce que le hub a envoyé a été reçu";
    // ── The hub's store (issue 18) ──────────────────────────────────────
    HubStoreUnknown { store: String } => BadInput, "hub_store_unknown",
        en: "--store {store}: give `sqlite` (the hub's own database, the default) or a PostgreSQL address `postgres://user@host/database`",
        fr: "--store {store} : indiquez `sqlite` (la base du hub, par défaut) ou une adresse PostgreSQL `postgres://utilisateur@hôte/base`";
    HubStoreUnreachable { store: String, detail: String } => Conflict, "hub_store_unreachable",
        en: "the hub cannot reach its PostgreSQL database {store} ({detail}): check that the server runs and accepts this user",
        fr: "le hub ne joint pas sa base PostgreSQL {store} ({detail}) : vérifiez que le serveur tourne et accepte cet utilisateur";

    // ── Merged this stop: vetting, first start, kiosk ──────────────────
    HoldPolicyUnknown { value: String } => BadInput, "hold_policy_unknown",
        en: "vetting: {value:?} is not a hold policy (off, no_print, print_held)",
        fr: "accréditation : « {value} » n'est pas une règle de retenue (`off`, `no_print` ou `print_held`)";
    DateTooLate { date: String } => BadInput, "date_too_late",
        en: "{date} is too late a date",
        fr: "la date {date} est trop lointaine";
    HomeNotSet {} => BadInput, "home_not_set",
        en: "HOME is not set: no folder for the autostart entry",
        fr: "HOME n'est pas défini : pas de dossier pour le démarrage automatique";
    // ── Security vetting (issue 16) ────────────────────────────────────
    VettingReasonMissing {} => BadInput, "vetting_reason_missing",
        en: "reason: say why (every vetting decision is recorded with its reason)",
        fr: "motif : indiquez pourquoi (chaque décision d'accréditation est enregistrée avec son motif)";
    VettingTransition { serial: String, from: StatusWord, to: StatusWord } => Conflict, "vetting_transition",
        en: "badge {serial}: the accreditation is {from}, it cannot become {to}",
        fr: "badge {serial} : l'accréditation est {from}, elle ne peut pas devenir {to}";
    VettingNoPrint { serial: String, status: StatusWord } => Conflict, "vetting_no_print",
        en: "badge {serial} does not print: the accreditation is {status} (the security services have not cleared this person)",
        fr: "le badge {serial} ne s'imprime pas : l'accréditation est {status} (les services de sécurité n'ont pas accordé l'accréditation à cette personne)";
    VettingImportColumns {} => BadInput, "vetting_import_columns",
        en: "the answer file needs a header line naming a badge number (or reference) column, a decision column and a reason column",
        fr: "le fichier de réponse doit avoir une ligne d'en-tête nommant une colonne numéro de badge (ou référence), une colonne décision et une colonne motif";
    VettingImportWho { value: String } => BadInput, "vetting_import_who",
        en: "{value:?} is neither a badge number nor an organiser's reference of this event",
        fr: "« {value} » n'est ni un numéro de badge ni une référence de l'organisateur pour cet événement";
    VettingImportDecision { value: String } => BadInput, "vetting_import_decision",
        en: "decision {value:?}: expected clear, refuse, more information or review",
        fr: "décision « {value} » : attendu accordée, refusée, informations ou examen";
    VettingImportRefused { file: String, n: u64, first: String } => BadInput, "vetting_import_refused",
        en: "{file}: {n} line(s) refused, nothing recorded (first: {first})",
        fr: "{file} : {n} ligne(s) refusée(s), rien n'est enregistré (première : {first})";
    VettingNotVetted { serial: String } => BadInput, "vetting_not_vetted",
        en: "badge {serial}: its category is not vetted, there is nothing to decide",
        fr: "badge {serial} : sa catégorie n'est pas soumise à accréditation, il n'y a rien à décider";
    // ── Watchlist (issue 16) ──────────────────────────────────────────
    WatchlistNotHere { role: RoleWord } => Forbidden, "watchlist_not_here",
        en: "this station is paired as {role}: the watchlist is kept on organiser stations only (the hub or an organiser console) and never reaches desks or gates, which see only \"held for review\"",
        fr: "ce poste est appairé comme {role} : la liste de surveillance reste sur les postes de l'organisateur (le hub ou une console organisateur) et n'atteint jamais l'accueil ni les contrôles, qui ne voient que « en attente d'examen »";
    WatchlistNoName { headers: String } => BadInput, "watchlist_no_name",
        en: "line 1: a watchlist needs a name column: Name (Nom), or Given names (Prénom) and Family name (Nom de famille) (headers: {headers})",
        fr: "ligne 1 : une liste de surveillance a besoin d'une colonne de nom : Nom, ou Prénom et Nom de famille (en-têtes : {headers})";
    WatchlistEmpty { file: String } => BadInput, "watchlist_empty",
        en: "{file} holds no watchlist line: the list in place is kept",
        fr: "{file} ne contient aucune ligne de liste de surveillance : la liste en place est conservée";
    WatchlistLinesRefused { file: String, count: u64, first: String } => BadInput, "watchlist_lines_refused",
        en: "{file}: {count} line(s) refused, nothing imported, the list in place stays (first: {first})",
        fr: "{file} : {count} ligne(s) refusée(s), rien n'est importé, la liste en place reste (première : {first})";
    // ── First start of an installed station ──────────────────────────────
    FirstStartDone {} => Conflict, "first_start_done",
        en: "this station is already set up (it holds an event, staff accounts or a hub link): sign in instead; the first-start choice is only for an empty station",
        fr: "ce poste est déjà configuré (il contient un événement, des comptes ou un lien avec un hub) : identifiez-vous ; le choix du premier démarrage n'existe que pour un poste vide";
    FirstStartNameMissing {} => BadInput, "first_start_name_missing",
        en: "event name: give the event a name",
        fr: "nom de l'événement : donnez un nom à l'événement";
    FirstStartDaysBackwards { first: String, last: String } => BadInput, "first_start_days_backwards",
        en: "last day {last} comes before the first day {first}",
        fr: "le dernier jour {last} précède le premier jour {first}";
    FirstStartTooManyDays { days: u64 } => BadInput, "first_start_too_many_days",
        en: "days: {days} days is more than the 31 a first start sets up; set up a shorter event, then add days in the console's setup",
        fr: "jours : {days} jours, c'est plus que les 31 d'un premier démarrage ; créez un événement plus court, puis ajoutez des jours dans la configuration de la console";
    FirstStartTimeZone { zone: String } => BadInput, "first_start_time_zone",
        en: "time zone: {zone:?} is not a time zone this station knows (like Africa/Bamako)",
        fr: "fuseau horaire : {zone:?} n'est pas un fuseau que ce poste connaît (par exemple Africa/Bamako)";

    // ── Kiosk stations ────────────────────────────────────────────────────
    KioskPinRefused {} => BadInput, "kiosk_pin_refused",
        en: "this PIN does not unlock the kiosk: an organiser's or a supervisor's PIN is needed",
        fr: "ce code PIN ne déverrouille pas le kiosque : il faut celui d'un organisateur ou d'un superviseur";

    // ── Vetting role and document reveal (issue 16) ───────────────────────
    StationRoleVetting {} => BadInput, "station_role_vetting",
        en: "role vetting: a station is paired as desk, gate or admin (security officers sign in at the hub or an organiser station)",
        fr: "rôle accréditation : un poste est appairé comme accueil, contrôle d'accès ou organisateur (les officiers de sécurité s'identifient au hub ou à un poste organisateur)";

    // ── Console settings: kiosk per station, automatic backups (issue 17) ──
    StationKioskNotHub {} => Conflict, "station_kiosk_not_hub",
        en: "kiosk mode is set for a station on the hub it is paired with, from its console or `gatehouse stations kiosk`",
        fr: "le mode kiosque d'un poste se règle sur le hub auquel il est appairé, depuis sa console ou par `gatehouse stations kiosk`";
    StationKioskUnknown { station: String } => NotFound, "station_kiosk_unknown",
        en: "station {station}: no paired station has this id (see `gatehouse stations`)",
        fr: "poste {station} : aucun poste appairé ne porte cet identifiant (voir `gatehouse stations`)";
    BackupFolderNotAbsolute { folder: String } => BadInput, "backup_folder_not_absolute",
        en: "folder {folder:?}: give the folder's full path, starting with / (for example /media/usb)",
        fr: "dossier {folder:?} : donnez le chemin complet du dossier, qui commence par / (par exemple /media/usb)";
    BackupFolderMissing { folder: String } => BadInput, "backup_folder_missing",
        en: "folder {folder}: it does not exist on this station (is the USB stick plugged in?)",
        fr: "dossier {folder} : il n'existe pas sur ce poste (la clé USB est-elle branchée ?)";
    BackupFolderGone { folder: String } => Conflict, "backup_folder_gone",
        en: "the folder {folder} is not there any more (USB stick pulled out?): no backup was made; plug it back in, it is tried again every minute",
        fr: "le dossier {folder} n'est plus là (clé USB retirée ?) : aucune sauvegarde n'a été faite ; rebranchez-la, un nouvel essai a lieu chaque minute";
    BackupEveryRange { minutes: u64, max: u64 } => BadInput, "backup_every_range",
        en: "every {minutes} minutes: give from 1 to {max} minutes",
        fr: "toutes les {minutes} minutes : indiquez de 1 à {max} minutes";
    BackupKeepRange { keep: u64, max: u64 } => BadInput, "backup_keep_range",
        en: "keep {keep} backups: give from 1 to {max}",
        fr: "garder {keep} sauvegardes : indiquez de 1 à {max}";
    ZoneSiteName { code: String, site: String } => BadInput, "zone_site_name",
        en: "zone {code}: the site {site:?} is not a site's name (1 to 60 characters, not blank)",
        fr: "zone {code} : « {site} » n'est pas un nom de site (1 à 60 caractères, pas seulement des espaces)";
    OperationUnknown { name: String } => NotFound, "operation_unknown",
        en: "this station has no operation {name:?} (is the screen from another version of Gatehouse? reload it)",
        fr: "ce poste n'a pas d'opération {name:?} (l'écran vient-il d'une autre version de Gatehouse ? rechargez-le)";
    OperationInput { name: String, detail: String } => BadInput, "operation_input",
        en: "{name}: what was sent cannot be read: {detail}",
        fr: "{name} : ce qui a été envoyé est illisible ({detail})";
}

/// The wire code a relayed refusal came under ([`Msg::FromHub`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WireCode(pub Option<ErrorCode>);

impl Say for WireCode {
    fn say(&self, _: Lang) -> String {
        String::new()
    }
}

/// The catalogue key a relayed refusal came with ([`Msg::FromHub`]), when
/// this build knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HubKey(pub Option<&'static str>);

impl HubKey {
    /// The hub's key as this build spells it (a newer hub's key is dropped).
    pub fn known(key: Option<&str>) -> HubKey {
        HubKey(key.and_then(|k| Msg::every().iter().map(Msg::key).find(|known| *known == k)))
    }
}

impl Say for HubKey {
    fn say(&self, _: Lang) -> String {
        String::new()
    }
}

impl Msg {
    /// The key, where a relayed refusal keeps the hub's.
    pub fn wire_key(&self) -> &'static str {
        match self {
            Msg::FromHub {
                key: HubKey(Some(key)),
                ..
            } => key,
            m => m.key(),
        }
    }

    /// The wire code, where a relayed refusal keeps the hub's.
    pub fn wire_code(&self) -> ErrorCode {
        match self {
            Msg::FromHub {
                wire: WireCode(Some(code)),
                ..
            } => *code,
            m => m.code(),
        }
    }
}

/// The English words of a text meant to be French (for tests: a French
/// screen or the French CLI must not show an English message).
#[cfg(test)]
pub(crate) fn english_in_french(text: &str) -> Vec<String> {
    let english: std::collections::HashSet<&str> = tests::ENGLISH.iter().copied().collect();
    tests::words(text)
        .filter(|w| english.contains(w.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// English words that have no place in a French sentence. (Words
    /// shared by both, "code", "zone", "hub", "badge", "PIN", are not here.)
    pub(super) const ENGLISH: &[&str] = &[
        "the",
        "this",
        "that",
        "with",
        "and",
        "not",
        "cannot",
        "please",
        "run",
        "use",
        "again",
        "first",
        "another",
        "already",
        "station",
        "database",
        "account",
        "wrong",
        "sign",
        "choose",
        "pair",
        "paired",
        "unreachable",
        "expired",
        "cancelled",
        "used",
        "refused",
        "error",
        "failed",
        "attendee",
        "attendees",
        "category",
        "name",
        "key",
        "keys",
        "signing",
        "only",
        "must",
        "was",
        "has",
        "is",
        "are",
        "be",
        "of",
        "to",
        "from",
        "for",
        "in",
        "at",
        "no",
        "none",
        "give",
        "try",
        "too",
        "many",
        "seconds",
        "hours",
        "bytes",
        "request",
        "body",
        "entry",
        "sent",
        "expected",
        "nothing",
        "stored",
        "details",
        "log",
        "answer",
        "answers",
        "network",
        "down",
    ];

    pub(super) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
        // Commands in back-quotes, file names (`.keys`) and flags are not prose.
        text.split('`')
            .step_by(2)
            .flat_map(str::split_whitespace)
            .filter(|t| !t.starts_with(['.', '-']))
            .flat_map(|s| s.split(|c: char| !c.is_alphanumeric() && c != '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
    }

    fn filled(m: &Msg) -> Msg {
        // Relayed refusals carry the hub's texts: give them real ones.
        match m {
            Msg::FromHub { .. } => Msg::FromHub {
                wire: WireCode(Some(ErrorCode::Conflict)),
                key: HubKey::known(Some("code_expired")),
                en: Msg::CodeExpired {}.text(Lang::En),
                fr: Msg::CodeExpired {}.text(Lang::Fr),
            },
            m => m.clone(),
        }
    }

    #[test]
    fn every_message_has_a_key_a_french_and_an_english_text() {
        let every = Msg::every();
        assert!(every.len() > 40, "{}", every.len());
        // The check itself catches an English sentence.
        assert_eq!(
            english_in_french("another active account already uses this PIN: choose another"),
            ["another", "account", "already", "this", "choose", "another"]
        );
        let mut keys = HashSet::new();
        let english: HashSet<&str> = ENGLISH.iter().copied().collect();
        for m in every.iter().map(filled) {
            let key = m.key();
            assert!(keys.insert(key), "key {key} given twice");
            assert!(
                key.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{key}"
            );
            let (fr, en) = (m.text(Lang::Fr), m.text(Lang::En));
            assert!(fr.len() > 5 && en.len() > 5, "{key}: {fr:?} / {en:?}");
            assert_ne!(fr, en, "{key}: the French text is the English one");
            let leaked: Vec<String> = words(&fr)
                .filter(|w| english.contains(w.as_str()))
                .collect();
            assert!(
                leaked.is_empty(),
                "{key}: English in French {leaked:?}: {fr}"
            );
            // French punctuation: a space before the colon.
            assert!(!has_tight_colon(&fr), "{key}: {fr}");
        }
    }

    /// "mot: suite" (English spacing) outside back-quoted commands.
    fn has_tight_colon(text: &str) -> bool {
        text.split('`').step_by(2).any(|s| {
            s.char_indices().any(|(i, c)| {
                c == ':'
                    && i > 0
                    && s[..i].chars().last().is_some_and(char::is_alphanumeric)
                    && s[i + 1..].starts_with(' ')
            })
        })
    }

    #[test]
    fn parameters_are_said_in_the_texts_language() {
        let m = Msg::RoleMayNot {
            role: RoleWord(Role::Desk),
        };
        assert_eq!(
            m.text(Lang::Fr),
            "le rôle « accueil » ne permet pas cette action"
        );
        assert_eq!(m.text(Lang::En), "the desk role may not do this");
        assert_eq!(m.code(), ErrorCode::Forbidden);
        let last = Msg::LastAdmin {};
        assert_eq!(last.key(), "last_admin");
        assert!(last.text(Lang::Fr).starts_with("c'est le dernier compte"));
    }
}
