/**
 * Why the core refused a field (`FieldProblem`, generated from Rust), said in the screen's
 * language. The core's English `message` is for logs; the UI never shows it for a problem it knows.
 */
import type { FieldProblem } from './bindings';
import { translate, type Lang, type MessageKey } from './i18n/dictionaries';

/** The i18n key and its parameters for `p`. */
export function problemMessage(p: FieldProblem): [MessageKey, Record<string, string | number>] {
  switch (p.kind) {
    case 'missing':
      return ['problem.missing', {}];
    case 'too_long':
      return ['problem.tooLong', { max: p.max }];
    case 'control_character':
      return ['problem.controlCharacter', {}];
    case 'unknown_category':
      return ['problem.unknownCategory', { value: p.value }];
    case 'unknown_country':
      return ['problem.unknownCountry', { value: p.value }];
    case 'not_an_email':
      return ['problem.notAnEmail', { value: p.value }];
    case 'unknown_zone':
      return ['problem.unknownZone', { value: p.value }];
    case 'not_a_date':
      return ['problem.notADate', { value: p.value }];
    case 'day_outside_event':
      return ['problem.dayOutsideEvent', { value: p.value }];
    case 'not_a_badge_number':
      return ['problem.notABadgeNumber', { value: p.value }];
    case 'same_person_as':
      return ['problem.samePersonAs', { line: p.line }];
    case 'pin_policy':
      return ['problem.pinPolicy', { min: p.min, max: p.max }];
  }
}

/**
 * `p` in `lang` (pass `i18n.lang` so the text follows the language switch); an unknown
 * category also suggests the near miss and lists the accepted categories.
 */
export function problemText(p: FieldProblem, lang: Lang): string {
  const text = translate(lang, ...problemMessage(p));
  if (p.kind !== 'unknown_category') return text;
  const parts = [text];
  if (p.suggestion) parts.push(translate(lang, 'problem.didYouMean', { value: p.suggestion }));
  if (p.accepted && p.accepted.length > 0) {
    const list = p.accepted.map((c) => `${lang === 'en' ? c.name_en : c.name_fr} (${c.code})`).join(', ');
    parts.push(translate(lang, 'problem.acceptedCategories', { list }));
  }
  return parts.join(' ');
}
