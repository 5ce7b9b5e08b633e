/**
 * A biometric credential in Vigil is a reference: the reader vendor's name and the id its
 * enrolment system gave the template. The template itself (minutiae, face embedding, iris code)
 * stays in the vendor's enrolment store and the reader. Vigil refuses anything that looks like
 * template data because biometric data is sensitive personal data under GDPR art. 9 and BIPA,
 * cannot be changed when leaked as a password can, and has no use here: matching happens at the
 * reader, which only reports which enrolment matched.
 *
 * An enrolment id is short text. Templates are hundreds to thousands of bytes and arrive encoded
 * as base64 or hex, so the checks are: at most 128 characters, only id characters (no `+ / =`
 * of base64, no whitespace), and no unbroken run of more than 64 letters and digits (longer than
 * a hex SHA-256, which is the longest id-like token we expect).
 */
import { peopleError } from './errors.js';

export const MAX_TEMPLATE_REF_LENGTH = 128;
const ID_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const ENCODED_RUN = /[A-Za-z0-9]{65,}/;

export function checkTemplateRef(ref: string): void {
  const reject = (why: string) =>
    peopleError(
      'people.biometric_template_rejected',
      `The biometric reference ${why}; send the vendor's enrolment id, never template data`,
      {
        length: ref.length,
        maxLength: MAX_TEMPLATE_REF_LENGTH,
      },
    );
  if (ref.length > MAX_TEMPLATE_REF_LENGTH) throw reject(`is ${ref.length} characters long`);
  if (!ID_CHARACTERS.test(ref)) throw reject('contains characters an enrolment id does not (such as base64 + / = or spaces)');
  if (ENCODED_RUN.test(ref)) throw reject('contains a long unbroken run of letters and digits, as encoded bytes do');
}
