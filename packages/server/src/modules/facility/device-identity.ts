/**
 * How a physical device is known: by its serial number or MAC address, normalised so the same
 * device always yields the same stable id, never by its IP address or name (both change when a
 * network is re-addressed or a room renamed, and the audit trail must survive that).
 */
import net from 'node:net';
import { facilityError } from './errors.js';

const SERIAL = /^[A-Z0-9][A-Z0-9._\-/:]{0,63}$/;

/** Upper-cases and removes blanks; accepts 1–64 of letters, digits and `-_./:`. */
export function normaliseSerial(raw: string): string {
  const serial = raw.replace(/\s+/g, '').toUpperCase();
  if (!SERIAL.test(serial)) {
    throw facilityError('facility.device_identity_invalid', `Serial number ${JSON.stringify(raw)} is not 1–64 letters, digits or -_./:`, {
      field: 'serialNumber',
    });
  }
  return serial;
}

/**
 * Accepts `00:1A:2b:3c:4d:5e`, `00-1A-2B-3C-4D-5E`, `001a.2b3c.4d5e` and `001A2B3C4D5E`; returns
 * lower-case colon form. Refuses all-zero, broadcast and multicast addresses: no single device owns them.
 */
export function normaliseMac(raw: string): string {
  const trimmed = raw.trim();
  const invalid = (why: string) =>
    facilityError('facility.device_identity_invalid', `MAC address ${JSON.stringify(raw)} ${why}`, { field: 'macAddress' });
  const separated = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i.test(trimmed);
  const dotted = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(trimmed);
  const bare = /^[0-9a-f]{12}$/i.test(trimmed);
  if (!separated && !dotted && !bare) throw invalid('is not six hexadecimal octets');
  const hex = trimmed.replace(/[:.-]/g, '').toLowerCase();
  if (/^0+$/.test(hex)) throw invalid('is all zeros');
  if ((parseInt(hex.slice(0, 2), 16) & 1) === 1) throw invalid('is a multicast or broadcast address, not a device');
  return hex.replace(/(..)(?!$)/g, '$1:');
}

/** `serial:<serial>` when the device has a serial number, else `mac:<mac>`. */
export function stableIdOf(serial: string | null, mac: string | null): string {
  if (serial) return `serial:${serial}`;
  if (mac) return `mac:${mac}`;
  throw facilityError('facility.device_identity_invalid', 'A device needs a serial number or a MAC address to be identified', {
    field: 'serialNumber',
  });
}

/** Validates and normalises an IPv4 or IPv6 address (IPv6 lower-cased). */
export function normaliseIp(raw: string): string {
  const ip = raw.trim().toLowerCase();
  if (net.isIP(ip) === 0)
    throw facilityError('facility.ip_address_invalid', `${JSON.stringify(raw)} is not an IP address`, { ipAddress: raw });
  return ip;
}
