/**
 * Headset call control over WebHID, on recorded data: fixtures in fixtures/hid/ hold a hand-written report
 * descriptor, the collections WebHID exposes for it (extended usages = page << 16 | id, child items repeated in the
 * top-level reports, as Chromium builds them), input reports as WebHID delivers them (without the report-id byte)
 * with the events they must produce, and LED states with the exact output bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildReportMap,
  decodeInputReport,
  encodeOutputReport,
  encodeOutputReports,
  extendedUsage,
  findTelephonyCollections,
  HeadsetButtons,
  WebHidHeadset,
  type HeadsetEvent,
  type HidCollectionInfoLike,
  type HidConnectionEventLike,
  type HidDeviceLike,
  type HidInputReportEventLike,
  type HidLike,
  type LedState,
  type TelephonyReportMap,
} from '../../renderer/src/phone/headset/hid-telephony';

interface RecordedReport {
  reportId: number;
  data: string;
  note?: string;
}

interface ExpectedMap {
  collectionUsage: number;
  inputs: Array<{ reportId: number; controls: Record<string, number> }>;
  outputs: Array<{ reportId: number; byteLength: number; leds: Record<string, number> }>;
}

interface Fixture {
  device: string;
  collections: HidCollectionInfoLike[];
  expectedMap: ExpectedMap | null;
  recordings: Array<{ name: string; reports: RecordedReport[]; events: HeadsetEvent[] }>;
  leds: Array<{ state: LedState; reports: RecordedReport[] }>;
}

const FIXTURE_DIR = path.join(__dirname, 'fixtures/hid');

function load(name: string): Fixture {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Fixture;
}

const bytes = (hex: string): DataView => new DataView(Uint8Array.from(Buffer.from(hex, 'hex')).buffer);
const hex = (data: Uint8Array): string => Buffer.from(data).toString('hex');

function mapOf(fixture: Fixture): TelephonyReportMap {
  const map = buildReportMap(fixture.collections);
  if (!map) throw new Error(`no telephony map for ${fixture.device}`);
  return map;
}

/** The map reduced to bit offsets, the shape the fixtures spell out. */
function offsets(map: TelephonyReportMap | undefined): ExpectedMap | null {
  if (!map) return null;
  const bitOffsets = (fields: Record<string, { bitOffset: number } | undefined>) =>
    Object.fromEntries(Object.entries(fields).flatMap(([k, f]) => (f ? [[k, f.bitOffset]] : [])));
  return {
    collectionUsage: map.collectionUsage,
    inputs: map.inputs.map((r) => ({ reportId: r.reportId, controls: bitOffsets(r.controls) })),
    outputs: map.outputs.map((r) => ({ reportId: r.reportId, byteLength: r.byteLength, leds: bitOffsets(r.leds) })),
  };
}

const FIXTURES = ['jabra-style-headset', 'poly-style-headset', 'usb-desk-phone', 'usb-audio-adapter'];

describe.each(FIXTURES)('recorded device %s', (name) => {
  const fixture = load(name);

  it('maps the controls and LEDs to the expected report ids and bit offsets', () => {
    expect(offsets(buildReportMap(fixture.collections))).toEqual(fixture.expectedMap);
  });

  it.each(fixture.recordings.map((r) => [r.name, r] as const))('turns the recorded reports into events: %s', (_name, recording) => {
    const buttons = new HeadsetButtons(mapOf(fixture));
    const events = recording.reports.flatMap((r) => buttons.handle(r.reportId, bytes(r.data)));
    expect(events).toEqual(recording.events);
  });

  it('encodes the LED states to the exact output reports', () => {
    if (fixture.leds.length === 0) return;
    const map = mapOf(fixture);
    for (const { state, reports } of fixture.leds) {
      const encoded = encodeOutputReports(map, state).map((r) => ({ reportId: r.reportId, data: hex(r.data) }));
      expect(encoded, JSON.stringify(state)).toEqual(reports);
    }
  });
});

describe('report map', () => {
  it('reads each field flag it needs: absolute hook, relative mute, array keys', () => {
    const jabra = mapOf(load('jabra-style-headset')).inputs[0]?.controls;
    expect(jabra?.hookSwitch).toEqual({ bitOffset: 0, bitSize: 1, isAbsolute: true, logicalMinimum: 0 });
    expect(jabra?.phoneMute).toEqual({ bitOffset: 2, bitSize: 1, isAbsolute: false, logicalMinimum: 0 });
    const phone = mapOf(load('usb-desk-phone')).inputs[0]?.controls;
    expect(phone?.flash).toEqual({ bitOffset: 8, bitSize: 8, isAbsolute: true, logicalMinimum: 1, array: { count: 2, value: 1 } });
    expect(phone?.redial?.array).toEqual({ count: 2, value: 2 });
    expect(phone?.phoneMute?.array).toEqual({ count: 2, value: 3 });
  });

  it('maps lists, ranges and repeated usages field by field, skipping constant fields', () => {
    const t = (id: number) => extendedUsage(0x0b, id);
    const collections: HidCollectionInfoLike[] = [
      {
        usagePage: 0x0b,
        usage: 0x05,
        inputReports: [
          {
            reportId: 9,
            items: [
              // A constant field that still names Phone Mute (the device does not support it): skipped
              { isConstant: true, usages: [t(0x2f)], reportSize: 3, reportCount: 1 },
              // Flash, Hook Switch, Hook Switch, Hook Switch
              { isAbsolute: true, usages: [t(0x21), t(0x20)], reportSize: 1, reportCount: 4, logicalMinimum: 0, logicalMaximum: 1 },
              // Ring Select, Phone Mute, Phone Mute, Phone Mute
              { isAbsolute: false, isRange: true, usageMinimum: t(0x2e), usageMaximum: t(0x2f), reportSize: 1, reportCount: 4 },
              // Feature, Hold, Hold: a range stops at its maximum, so the third field is not Redial (0x24)
              { isRange: true, usageMinimum: t(0x22), usageMaximum: t(0x23), reportSize: 2, reportCount: 3, logicalMinimum: 0, logicalMaximum: 1 },
              { isAbsolute: false, usages: [t(0x24)], reportSize: 1, reportCount: 1 },
            ],
          },
        ],
        outputReports: [
          {
            reportId: 3,
            items: [
              // An LED array (Ring) is not driven, but its bits still count
              { isArray: true, usages: [extendedUsage(0x08, 0x18)], reportSize: 4, reportCount: 1, logicalMinimum: 1, logicalMaximum: 1 },
              { usages: [extendedUsage(0x08, 0x17), extendedUsage(0x08, 0x09)], reportSize: 1, reportCount: 2, logicalMinimum: 0, logicalMaximum: 1 },
              { isConstant: true, reportSize: 1, reportCount: 10 },
            ],
          },
        ],
      },
    ];
    const map = buildReportMap(collections);
    expect(offsets(map)).toEqual({
      collectionUsage: 5,
      inputs: [{ reportId: 9, controls: { hookSwitch: 4, flash: 3, phoneMute: 8, redial: 17 } }],
      outputs: [{ reportId: 3, byteLength: 2, leds: { offHook: 4, mute: 5 } }],
    });
    const out = map && encodeOutputReport(map, { offHook: true, mute: true, ring: true });
    expect(out && hex(out.data)).toBe('3000');
  });

  it('has no map for a device without a Telephony collection, even with a Consumer Mute and a Mute LED', () => {
    const adapter = load('usb-audio-adapter');
    expect(findTelephonyCollections(adapter.collections)).toEqual([]);
    expect(buildReportMap(adapter.collections)).toBeUndefined();
    expect(buildReportMap([])).toBeUndefined();
  });
});

describe('decodeInputReport', () => {
  const map = mapOf(load('jabra-style-headset'));

  it('returns the current value of every control in the report', () => {
    expect(decodeInputReport(map, 2, bytes('0700'))).toEqual({ hookSwitch: true, phoneMute: true, flash: false, redial: false });
    expect(decodeInputReport(map, 2, bytes('2a00'))).toEqual({ hookSwitch: false, phoneMute: false, flash: true, redial: true });
  });

  it('ignores reports without controls and leaves out bits past a short report', () => {
    expect(decodeInputReport(map, 1, bytes('04'))).toBeUndefined();
    expect(decodeInputReport(map, 2, bytes(''))).toEqual({});
  });

  it('reads a multi-byte, offset report (Poly vendor byte first)', () => {
    const poly = mapOf(load('poly-style-headset'));
    expect(decodeInputReport(poly, 3, bytes('ff0e'))).toEqual({ hookSwitch: false, flash: true, phoneMute: true, redial: true });
  });
});

describe('HeadsetButtons', () => {
  const jabra = load('jabra-style-headset');
  const feed = (buttons: HeadsetButtons, ...reports: string[]) => reports.flatMap((r) => buttons.handle(2, bytes(r)));

  it('follows the hook state the app signalled, so a toggling headset can hang up a call answered on screen', () => {
    const buttons = new HeadsetButtons(mapOf(jabra));
    buttons.syncHook(true); // answered from the screen; the Off-Hook LED went on
    expect(feed(buttons, '0100')).toEqual([]); // the headset echoes the LED: not a new answer
    expect(feed(buttons, '0000')).toEqual(['hookOn']);
    expect(buttons.offHook).toBe(false);
    expect(new HeadsetButtons(mapOf(jabra), true).handle(2, bytes('0000'))).toEqual(['hookOn']);
  });

  it('without the sync the same hang-up report would be lost', () => {
    const buttons = new HeadsetButtons(mapOf(jabra));
    expect(feed(buttons, '0000')).toEqual([]);
  });

  it('toggles the hook on each press when the device declares Hook Switch relative', () => {
    const relative = structuredClone(jabra.collections);
    const hookItem = relative[1]?.inputReports?.[0]?.items?.[0];
    if (!hookItem) throw new Error('fixture changed');
    hookItem.isAbsolute = false;
    const buttons = new HeadsetButtons(buildReportMap(relative) as TelephonyReportMap);
    expect(feed(buttons, '0100', '0000', '0000', '0100', '0000', '0100')).toEqual(['hookOff', 'hookOn', 'hookOff']);
  });

  it('ignores reports of other report ids', () => {
    const buttons = new HeadsetButtons(mapOf(jabra));
    expect(buttons.handle(1, bytes('07'))).toEqual([]);
    expect(buttons.handle(5, bytes('ffff'))).toEqual([]);
  });
});

describe('encodeOutputReport', () => {
  it('returns the main LED report', () => {
    const jabra = encodeOutputReport(mapOf(load('jabra-style-headset')), { offHook: true, mute: true });
    expect(jabra && { reportId: jabra.reportId, data: hex(jabra.data) }).toEqual({ reportId: 2, data: '0300' });
    const poly = encodeOutputReport(mapOf(load('poly-style-headset')), { offHook: true, mute: true });
    expect(poly && { reportId: poly.reportId, data: hex(poly.data) }).toEqual({ reportId: 4, data: '01' });
  });

  it('is undefined for a telephony device without those LEDs', () => {
    const noLeds = structuredClone(load('jabra-style-headset').collections).map((c) => ({ ...c, outputReports: [] }));
    const map = mapOf({ ...load('jabra-style-headset'), collections: noLeds });
    expect(map.outputs).toEqual([]);
    expect(encodeOutputReport(map, { offHook: true })).toBeUndefined();
    expect(encodeOutputReports(map, { offHook: true })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// WebHidHeadset against a fake navigator.hid

type InputListener = (event: HidInputReportEventLike) => void;
type ConnectionListener = (event: HidConnectionEventLike) => void;

class FakeDevice implements HidDeviceLike {
  opened = false;
  readonly sent: Array<{ reportId: number; data: string }> = [];
  private readonly listeners = new Set<InputListener>();

  constructor(
    readonly productName: string,
    readonly collections: HidCollectionInfoLike[],
  ) {}

  async open(): Promise<void> {
    this.opened = true;
  }
  async close(): Promise<void> {
    this.opened = false;
  }
  async sendReport(reportId: number, data: Uint8Array): Promise<void> {
    this.sent.push({ reportId, data: hex(data) });
  }
  addEventListener(_type: 'inputreport', listener: InputListener): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'inputreport', listener: InputListener): void {
    this.listeners.delete(listener);
  }
  input(reportId: number, data: string): void {
    for (const l of this.listeners) l({ device: this, reportId, data: bytes(data) });
  }
}

class FakeHid implements HidLike {
  readonly requests: unknown[] = [];
  private readonly listeners = { connect: new Set<ConnectionListener>(), disconnect: new Set<ConnectionListener>() };

  constructor(
    public granted: FakeDevice[],
    private readonly picked: FakeDevice[] = [],
  ) {}

  async getDevices(): Promise<HidDeviceLike[]> {
    return this.granted;
  }
  async requestDevice(options: { filters: Array<{ usagePage?: number }> }): Promise<HidDeviceLike[]> {
    this.requests.push(options);
    return this.picked;
  }
  addEventListener(type: 'connect' | 'disconnect', listener: ConnectionListener): void {
    this.listeners[type].add(listener);
  }
  removeEventListener(type: 'connect' | 'disconnect', listener: ConnectionListener): void {
    this.listeners[type].delete(listener);
  }
  fire(type: 'connect' | 'disconnect', device: FakeDevice): void {
    for (const l of this.listeners[type]) l({ device });
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('WebHidHeadset', () => {
  function setup(hid: FakeHid) {
    const events: HeadsetEvent[] = [];
    const devices: Array<string | undefined> = [];
    const headset = new WebHidHeadset({ hid, onEvent: (e) => events.push(e), onDeviceChange: (d) => devices.push(d) });
    return { headset, events, devices };
  }

  it('reconnects a granted headset at start, skipping non-telephony devices, and turns its reports into events', async () => {
    const adapter = new FakeDevice('USB Audio', load('usb-audio-adapter').collections);
    const jabra = new FakeDevice('Jabra-style', load('jabra-style-headset').collections);
    const { headset, events, devices } = setup(new FakeHid([adapter, jabra]));
    expect(await headset.start()).toBe(true);
    expect(adapter.opened).toBe(false);
    expect(jabra.opened).toBe(true);
    expect(devices).toEqual(['Jabra-style']);
    expect(headset.productName).toBe('Jabra-style');
    expect(jabra.sent).toEqual([{ reportId: 2, data: '0000' }]); // LEDs start from a known state

    jabra.input(2, '0100');
    jabra.input(2, '0500');
    jabra.input(2, '0100');
    expect(events).toEqual(['hookOff', 'muteToggle']);
  });

  it('lights the LEDs and syncs the hook state with them', async () => {
    const jabra = new FakeDevice('Jabra-style', load('jabra-style-headset').collections);
    const { headset, events } = setup(new FakeHid([jabra]));
    await headset.start();
    await headset.setLeds({ offHook: true, mute: true });
    expect(jabra.sent.at(-1)).toEqual({ reportId: 2, data: '0300' });
    jabra.input(2, '0100'); // echo of the Off-Hook LED
    jabra.input(2, '0000'); // hang-up button
    expect(events).toEqual(['hookOn']);
  });

  it('drops the headset on disconnect and re-attaches it with the current LEDs when it comes back', async () => {
    const poly = new FakeDevice('Poly-style', load('poly-style-headset').collections);
    const hid = new FakeHid([poly]);
    const { headset, events, devices } = setup(hid);
    await headset.start();
    await headset.setLeds({ ring: true });
    hid.fire('disconnect', poly);
    expect(devices).toEqual(['Poly-style', undefined]);
    poly.input(3, '0001');
    expect(events).toEqual([]);

    poly.sent.length = 0;
    hid.fire('connect', poly);
    await flush();
    expect(devices).toEqual(['Poly-style', undefined, 'Poly-style']);
    expect(poly.sent).toEqual([
      { reportId: 4, data: '02' },
      { reportId: 5, data: '00' },
    ]);
    poly.input(3, '0001');
    expect(events).toEqual(['hookOff']);
    await headset.stop();
    expect(poly.opened).toBe(false);
    poly.input(3, '0000');
    expect(events).toEqual(['hookOff']);
  });

  it('asks the picker for telephony devices only', async () => {
    const phone = new FakeDevice('Desk phone', load('usb-desk-phone').collections);
    const hid = new FakeHid([], [phone]);
    const { headset } = setup(hid);
    expect(await headset.start()).toBe(false);
    expect(await headset.request()).toBe(true);
    expect(hid.requests).toEqual([{ filters: [{ usagePage: 0x0b }] }]);
    expect(phone.sent).toEqual([{ reportId: 0, data: '00' }]);
  });

  it('is unsupported without navigator.hid', async () => {
    const headset = new WebHidHeadset({ onEvent: () => undefined });
    expect(headset.supported).toBe(false);
    expect(await headset.start()).toBe(false);
  });
});
