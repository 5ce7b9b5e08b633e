import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, type Problem } from '../../api/client.ts';
import { doorFieldErrors } from './door-problems.ts';

function refusal(code: string, detail: string, extra: Record<string, unknown> = {}): ApiError {
  const problem: Problem = { type: `urn:vigil:error:${code}`, title: code, status: 400, detail, code, ...extra };
  return new ApiError(problem);
}

const NONE = { entryReaderAddress: null, exitReaderAddress: null };

describe('server refusals beside the door form’s fields', () => {
  it('puts wiring given without what it needs beside each field the server names', () => {
    const error = refusal('facility.door_wiring_invalid', 'Door X is read by C but has no lock output', { fields: ['lockOutput'] });
    assert.deepEqual(doorFieldErrors(error, NONE), {
      lockOutput: { message: 'Door X is read by C but has no lock output', code: 'facility.door_wiring_invalid' },
    });
  });

  it('puts a taken reader address beside the side that sent it, not the other', () => {
    const error = refusal('facility.reader_address_in_use', 'Address 5 on bus main of C is already a reader of door Y', {
      bus: 'main',
      address: 5,
    });
    const errors = doorFieldErrors(error, { entryReaderAddress: 4, exitReaderAddress: 5 });
    assert.deepEqual(Object.keys(errors), ['exitReaderAddress']);
    assert.equal(errors.exitReaderAddress?.code, 'facility.reader_address_in_use');
  });

  it('puts each schema error beside the field its path starts with', () => {
    const error = refusal('request.invalid', 'Request body is invalid', {
      errors: [
        { location: 'body/osdpBus', message: 'must match pattern "^[A-Za-z0-9_-]{1,32}$"' },
        { location: 'body/entryReaderAddress', message: 'must be <= 126' },
        { location: 'body', message: 'must NOT have additional properties', field: 'colour' },
      ],
    });
    const errors = doorFieldErrors(error, NONE);
    assert.deepEqual(Object.keys(errors).sort(), ['entryReaderAddress', 'osdpBus']);
    assert.equal(errors.entryReaderAddress?.message, 'must be <= 126');
  });

  it('leaves refusals about no one field, and other failures, to the form as a whole', () => {
    assert.deepEqual(doorFieldErrors(refusal('facility.door_zones_invalid', 'Door X must lead into a zone'), NONE), {});
    assert.deepEqual(doorFieldErrors(new Error('network'), NONE), {});
  });
});
