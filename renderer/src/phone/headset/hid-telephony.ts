/**
 * Headset call-control buttons and LEDs over WebHID, for devices with a Telephony (0x0B) collection.
 *
 * The pure part works on plain data shaped like WebHID's HIDCollectionInfo / HIDReportInfo / HIDReportItem,
 * so it runs in Node tests with recorded descriptors and report bytes:
 *   buildReportMap(collections)  → where Hook Switch, Phone Mute, Flash, Redial and the LEDs sit in each report
 *   decodeInputReport(...)       → the current control values of one input report
 *   HeadsetButtons               → successive input reports → hookOff / hookOn / muteToggle / flash / redial
 *   encodeOutputReport(s)(...)   → LED state → output report bytes
 * WebHidHeadset is the thin browser adapter around navigator.hid; no logic lives there.
 *
 * Conventions that matter (Chromium's WebHID):
 *   - usages, usageMinimum and usageMaximum are extended usages: (usagePage << 16) | usageId;
 *   - a top-level collection's report lists already include the items of its child collections, in descriptor
 *     order, so bit offsets are computed from top-level reports only (walking children would count bits twice);
 *   - the DataView of an inputreport event and the data given to sendReport exclude the report-id byte,
 *     so every bit offset here starts at the first byte after it.
 */

// ---------------------------------------------------------------------------------------------------------------
// WebHID-shaped data (only the fields read here; every member is optional in the WebHID IDL as well)

export interface HidReportItemLike {
  isAbsolute?: boolean;
  isArray?: boolean;
  isConstant?: boolean;
  isRange?: boolean;
  isBufferedBytes?: boolean;
  usages?: readonly number[];
  usageMinimum?: number;
  usageMaximum?: number;
  reportSize?: number;
  reportCount?: number;
  logicalMinimum?: number;
  logicalMaximum?: number;
}

export interface HidReportInfoLike {
  reportId?: number;
  items?: readonly HidReportItemLike[];
}

export interface HidCollectionInfoLike {
  usagePage?: number;
  usage?: number;
  type?: number;
  children?: readonly HidCollectionInfoLike[];
  inputReports?: readonly HidReportInfoLike[];
  outputReports?: readonly HidReportInfoLike[];
  featureReports?: readonly HidReportInfoLike[];
}

// ---------------------------------------------------------------------------------------------------------------
// Usages

export const TELEPHONY_PAGE = 0x0b;
export const LED_PAGE = 0x08;

/** Top-level Telephony collection usages (HID Usage Tables, Telephony Device Page). */
export const TelephonyCollection = { phone: 0x01, answeringMachine: 0x02, messageControls: 0x03, handset: 0x04, headset: 0x05 } as const;

export const extendedUsage = (page: number, id: number): number => (((page & 0xffff) << 16) | (id & 0xffff)) >>> 0;

export type InputControl = 'hookSwitch' | 'phoneMute' | 'flash' | 'redial';
export type Led = 'offHook' | 'mute' | 'ring' | 'hold';

export const INPUT_USAGES: Readonly<Record<InputControl, number>> = {
  hookSwitch: extendedUsage(TELEPHONY_PAGE, 0x20),
  flash: extendedUsage(TELEPHONY_PAGE, 0x21),
  redial: extendedUsage(TELEPHONY_PAGE, 0x24),
  phoneMute: extendedUsage(TELEPHONY_PAGE, 0x2f),
};

export const LED_USAGES: Readonly<Record<Led, number>> = {
  mute: extendedUsage(LED_PAGE, 0x09),
  offHook: extendedUsage(LED_PAGE, 0x17),
  ring: extendedUsage(LED_PAGE, 0x18),
  hold: extendedUsage(LED_PAGE, 0x20),
};

const INPUT_CONTROLS = Object.keys(INPUT_USAGES) as InputControl[];
const LEDS = Object.keys(LED_USAGES) as Led[];

// ---------------------------------------------------------------------------------------------------------------
// Report map

/** Where one control sits in a report. Bit offsets exclude the report-id byte. */
export interface FieldLocation {
  bitOffset: number;
  bitSize: number;
  isAbsolute: boolean;
  logicalMinimum: number;
  /** Array items: the control is active when any of `count` slots holds `value` (its logical index). */
  array?: { count: number; value: number };
}

export interface InputReportLayout {
  reportId: number;
  controls: Partial<Record<InputControl, FieldLocation>>;
}

export interface OutputReportLayout {
  reportId: number;
  /** Bytes after the report id: the whole report must be sent, not only the LED bits. */
  byteLength: number;
  leds: Partial<Record<Led, FieldLocation>>;
}

export interface TelephonyReportMap {
  /** Usage of the first Telephony top-level collection (0x05 headset, 0x01 phone, ...). */
  collectionUsage: number;
  inputs: InputReportLayout[];
  outputs: OutputReportLayout[];
}

/** The longest field read or written; the HID spec caps a field at 32 bits. */
const MAX_FIELD_BITS = 32;

export function findTelephonyCollections(collections: readonly HidCollectionInfoLike[]): HidCollectionInfoLike[] {
  return collections.filter((c) => c.usagePage === TELEPHONY_PAGE);
}

/**
 * Locate the wanted usages in one report. Variable items get one field per usage: usage i of a list or range,
 * the last usage repeating when reportCount is larger (HID 1.11 §6.2.2.8); the first field carrying a usage wins.
 * Array items carry indexes into their usage list, so a usage maps to a logical value rather than a bit.
 */
function locate<K extends string>(
  report: HidReportInfoLike,
  wanted: Readonly<Record<K, number>>,
  keys: readonly K[],
  arrays: boolean,
): Partial<Record<K, FieldLocation>> {
  const found: Partial<Record<K, FieldLocation>> = {};
  let offset = 0;
  for (const item of report.items ?? []) {
    const size = item.reportSize ?? 0;
    const count = item.reportCount ?? 0;
    const start = offset;
    offset += size * count;
    // Constant fields are padding, or controls the device names but does not drive: they only take up bits.
    if (item.isConstant || item.isBufferedBytes || size === 0 || size > MAX_FIELD_BITS || count === 0) continue;
    if (item.isArray && !arrays) continue;
    const list = item.usages ?? [];
    const range = item.isRange === true || (list.length === 0 && item.usageMinimum !== undefined && item.usageMaximum !== undefined);
    const min = item.usageMinimum ?? 0;
    const max = item.usageMaximum ?? min;
    const logicalMinimum = item.logicalMinimum ?? 0;
    const isAbsolute = item.isAbsolute !== false;
    for (const key of keys) {
      if (found[key]) continue;
      const usage = wanted[key];
      if (item.isArray) {
        const index = range ? (usage >= min && usage <= max ? usage - min : -1) : list.indexOf(usage);
        const value = logicalMinimum + index;
        if (index < 0 || (item.logicalMaximum !== undefined && value > item.logicalMaximum)) continue;
        found[key] = { bitOffset: start, bitSize: size, isAbsolute, logicalMinimum, array: { count, value } };
        continue;
      }
      for (let i = 0; i < count; i++) {
        const fieldUsage = range ? Math.min(min + i, max) : list[Math.min(i, list.length - 1)];
        if (fieldUsage !== usage) continue;
        found[key] = { bitOffset: start + i * size, bitSize: size, isAbsolute, logicalMinimum };
        break;
      }
    }
  }
  return found;
}

function reportBits(report: HidReportInfoLike): number {
  return (report.items ?? []).reduce((bits, item) => bits + (item.reportSize ?? 0) * (item.reportCount ?? 0), 0);
}

/**
 * The control and LED layout of a device's Telephony collections, or undefined when it has none (or they carry
 * none of the controls and LEDs used here). LEDs outside a Telephony collection are ignored on purpose: a Consumer
 * "Mute" LED on a speaker or keyboard is not the call's mute.
 */
export function buildReportMap(collections: readonly HidCollectionInfoLike[]): TelephonyReportMap | undefined {
  const telephony = findTelephonyCollections(collections);
  const first = telephony[0];
  if (!first) return undefined;
  const inputs: InputReportLayout[] = [];
  const outputs: OutputReportLayout[] = [];
  for (const collection of telephony) {
    for (const report of collection.inputReports ?? []) {
      const reportId = report.reportId ?? 0;
      const controls = locate(report, INPUT_USAGES, INPUT_CONTROLS, true);
      if (Object.keys(controls).length > 0 && !inputs.some((r) => r.reportId === reportId)) inputs.push({ reportId, controls });
    }
    for (const report of collection.outputReports ?? []) {
      const reportId = report.reportId ?? 0;
      // LED arrays would need slot allocation and are not seen on headsets: only variable LED fields are used.
      const leds = locate(report, LED_USAGES, LEDS, false);
      const byteLength = Math.ceil(reportBits(report) / 8);
      if (Object.keys(leds).length > 0 && !outputs.some((r) => r.reportId === reportId)) outputs.push({ reportId, byteLength, leds });
    }
  }
  if (inputs.length === 0 && outputs.length === 0) return undefined;
  return { collectionUsage: first.usage ?? 0, inputs, outputs };
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/** HID fields are little-endian and bit 0 is the least significant bit of byte 0. */
function readBits(data: DataView, bitOffset: number, bitSize: number): number | undefined {
  if (bitOffset + bitSize > data.byteLength * 8) return undefined;
  let value = 0;
  for (let i = 0; i < bitSize; i++) {
    const bit = bitOffset + i;
    if ((data.getUint8(bit >> 3) >> (bit & 7)) & 1) value += 2 ** i;
  }
  return value;
}

function readField(data: DataView, field: FieldLocation, bitOffset = field.bitOffset): number | undefined {
  const raw = readBits(data, bitOffset, field.bitSize);
  if (raw === undefined) return undefined;
  // A negative logical minimum means the field is two's complement.
  return field.logicalMinimum < 0 && raw >= 2 ** (field.bitSize - 1) ? raw - 2 ** field.bitSize : raw;
}

function isActive(data: DataView, field: FieldLocation): boolean | undefined {
  if (!field.array) {
    const value = readField(data, field);
    return value === undefined ? undefined : value > 0;
  }
  let seen = false;
  for (let slot = 0; slot < field.array.count; slot++) {
    const value = readField(data, field, field.bitOffset + slot * field.bitSize);
    if (value === undefined) break;
    seen = true;
    if (value === field.array.value) return true;
  }
  return seen ? false : undefined;
}

export type ControlValues = Partial<Record<InputControl, boolean>>;

/**
 * The current values of the controls carried by one input report (data without the report-id byte), or
 * undefined for a report that carries none of them. A control whose bits lie past a short report is left out.
 */
export function decodeInputReport(map: TelephonyReportMap, reportId: number, data: DataView): ControlValues | undefined {
  const layout = map.inputs.find((r) => r.reportId === reportId);
  if (!layout) return undefined;
  const values: ControlValues = {};
  for (const control of INPUT_CONTROLS) {
    const field = layout.controls[control];
    const active = field && isActive(data, field);
    if (active !== undefined) values[control] = active;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------------------------
// Events

export type HeadsetEvent = 'hookOff' | 'hookOn' | 'muteToggle' | 'flash' | 'redial';

const MOMENTARY: ReadonlyArray<readonly [InputControl, HeadsetEvent]> = [
  ['phoneMute', 'muteToggle'],
  ['flash', 'flash'],
  ['redial', 'redial'],
];

/**
 * Turns successive input reports into call-control events; a report that repeats the previous state yields none.
 *
 * Hook Switch is absolute (1 = off hook), so its level is compared with the hook state. Many headsets do not keep a
 * hook state of their own: they toggle the one the host last set through the Off-Hook LED. The app must therefore
 * call syncHook() whenever the call state changes (WebHidHeadset.setLeds does): otherwise, after answering from the
 * screen, the headset's "hang up" report (hook 0) would look like no change, and its echo of the LED (hook 1) like a
 * fresh answer. A device that declares Hook Switch relative sends one-shot presses, so its 0→1 edges toggle instead.
 *
 * Phone Mute is a one-shot press on most devices (relative, or absolute 1-then-0) and the host owns the mute state,
 * so only the 0→1 edge fires muteToggle; the same holds for Flash and Redial.
 */
export class HeadsetButtons {
  private hook: boolean;
  /** Last level of each momentary control, per report id (a control could appear in more than one report). */
  private readonly pressed = new Map<string, boolean>();

  constructor(
    private readonly map: TelephonyReportMap,
    offHook = false,
  ) {
    this.hook = offHook;
  }

  get offHook(): boolean {
    return this.hook;
  }

  /** Align the hook state with the call state the app just signalled (Off-Hook LED). */
  syncHook(offHook: boolean): void {
    this.hook = offHook;
  }

  handle(reportId: number, data: DataView): HeadsetEvent[] {
    const values = decodeInputReport(this.map, reportId, data);
    if (!values) return [];
    const events: HeadsetEvent[] = [];
    const hookField = this.map.inputs.find((r) => r.reportId === reportId)?.controls.hookSwitch;
    if (values.hookSwitch !== undefined && hookField) {
      if (hookField.isAbsolute) {
        if (values.hookSwitch !== this.hook) events.push(values.hookSwitch ? 'hookOff' : 'hookOn');
      } else if (this.edge(reportId, 'hookSwitch', values.hookSwitch)) {
        events.push(this.hook ? 'hookOn' : 'hookOff');
      }
      if (events.length > 0) this.hook = !this.hook;
    }
    for (const [control, event] of MOMENTARY) {
      const value = values[control];
      if (value !== undefined && this.edge(reportId, control, value)) events.push(event);
    }
    return events;
  }

  private edge(reportId: number, control: InputControl, value: boolean): boolean {
    const key = `${reportId}:${control}`;
    const before = this.pressed.get(key) ?? false;
    this.pressed.set(key, value);
    return value && !before;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// LEDs

/** LED state to show; a missing LED is off (an output report always rewrites every LED it carries). */
export type LedState = Partial<Record<Led, boolean>>;

export interface OutputReport {
  reportId: number;
  /** Report bytes after the report id, as sendReport(reportId, data) expects. */
  data: Uint8Array;
}

function writeBits(bytes: Uint8Array, bitOffset: number, bitSize: number, value: number): void {
  for (let i = 0; i < bitSize; i++) {
    const bit = bitOffset + i;
    const index = bit >> 3;
    const mask = 1 << (bit & 7);
    const current = bytes[index] ?? 0;
    bytes[index] = Math.floor(value / 2 ** i) % 2 === 1 ? current | mask : current & ~mask;
  }
}

/** Every output report that carries one of the LEDs, in device order. Other fields in those reports are sent as 0. */
export function encodeOutputReports(map: TelephonyReportMap, leds: LedState): OutputReport[] {
  return map.outputs.map((layout) => {
    const data = new Uint8Array(layout.byteLength);
    for (const led of LEDS) {
      const field = layout.leds[led];
      if (field) writeBits(data, field.bitOffset, field.bitSize, leds[led] ? 1 : 0);
    }
    return { reportId: layout.reportId, data };
  });
}

/**
 * The main LED output report (the one carrying the most of the four LEDs; most headsets have exactly one),
 * or undefined when the device has none of them.
 */
export function encodeOutputReport(map: TelephonyReportMap, leds: LedState): OutputReport | undefined {
  const reports = encodeOutputReports(map, leds);
  let best: OutputReport | undefined;
  let bestCount = 0;
  map.outputs.forEach((layout, i) => {
    const count = Object.keys(layout.leds).length;
    if (count > bestCount) [best, bestCount] = [reports[i], count];
  });
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// WebHID adapter (navigator.hid is not in TypeScript's DOM lib, so it is typed loosely here)

export interface HidInputReportEventLike {
  readonly device: HidDeviceLike;
  readonly reportId: number;
  readonly data: DataView;
}

export interface HidConnectionEventLike {
  readonly device: HidDeviceLike;
}

export interface HidDeviceLike {
  readonly opened: boolean;
  readonly productName: string;
  readonly collections: readonly HidCollectionInfoLike[];
  open(): Promise<void>;
  close(): Promise<void>;
  sendReport(reportId: number, data: Uint8Array): Promise<void>;
  addEventListener(type: 'inputreport', listener: (event: HidInputReportEventLike) => void): void;
  removeEventListener(type: 'inputreport', listener: (event: HidInputReportEventLike) => void): void;
}

export interface HidLike {
  getDevices(): Promise<HidDeviceLike[]>;
  requestDevice(options: { filters: Array<{ usagePage?: number; usage?: number; vendorId?: number; productId?: number }> }): Promise<HidDeviceLike[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (event: HidConnectionEventLike) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: (event: HidConnectionEventLike) => void): void;
}

/** navigator.hid when the runtime has WebHID (Chromium/Electron renderer), else undefined. */
export function navigatorHid(): HidLike | undefined {
  if (typeof navigator === 'undefined') return undefined;
  const hid: unknown = (navigator as unknown as { hid?: unknown }).hid;
  if (typeof hid !== 'object' || hid === null) return undefined;
  const candidate = hid as Partial<Record<keyof HidLike, unknown>>;
  return typeof candidate.getDevices === 'function' && typeof candidate.requestDevice === 'function' ? (hid as HidLike) : undefined;
}

export interface WebHidHeadsetOptions {
  onEvent: (event: HeadsetEvent) => void;
  /** Product name of the attached headset, or undefined when it went away. */
  onDeviceChange?: (productName: string | undefined) => void;
  /** open/sendReport failures (device busy, unplugged mid-write); the adapter keeps going. */
  onError?: (error: unknown) => void;
  /** Defaults to navigator.hid. */
  hid?: HidLike;
}

/** Drives one telephony headset: its buttons become events, setLeds() lights it. */
export class WebHidHeadset {
  static readonly filters = [{ usagePage: TELEPHONY_PAGE }];

  private readonly hid: HidLike | undefined;
  private device: HidDeviceLike | undefined;
  private map: TelephonyReportMap | undefined;
  private buttons: HeadsetButtons | undefined;
  private leds: LedState = {};
  private started = false;

  constructor(private readonly options: WebHidHeadsetOptions) {
    this.hid = options.hid ?? navigatorHid();
  }

  get supported(): boolean {
    return this.hid !== undefined;
  }

  get productName(): string | undefined {
    return this.device?.productName;
  }

  /** Re-attach a headset granted earlier (getDevices needs no user gesture) and follow plug/unplug. */
  async start(): Promise<boolean> {
    if (!this.hid) return false;
    if (!this.started) {
      this.started = true;
      this.hid.addEventListener('connect', this.onConnect);
      this.hid.addEventListener('disconnect', this.onDisconnect);
    }
    return this.attachFirst(await this.hid.getDevices());
  }

  /** Show the browser's device picker; must run inside a user gesture (a click handler). */
  async request(): Promise<boolean> {
    if (!this.hid) return false;
    return this.attachFirst(await this.hid.requestDevice({ filters: WebHidHeadset.filters }));
  }

  /** Light the LEDs and align the hook state with the call (see HeadsetButtons). */
  async setLeds(leds: LedState): Promise<void> {
    this.leds = { ...leds };
    this.buttons?.syncHook(leds.offHook === true);
    await this.sendLeds();
  }

  async stop(): Promise<void> {
    if (this.started && this.hid) {
      this.hid.removeEventListener('connect', this.onConnect);
      this.hid.removeEventListener('disconnect', this.onDisconnect);
      this.started = false;
    }
    const device = this.device;
    this.detach();
    await device?.close().catch((error: unknown) => this.options.onError?.(error));
  }

  private async attachFirst(devices: readonly HidDeviceLike[]): Promise<boolean> {
    if (this.device) return true;
    for (const device of devices) if (await this.attach(device)) return true;
    return false;
  }

  private async attach(device: HidDeviceLike): Promise<boolean> {
    const map = buildReportMap(device.collections);
    if (!map) return false;
    try {
      if (!device.opened) await device.open();
    } catch (error) {
      this.options.onError?.(error);
      return false;
    }
    if (this.device) return this.device === device; // another attach won the race while open() was pending
    this.device = device;
    this.map = map;
    this.buttons = new HeadsetButtons(map, this.leds.offHook === true);
    device.addEventListener('inputreport', this.onInputReport);
    this.options.onDeviceChange?.(device.productName);
    await this.sendLeds();
    return true;
  }

  private detach(): void {
    this.device?.removeEventListener('inputreport', this.onInputReport);
    const had = this.device !== undefined;
    this.device = undefined;
    this.map = undefined;
    this.buttons = undefined;
    if (had) this.options.onDeviceChange?.(undefined);
  }

  private async sendLeds(): Promise<void> {
    const { device, map } = this;
    if (!device || !map) return;
    for (const report of encodeOutputReports(map, this.leds)) {
      try {
        await device.sendReport(report.reportId, report.data);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }

  private readonly onInputReport = (event: HidInputReportEventLike): void => {
    for (const e of this.buttons?.handle(event.reportId, event.data) ?? []) this.options.onEvent(e);
  };

  private readonly onConnect = (event: HidConnectionEventLike): void => {
    if (!this.device) void this.attach(event.device);
  };

  private readonly onDisconnect = (event: HidConnectionEventLike): void => {
    if (event.device === this.device) this.detach();
  };
}
