import { defineErrors, errorFactory } from '../errors.js';

export const wiegandErrors = defineErrors({
  'wiegand.unknown_format': {
    kind: 'invalid',
    description: 'No known Wiegand format has that id or bit count; configure the card format or enrol the card by its raw bits.',
  },
  'wiegand.parity_failed': {
    kind: 'invalid',
    description: 'The read has the bit count of a known format but its parity bits do not check: a misread or a card of another format.',
  },
  'wiegand.ambiguous_format': {
    kind: 'invalid',
    description: 'More than one of the candidate formats fits the read; restrict the formats accepted at that reader.',
  },
  'wiegand.facility_code_out_of_range': {
    kind: 'invalid',
    description: 'The facility code is not a whole number the format can carry; see the format range.',
  },
  'wiegand.card_number_out_of_range': {
    kind: 'invalid',
    description: 'The card number is not a whole number the format can carry; see the format range.',
  },
  'wiegand.malformed_raw': {
    kind: 'invalid',
    description: 'The raw bits do not fit the stated bit count (wrong byte length, non-hex text, or a value too large).',
  },
});

export const wiegandError = errorFactory(wiegandErrors);
