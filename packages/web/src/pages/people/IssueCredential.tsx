/**
 * Issuing a card (Wiegand format, facility code, card number, validity) and setting a PIN. The
 * ranges come from the format's bit widths so a typo is caught here; the server checks the card
 * against its catalogue and refuses duplicates. The PIN field is never prefilled or echoed.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { FormDialog } from '../../components/admin/dialogs.tsx';
import { Field } from '../../components/admin/forms.tsx';
import { fromLocalInput, windowProblem } from '../../components/admin/time.ts';
import { CARD_FORMATS, maxOf, pinProblem, type CardFormatId } from './people-format.ts';

interface IssueProps {
  personId: string;
  onClose: () => void;
  onIssued: () => Promise<void>;
}

function ValidityFields({
  from,
  until,
  setFrom,
  setUntil,
}: {
  from: string;
  until: string;
  setFrom: (v: string) => void;
  setUntil: (v: string) => void;
}) {
  return (
    <>
      <Field label="Valid from" hint="Optional; local time.">
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </Field>
      <Field label="Valid until" hint="Optional.">
        <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
      </Field>
    </>
  );
}

export function IssueCardForm({ personId, onClose, onIssued }: IssueProps) {
  const [formatId, setFormatId] = useState<CardFormatId>('H10301');
  const [facilityCode, setFacilityCode] = useState('');
  const [cardNumber, setCardNumber] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const format = CARD_FORMATS.find((f) => f.id === formatId) ?? CARD_FORMATS[0];

  return (
    <FormDialog
      open
      title="Issue card"
      submitLabel="Issue card"
      onClose={onClose}
      validate={() => windowProblem(from, until)}
      onSubmit={async () => {
        await api.post(`/api/people/persons/${personId}/credentials/card`, {
          format: formatId,
          facilityCode: Number(facilityCode),
          cardNumber: Number(cardNumber),
          validFrom: fromLocalInput(from),
          validUntil: fromLocalInput(until),
        });
        await onIssued();
      }}
    >
      <Field label="Card format" hint="The Wiegand format printed on the card order or shown by the reader.">
        <select value={formatId} onChange={(e) => setFormatId(e.target.value as CardFormatId)} required>
          {CARD_FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Facility code" hint={`0 to ${maxOf(format.facilityBits)}`}>
        <input
          type="number"
          inputMode="numeric"
          min={0}
          max={maxOf(format.facilityBits)}
          step={1}
          value={facilityCode}
          onChange={(e) => setFacilityCode(e.target.value)}
          required
        />
      </Field>
      <Field label="Card number" hint={`0 to ${maxOf(format.cardBits)}`}>
        <input
          type="number"
          inputMode="numeric"
          min={0}
          max={maxOf(format.cardBits)}
          step={1}
          value={cardNumber}
          onChange={(e) => setCardNumber(e.target.value)}
          required
        />
      </Field>
      <ValidityFields from={from} until={until} setFrom={setFrom} setUntil={setUntil} />
    </FormDialog>
  );
}

export function SetPinForm({ personId, onClose, onIssued }: IssueProps) {
  const [pin, setPin] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  return (
    <FormDialog
      open
      title="Set PIN"
      submitLabel="Set PIN"
      onClose={onClose}
      validate={() => pinProblem(pin) ?? windowProblem(from, until)}
      onSubmit={async () => {
        await api.post(`/api/people/persons/${personId}/credentials/pin`, {
          pin,
          validFrom: fromLocalInput(from),
          validUntil: fromLocalInput(until),
        });
        setPin('');
        await onIssued();
      }}
    >
      <Field label="PIN" hint="4 to 8 digits; not one digit repeated or a run such as 1234. Stored only as a salted hash.">
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          pattern="[0-9]{4,8}"
          maxLength={8}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          required
        />
      </Field>
      <ValidityFields from={from} until={until} setFrom={setFrom} setUntil={setUntil} />
    </FormDialog>
  );
}
