/**
 * The transfer directory as a seat sees it (shared/transfers/targets.ts) and the X-Ticket-Id claim
 * (shared/transfers/ticket-header.ts): targets from the platform's directory only, the default way
 * per merge mode, service windows on the working-day calendar in Asia/Shanghai time, and a header
 * read as a claim (only a well-formed ticket is ever looked up).
 */
import { describe, expect, it } from 'vitest';
import type { DirectoryEntry, Unit } from '../../shared/directory/routes';
import { WorkCalendar } from '../../shared/directory/working-days';
import { availability, defaultKindOf, isOpen, transferTargets } from '../../shared/transfers/targets';
import { readTicketHeader, referTargetWithTicket, ticketHeaderLine } from '../../shared/transfers/ticket-header';

const entry = (over: Partial<DirectoryEntry>): DirectoryEntry => ({
  number: '12366',
  name: '纳税缴费服务热线',
  mergeMode: 'subcenter',
  status: 'active',
  unitCode: 'QY-12366',
  transferUri: 'sip:12366@qy.example',
  threeWay: true,
  serviceHours: '工作日 9:00-17:00',
  note: null,
  categoryCode: null,
  ...over,
});
const UNITS: Unit[] = [{ code: 'QY-12366', name: '国家税务总局清远市税务局', kind: 'subcenter', parent: null, hotline: '12366' }];
/** Shanghai wall-clock time as epoch ms. */
const at = (local: string) => Date.parse(`${local}+08:00`);

describe('transfer targets', () => {
  it('lists only active entries with an address, emergency lines first, without the seat’s own line', () => {
    const list = transferTargets(
      [
        entry({}),
        entry({ number: '12305', status: 'notOpened' }),
        entry({ number: '12333', mergeMode: 'dual', transferUri: null }),
        entry({ number: '120', name: '医疗急救电话', mergeMode: 'emergency', unitCode: null, threeWay: false }),
        entry({ number: '12345', name: '12345热线', mergeMode: 'local', unitCode: null }),
        entry({ number: '12348', mergeMode: 'dual', unitCode: 'QY-12348', threeWay: false }),
      ],
      UNITS,
      '12366',
    );
    expect(list.map((t) => t.number)).toEqual(['120', '12345', '12348']);
    expect(transferTargets([entry({})], UNITS)[0]).toMatchObject({ number: '12366', department: '国家税务总局清远市税务局', org: 'QY-12366', uri: 'sip:12366@qy.example', defaultKind: 'threeWay' });
    expect(list[0]).toMatchObject({ defaultKind: 'emergency', emergencyRule: 'transfer' });
    expect(transferTargets([entry({ number: '122', mergeMode: 'emergency', emergencyRule: 'readOut' })], UNITS)[0]!.emergencyRule).toBe('readOut');
  });

  it('transfers by default: emergency lines as their own action, three-way where expected, else blind', () => {
    expect(defaultKindOf({ mergeMode: 'emergency', threeWay: true })).toBe('emergency');
    expect(defaultKindOf({ mergeMode: 'subcenter', threeWay: true })).toBe('threeWay');
    expect(defaultKindOf({ mergeMode: 'dual', threeWay: false })).toBe('blind');
    expect(defaultKindOf({ mergeMode: 'whole', threeWay: false })).toBe('blind');
  });

  it('is open inside its windows in Shanghai time, on working days of the calendar for workday windows', () => {
    const windows = [
      { days: 'workdays', from: '08:30', to: '12:00' },
      { days: 'workdays', from: '14:30', to: '17:30' },
    ] as const;
    // Monday 2026-12-07.
    expect(isOpen(windows, at('2026-12-07T08:29:59'), undefined)).toBe(false);
    expect(isOpen(windows, at('2026-12-07T08:30:00'), undefined)).toBe(true);
    expect(isOpen(windows, at('2026-12-07T12:00:00'), undefined)).toBe(false);
    expect(isOpen(windows, at('2026-12-07T17:29:00'), undefined)).toBe(true);
    // 09:00 in Shanghai is 01:00 UTC: the window is read in Shanghai time, not the machine's.
    expect(isOpen([{ days: 'daily', from: '09:00', to: '10:00' }], Date.UTC(2026, 11, 6, 1, 30), undefined)).toBe(true);
    // Saturday: closed without a calendar; a make-up workday (调休) opens it; a holiday closes a Monday.
    expect(isOpen(windows, at('2026-12-12T09:00:00'), undefined)).toBe(false);
    const calendar = new WorkCalendar({ overrides: new Map([['2026-12-12', 'workday'], ['2026-12-07', 'holiday']]), knownYears: new Set([2026]) });
    expect(isOpen(windows, at('2026-12-12T09:00:00'), calendar)).toBe(true);
    expect(isOpen(windows, at('2026-12-07T09:00:00'), calendar)).toBe(false);
    // Daily windows ignore the calendar; no windows means always (7x24).
    expect(isOpen([{ days: 'daily', from: '00:00', to: '24:00' }], at('2026-12-07T23:59:00'), calendar)).toBe(true);
    expect(isOpen(undefined, at('2026-12-07T03:00:00'), calendar)).toBe(true);
    expect(isOpen([], at('2026-12-07T03:00:00'), calendar)).toBe(true);
    const target = transferTargets([entry({ hours: [...windows] })], UNITS)[0]!;
    expect(availability(target, at('2026-12-07T10:00:00'), calendar)).toBe('closed');
    expect(availability(target, at('2026-12-08T10:00:00'), calendar)).toBe('open');
  });
});

describe('X-Ticket-Id', () => {
  const id = '6f1c8a52-8a55-4f0e-9c1e-2d3b4a5c6d7e';
  it('is a ticket only when it is one well-formed id', () => {
    expect(readTicketHeader([])).toEqual({ kind: 'none' });
    expect(readTicketHeader([id])).toEqual({ kind: 'ticket', ticketId: id });
    expect(readTicketHeader([` ${id.toUpperCase()} `])).toEqual({ kind: 'ticket', ticketId: id });
    expect(readTicketHeader([id, id])).toEqual({ kind: 'ticket', ticketId: id });
    for (const bad of [['not-a-ticket'], ["1' or '1'='1"], ['<img src=x onerror=alert(1)>'], [id, '7f1c8a52-8a55-4f0e-9c1e-2d3b4a5c6d7e'], ['x'.repeat(5000)], ['']]) {
      expect(readTicketHeader(bad)).toEqual({ kind: 'malformed' });
    }
  });

  it('is written only from a valid id, on the INVITE and in a Refer-To', () => {
    expect(ticketHeaderLine(id)).toBe(`X-Ticket-Id: ${id}`);
    expect(() => ticketHeaderLine('12\r\nVia: evil')).toThrow();
    expect(referTargetWithTicket('sip:12366@qy.example', id)).toBe(`sip:12366@qy.example?X-Ticket-Id=${id}`);
    expect(referTargetWithTicket('sip:12366@qy.example?Foo=1', id)).toBe(`sip:12366@qy.example?Foo=1&X-Ticket-Id=${id}`);
    expect(() => referTargetWithTicket('sip:12366@qy.example', 'nope')).toThrow();
  });
});
