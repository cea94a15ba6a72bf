//! The words Variorum itself writes ("Contents", "Witnesses", "Notes", …), in the edition's
//! language: a built-in table per language (English, German, French, Spanish, Italian,
//! Russian, Persian), with `labels:` under `edition:` replacing any of them.
//!
//! Call [`Labels::get`] with a [`Label`]; to add a word, add a variant, its key and a row.

use crate::diag::{Diagnostic, Diagnostics};
use crate::yaml::Node;

/// A word or phrase Variorum writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    Contents,
    Witnesses,
    /// Before a sigil: "Witness A".
    Witness,
    Notes,
    /// Before a section's title: "Notes on …".
    NotesOn,
    PointsOfDivergence,
    /// Before a publisher's name.
    PublishedBy,
    Readings,
    Cover,
    TitlePage,
    Discrepancy,
    Provenance,
    Emendation,
    Correction,
    Gloss,
    Bibliography,
    Index,
    Chronology,
    /// Column heads of the tables.
    Sigil,
    Note,
    /// Field names in the witnesses table.
    Author,
    Published,
    /// A handout's title page: "Witnesses {} only", `{}` standing for the sigla.
    Selection,
    /// The same for one witness: "Witness {} only".
    SelectionOfOne,
    /// Between the last two items of a list: "A, B and C".
    And,
    /// The parts of the Index, one per kind of entry.
    IndexOfPersons,
    IndexOfPlaces,
    IndexOfWorks,
    IndexOfSubjects,
    /// Column heads of the Chronology.
    Event,
    RecordDate,
}

/// Every label with its key in `labels:`, in table order.
const KEYS: &[(Label, &str)] = &[
    (Label::Contents, "contents"),
    (Label::Witnesses, "witnesses"),
    (Label::Witness, "witness"),
    (Label::Notes, "notes"),
    (Label::NotesOn, "notes-on"),
    (Label::PointsOfDivergence, "points-of-divergence"),
    (Label::PublishedBy, "published-by"),
    (Label::Readings, "readings"),
    (Label::Cover, "cover"),
    (Label::TitlePage, "title-page"),
    (Label::Discrepancy, "discrepancy"),
    (Label::Provenance, "provenance"),
    (Label::Emendation, "emendation"),
    (Label::Correction, "correction"),
    (Label::Gloss, "gloss"),
    (Label::Bibliography, "bibliography"),
    (Label::Index, "index"),
    (Label::Chronology, "chronology"),
    (Label::Sigil, "sigil"),
    (Label::Note, "note"),
    (Label::Author, "author"),
    (Label::Published, "published"),
    (Label::Selection, "selection"),
    (Label::SelectionOfOne, "selection-of-one"),
    (Label::And, "and"),
    (Label::IndexOfPersons, "index-of-persons"),
    (Label::IndexOfPlaces, "index-of-places"),
    (Label::IndexOfWorks, "index-of-works"),
    (Label::IndexOfSubjects, "index-of-subjects"),
    (Label::Event, "event"),
    (Label::RecordDate, "record-date"),
];

/// The built-in tables: a language's primary subtag and its words in [`KEYS`] order.
const TABLES: &[(&str, [&str; 31])] = &[
    (
        "en",
        [
            "Contents",
            "Witnesses",
            "Witness",
            "Notes",
            "Notes on",
            "Points of divergence",
            "Published by",
            "Readings",
            "Cover",
            "Title page",
            "discrepancy",
            "provenance",
            "emendation",
            "correction",
            "gloss",
            "Bibliography",
            "Index",
            "Chronology",
            "Sigil",
            "Note",
            "Author",
            "Published",
            "Witnesses {} only",
            "Witness {} only",
            "and",
            "Persons",
            "Places",
            "Works",
            "Subjects",
            "Event",
            "Record",
        ],
    ),
    (
        "de",
        [
            "Inhalt",
            "Textzeugen",
            "Textzeuge",
            "Anmerkungen",
            "Anmerkungen zu",
            "Abweichungen",
            "Erschienen bei",
            "Lesarten",
            "Umschlag",
            "Titelseite",
            "Abweichung",
            "Herkunft",
            "Emendation",
            "Korrektur",
            "Glosse",
            "Bibliographie",
            "Register",
            "Zeittafel",
            "Sigle",
            "Anm.",
            "Verfasser",
            "Erschienen",
            "Nur die Textzeugen {}",
            "Nur der Textzeuge {}",
            "und",
            "Personen",
            "Orte",
            "Werke",
            "Sachen",
            "Ereignis",
            "Überlieferung",
        ],
    ),
    (
        "fr",
        [
            "Table des matières",
            "Témoins",
            "Témoin",
            "Notes",
            "Notes sur",
            "Points de divergence",
            "Publié par",
            "Leçons",
            "Couverture",
            "Page de titre",
            "divergence",
            "provenance",
            "émendation",
            "correction",
            "glose",
            "Bibliographie",
            "Index",
            "Chronologie",
            "Sigle",
            "Note",
            "Auteur",
            "Publié",
            "Témoins {} seulement",
            "Témoin {} seulement",
            "et",
            "Personnes",
            "Lieux",
            "Œuvres",
            "Matières",
            "Événement",
            "Date attestée",
        ],
    ),
    (
        "es",
        [
            "Índice",
            "Testimonios",
            "Testimonio",
            "Notas",
            "Notas sobre",
            "Puntos de divergencia",
            "Publicado por",
            "Lecturas",
            "Cubierta",
            "Portada",
            "discrepancia",
            "procedencia",
            "enmienda",
            "corrección",
            "glosa",
            "Bibliografía",
            "Índice analítico",
            "Cronología",
            "Sigla",
            "Nota",
            "Autor",
            "Publicado",
            "Solo los testimonios {}",
            "Solo el testimonio {}",
            "y",
            "Personas",
            "Lugares",
            "Obras",
            "Materias",
            "Suceso",
            "Fecha documentada",
        ],
    ),
    (
        "it",
        [
            "Indice",
            "Testimoni",
            "Testimone",
            "Note",
            "Note su",
            "Punti di divergenza",
            "Pubblicato da",
            "Lezioni",
            "Copertina",
            "Frontespizio",
            "discrepanza",
            "provenienza",
            "emendazione",
            "correzione",
            "glossa",
            "Bibliografia",
            "Indice analitico",
            "Cronologia",
            "Sigla",
            "Nota",
            "Autore",
            "Pubblicato",
            "Solo i testimoni {}",
            "Solo il testimone {}",
            "e",
            "Persone",
            "Luoghi",
            "Opere",
            "Argomenti",
            "Evento",
            "Data documentata",
        ],
    ),
    (
        "ru",
        [
            "Содержание",
            "Источники текста",
            "Источник",
            "Примечания",
            "Примечания к",
            "Расхождения",
            "Издатель:",
            "Чтения",
            "Обложка",
            "Титульный лист",
            "расхождение",
            "происхождение",
            "конъектура",
            "исправление",
            "глосса",
            "Библиография",
            "Указатель",
            "Хронология",
            "Шифр",
            "Прим.",
            "Автор",
            "Опубликовано",
            "Только источники {}",
            "Только источник {}",
            "и",
            "Лица",
            "Места",
            "Произведения",
            "Предметы",
            "Событие",
            "Дата по источнику",
        ],
    ),
    (
        "fa",
        [
            "فهرست",
            "نسخه‌ها",
            "نسخهٔ",
            "یادداشت‌ها",
            "یادداشت‌های",
            "موارد اختلاف",
            "ناشر:",
            "ضبط‌ها",
            "جلد",
            "صفحهٔ عنوان",
            "اختلاف",
            "منشأ",
            "تصحیح قیاسی",
            "اصلاح",
            "توضیح",
            "کتاب‌نامه",
            "نمایه",
            "گاه‌شمار",
            "نشانه",
            "یادداشت",
            "نویسنده",
            "تاریخ انتشار",
            "فقط نسخه‌های {}",
            "فقط نسخهٔ {}",
            "و",
            "اشخاص",
            "مکان‌ها",
            "آثار",
            "موضوع‌ها",
            "رویداد",
            "تاریخ سند",
        ],
    ),
];

/// The edition's generated words: its language's table and the editor's replacements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    table: &'static [&'static str; 31],
    overrides: Vec<(Label, String)>,
}

impl Default for Labels {
    fn default() -> Labels {
        Labels {
            table: &TABLES[0].1,
            overrides: Vec::new(),
        }
    }
}

impl Labels {
    /// The built-in words of `language` (a BCP 47 tag), or `None` when there is no table.
    pub fn for_language(language: &str) -> Option<Labels> {
        let primary = primary_subtag(language);
        TABLES
            .iter()
            .find(|(lang, _)| *lang == primary)
            .map(|(_, table)| Labels {
                table,
                overrides: Vec::new(),
            })
    }

    /// The word for `label`.
    pub fn get(&self, label: Label) -> &str {
        if let Some((_, text)) = self.overrides.iter().find(|(l, _)| *l == label) {
            return text;
        }
        let i = KEYS
            .iter()
            .position(|(l, _)| *l == label)
            .expect("every label has a key");
        self.table[i]
    }

    /// The label of a witness: "Witness A".
    pub fn witness(&self, sigil: &str) -> String {
        format!("{} {sigil}", self.get(Label::Witness))
    }

    /// A handout's note on its title page: "Witnesses A and C only".
    pub fn selection(&self, sigla: &[String]) -> String {
        let list = match sigla.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} {} {last}", rest.join(", "), self.get(Label::And)),
            None => String::new(),
        };
        let pattern = self.get(if sigla.len() == 1 {
            Label::SelectionOfOne
        } else {
            Label::Selection
        });
        if pattern.contains("{}") {
            pattern.replace("{}", &list)
        } else {
            format!("{pattern} {list}")
        }
    }

    /// The word for a note kind.
    pub fn kind(&self, kind: crate::model::NoteKind) -> &str {
        use crate::model::NoteKind;
        self.get(match kind {
            NoteKind::Discrepancy => Label::Discrepancy,
            NoteKind::Provenance => Label::Provenance,
            NoteKind::Emendation => Label::Emendation,
            NoteKind::Correction => Label::Correction,
            NoteKind::Gloss => Label::Gloss,
        })
    }
}

/// Whether text in the language `tag` runs right to left (Arabic, Persian, Hebrew, Urdu, …).
pub fn is_right_to_left(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    lower
        .split('-')
        .any(|t| matches!(t, "arab" | "hebr" | "syrc" | "thaa"))
        || matches!(
            primary_subtag(tag).as_str(),
            "ar" | "fa" | "he" | "ur" | "ps" | "yi" | "sd" | "ug" | "ckb" | "dv" | "syr"
        )
}

/// The language subtag of a BCP 47 tag, lowercased (`de` of `de-AT`).
pub fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The labels of an edition in `language`, with `edition.labels` (when given) replacing
/// some; a language with no table gets English and a warning at `language_span`.
pub(crate) fn read(
    language: &str,
    language_span: crate::source::Span,
    node: Option<&Node>,
    diags: &mut Diagnostics,
) -> Labels {
    let mut labels = Labels::for_language(language).unwrap_or_else(|| {
        let known: Vec<&str> = TABLES.iter().map(|(l, _)| *l).collect();
        diags.push(
            Diagnostic::warning(format!(
                "Variorum has no words for the language `{language}`; its headings (\"Contents\", \"Notes\", …) are in English"
            ))
            .at(language_span, "no built-in labels")
            .hint(format!(
                "give them under `edition.labels:` (`contents: …`, `notes: …`); built in are {}",
                known.join(", ")
            )),
        );
        Labels::default()
    });
    let Some(node) = node else { return labels };
    let keys: Vec<&str> = KEYS.iter().map(|(_, k)| *k).collect();
    let Some(entries) = node.as_mapping("`edition.labels`", &keys, diags) else {
        return labels;
    };
    for (key, value) in entries {
        let label = KEYS
            .iter()
            .find(|(_, k)| *k == key.name)
            .map(|(l, _)| *l)
            .expect("as_mapping keeps only known keys");
        if let Some(text) = value.as_text(&format!("`labels.{}`", key.name), diags) {
            labels.overrides.push((label, text.trim().to_owned()));
        }
    }
    labels
}

/// The months of the languages with built-in tables, January first; Russian also has the
/// genitive a day's date takes ("22 ноября").
const MONTHS: &[(&str, [&str; 12])] = &[
    (
        "en",
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    ),
    (
        "de",
        [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
    ),
    (
        "fr",
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
    ),
    (
        "es",
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
    ),
    (
        "it",
        [
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ],
    ),
    (
        "ru",
        [
            "январь",
            "февраль",
            "март",
            "апрель",
            "май",
            "июнь",
            "июль",
            "август",
            "сентябрь",
            "октябрь",
            "ноябрь",
            "декабрь",
        ],
    ),
    (
        "ru-genitive",
        [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ],
    ),
    (
        "fa",
        [
            "ژانویه",
            "فوریه",
            "مارس",
            "آوریل",
            "مه",
            "ژوئن",
            "ژوئیه",
            "اوت",
            "سپتامبر",
            "اکتبر",
            "نوامبر",
            "دسامبر",
        ],
    ),
];

/// An ISO date as people write it in `language`: `1863-11` is "November 1863",
/// `2026-11-22` "22 November 2026" ("22. November 2026", "22 de noviembre de 2026", …); a
/// year stays a year. Text that is not an ISO date, or a language without a table, is
/// returned as it is.
pub fn human_date(iso: &str, language: &str) -> String {
    let lang = primary_subtag(language);
    let months = |table: &str| MONTHS.iter().find(|(l, _)| *l == table).map(|(_, m)| m);
    let mut parts = iso.trim().split('-');
    let number = |p: Option<&str>, digits: usize| {
        p.filter(|p| p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (year, month, day) = (parts.next(), parts.next(), parts.next());
    let (Some(year), Some(table)) = (number(year, 4), months(&lang)) else {
        return iso.to_owned();
    };
    if parts.next().is_some() {
        return iso.to_owned();
    }
    let month = match month {
        None => return year.to_string(),
        Some(m) => match number(Some(m), 2).filter(|m| (1..=12).contains(m)) {
            Some(m) => m as usize - 1,
            None => return iso.to_owned(),
        },
    };
    let Some(day) = day else {
        return match lang.as_str() {
            "es" => format!("{} de {year}", table[month]),
            "ru" => format!("{} {year} г.", table[month]),
            _ => format!("{} {year}", table[month]),
        };
    };
    let Some(day) = number(Some(day), 2).filter(|d| (1..=31).contains(d)) else {
        return iso.to_owned();
    };
    match lang.as_str() {
        "de" => format!("{day}. {} {year}", table[month]),
        "fr" if day == 1 => format!("1er {} {year}", table[month]),
        "es" => format!("{day} de {} de {year}", table[month]),
        "ru" => {
            let genitive = months("ru-genitive").unwrap_or(table);
            format!("{day} {} {year} г.", genitive[month])
        }
        _ => format!("{day} {} {year}", table[month]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_people_write_them() {
        assert_eq!(human_date("1863-11", "en"), "November 1863");
        assert_eq!(human_date("2026-11-22", "en-GB"), "22 November 2026");
        assert_eq!(human_date("2026-11-22", "de"), "22. November 2026");
        assert_eq!(human_date("2026-11-01", "fr"), "1er novembre 2026");
        assert_eq!(human_date("1863-11", "es"), "noviembre de 1863");
        assert_eq!(human_date("2026-11-22", "ru"), "22 ноября 2026 г.");
        assert_eq!(human_date("1863", "en"), "1863");
        assert_eq!(human_date("1863-13", "en"), "1863-13");
        assert_eq!(human_date("circa 1863", "en"), "circa 1863");
        assert_eq!(human_date("2026-11-22", "xx"), "2026-11-22");
    }

    #[test]
    fn languages_have_their_words_and_overrides_win() {
        let de = Labels::for_language("de-AT").unwrap();
        assert_eq!(de.get(Label::Contents), "Inhalt");
        assert_eq!(de.witness("A"), "Textzeuge A");
        assert_eq!(
            Labels::for_language("fa").unwrap().get(Label::Notes),
            "یادداشت‌ها"
        );
        assert!(Labels::for_language("tlh").is_none());
        let mut labels = de;
        labels.overrides.push((Label::Contents, "Übersicht".into()));
        assert_eq!(labels.get(Label::Contents), "Übersicht");
        assert_eq!(
            Labels::default().get(Label::PointsOfDivergence),
            "Points of divergence"
        );
        assert_eq!(KEYS.len(), TABLES[0].1.len());
        let sigla = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Labels::default().selection(&sigla(&["A", "C"])),
            "Witnesses A and C only"
        );
        assert_eq!(
            Labels::default().selection(&sigla(&["A", "B", "N"])),
            "Witnesses A, B and N only"
        );
        assert_eq!(
            Labels::for_language("de")
                .unwrap()
                .selection(&sigla(&["B"])),
            "Nur der Textzeuge B"
        );
    }
}
