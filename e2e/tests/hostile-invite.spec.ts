/**
 * Calls from the public network reach the agents through the PSTN/SIP gateway as plain SIP over
 * UDP, with whatever the caller's side put in them. sipp plays the gateway (a trusted trunk on
 * Kamailio) and rings the Ready agent with crafted display names and headers: markup, quotes and
 * escapes, Chinese, control and bidi characters, very long values. The screen pop must show the
 * call ringing with the caller as plain text (never as elements, nothing executed), bounded so
 * the layout holds, and then the call ended when the caller gives up (CANCEL).
 *
 * One Kamailio and one workstation serve every case (worker fixtures); each case is its own test,
 * so a failing one says which input broke and the next ones run on a fresh worker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Dialog } from '@playwright/test';
import { test as base, expect } from '../support/fixtures';
import type { RunningKamailio } from '../support/kamailio';
import type { LaunchedWorkstation } from '../support/bridge';
import { setReady, startAgent } from '../support/call-parties';
import { describeSipp, startSipp, type SippRun } from '../support/sipp';
import { REPO_ROOT } from '../support/paths';

const SCENARIO = path.join(REPO_ROOT, 'e2e/sip/hostile-invite.xml');
const AGENT = '8001';
const CALLER = '13812345678';
/** The caller's number as the call card shows it: a person's number is masked. */
const CALLER_SHOWN = '138****5678';
const HOTLINE = '12345';

interface HostileCase {
  title: string;
  /** Everything before <sip:…> in From, exactly as on the wire (quotes and escapes included). */
  fromDisplay: string;
  fromUser?: string;
  dialled?: string;
  /** One more header line, "Name: value". */
  extraHeader?: string;
  /** What the agent must read: caller name, caller number, dialled number. */
  name: string;
  number?: string;
  dialledText?: string;
}

/** A display name as a SIP quoted-string: `"` and `\` escaped, nothing else touched. */
function quoted(name: string): string {
  return `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

const LONG_CHINESE = '市民来电'.repeat(500);
const LONG_LATIN = 'W'.repeat(2000);

const CASES: HostileCase[] = [
  {
    title: 'a script element in the display name',
    fromDisplay: quoted('<script>alert(1)</script>'),
    name: '<script>alert(1)</script>',
  },
  {
    title: 'an image with an onerror handler in the display name and the caller number',
    fromDisplay: quoted('<img src=x onerror=window.__pwned=1>'),
    // Percent-encoded in the URI: SIP.js hands the decoded markup over as the number.
    fromUser: '%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E',
    name: '<img src=x onerror=window.__pwned=1>',
    number: 'imgsrcxonerrorwindow.__pwned1',
  },
  {
    title: 'escaped quotes and backslashes inside a quoted display name, one closing it',
    // On the wire: "\"VIP\" Zhang \\ \"The Boss\""
    fromDisplay: quoted('"VIP" Zhang \\ "The Boss"'),
    name: '"VIP" Zhang \\ "The Boss"',
  },
  {
    title: 'Chinese text with full-width punctuation',
    fromDisplay: quoted('张三（市民）'),
    name: '张三（市民）',
  },
  {
    title: 'control characters, a terminal colour sequence and a bidi override',
    // RFC 3261 allows control characters in a quoted-string only as quoted-pairs (\BEL, \ESC);
    // the right-to-left override is plain UTF-8 and would show "invoiceexe.png".
    fromDisplay: '"警告\\\u0007\\\u001b[31m红色\\\u001b[0m文字 invoice\u202egnp.exe\u2066x\u2069"',
    dialled: `${HOTLINE}\u0007\u001b[31m`,
    name: '警告 红色文字 invoice gnp.exe x',
  },
  {
    title: 'a 2,000-character Chinese display name',
    fromDisplay: quoted(LONG_CHINESE),
    name: `${LONG_CHINESE.slice(0, 63)}…`,
  },
  {
    title: 'a 2,000-character display name without a break opportunity',
    fromDisplay: quoted(LONG_LATIN),
    name: `${'W'.repeat(63)}…`,
  },
  {
    title: 'a pile of combining marks (zalgo) in the display name',
    fromDisplay: quoted(`Z${'\u0301\u0316\u0337'.repeat(40)}hang`),
    name: 'Z\u0301\u0316\u0337\u0301hang',
  },
  {
    title: 'a very long X-Dialled-Number',
    fromDisplay: quoted('市民'),
    dialled: `${HOTLINE}${'6'.repeat(1000)}`,
    name: '市民',
    dialledText: `${HOTLINE}${'6'.repeat(27)}`,
  },
  {
    title: 'an odd X-Dialled-Number: a whole URI with full-width digits',
    fromDisplay: quoted('市民'),
    dialled: '<sip:１２３４５@gateway.example;user=phone>',
    name: '市民',
    dialledText: HOTLINE,
  },
  {
    title: 'markup in X-Dialled-Number and in another header',
    fromDisplay: quoted('市民'),
    dialled: '<b onmouseover=window.__pwned=1>12345</b>',
    extraHeader: 'Subject: <script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>',
    name: '市民',
    // Bounded like any number that is not one: the first 32 of the word characters.
    dialledText: 'bonmouseoverwindow.__pwned112345',
  },
];

/**
 * Control characters sent raw inside the quoted display name, as a sloppy gateway would pass
 * them on. RFC 3261 allows them there only as quoted-pairs; Kamailio relays the INVITE anyway.
 */
const RAW_CONTROL_CASE: HostileCase = {
  title: 'raw (unescaped) control characters in the quoted display name',
  fromDisplay: '"警告\u0007\u001b[31m红色\u001b[0m文字"',
  name: '警告 红色文字',
};

/** The agent's workstation, registered and Ready, shared by every case of the worker. */
const test = base.extend<object, { station: { ws: LaunchedWorkstation; dialogs: string[] } }>({
  station: [
    async ({ platform, kamailio }, use) => {
      const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-e2e-hostile-'));
      const ws = await startAgent({ workDir, platform, kamailio }, { autoAnswer: false });
      // An executed alert() would open a dialog: record it (and close it, so nothing hangs).
      const dialogs: string[] = [];
      ws.page.on('dialog', (d: Dialog) => {
        dialogs.push(d.message());
        void d.dismiss().catch(() => undefined);
      });
      try {
        await use({ ws, dialogs });
      } finally {
        await ws.close();
        fs.rmSync(workDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

/** What the page shows and holds for the current call (read in one go, in the page). */
async function screenPop(ws: LaunchedWorkstation) {
  return ws.page.evaluate(() => {
    const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    const box = (el: Element | null) => {
      const r = el?.getBoundingClientRect();
      return r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height } : undefined;
    };
    const card = q('call-card');
    const name = q('caller-name');
    // The dialled number has no test id of its own: the Descriptions item labelled 拨打号码.
    const dialledItem = [...(card?.querySelectorAll('.ant-descriptions-item') ?? [])].find((i) => i.querySelector('.ant-descriptions-item-label')?.textContent?.includes('拨打号码'));
    return {
      name: name?.textContent ?? null,
      nameBox: box(name),
      nameLineHeight: name ? parseFloat(getComputedStyle(name).lineHeight) || parseFloat(getComputedStyle(name).fontSize) * 1.6 : 0,
      number: q('caller-number')?.textContent?.trim() ?? null,
      dialled: dialledItem?.querySelector('.ant-descriptions-item-content')?.textContent ?? null,
      card: box(card),
      screenPop: box(q('screen-pop')),
      viewport: { width: window.innerWidth, height: window.innerHeight },
      scrollWidth: document.documentElement.scrollWidth,
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      // Anything the payloads could have turned into: elements, handlers, scripts.
      injected: {
        images: document.querySelectorAll('img[src="x"]').length,
        handlers: document.querySelectorAll('[onerror], [onload], [onmouseover]').length,
        scripts: [...document.scripts].filter((s) => /alert\(1\)|__pwned/.test(s.textContent ?? '')).length,
        inCard: card?.querySelectorAll('script, img, b, iframe, object, embed').length ?? 0,
      },
    };
  });
}

/** Ring the Ready agent from the gateway with case `c`, check the screen pop, then cancel. */
async function ringAndCancel(c: HostileCase, { ws, dialogs }: { ws: LaunchedWorkstation; dialogs: string[] }, kamailio: RunningKamailio): Promise<void> {
  if (/未就绪/.test((await ws.page.getByTestId('agent-state').textContent()) ?? '')) await setReady(ws);
  await expect(ws.page.getByTestId('agent-state')).not.toContainText('未就绪');

  const sipp: SippRun = await startSipp({
    scenario: SCENARIO,
    remote: `127.0.0.1:${kamailio.udpPort}`,
    service: AGENT,
    twin: true,
    timeoutMs: 45_000,
    keys: {
      from_display: c.fromDisplay,
      from_user: c.fromUser ?? CALLER,
      dialled: c.dialled ?? HOTLINE,
      extra_header: c.extraHeader ?? 'X-Hostile-Case: 1',
    },
  });
  const sippLog = async () => describeSipp(await sipp.kill());
  try {
    // The card of this call: the previous case's card said 通话结束 until this one rang.
    await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
  } catch (error) {
    throw new Error(`the call did not ring\n${String(error)}\n${await sippLog()}`);
  }
  try {
    expect(kamailio.log()).toContain(`trunk INVITE to ${AGENT} call-id ${sipp.callId}`);
    // toHaveText would normalise whitespace: the exact text is compared.
    await expect.poll(async () => (await screenPop(ws)).name).toBe(c.name);
    const pop = await screenPop(ws);
    expect(pop.number).toBe(c.number ?? CALLER_SHOWN);
    expect(pop.dialled).toBe(c.dialledText ?? HOTLINE);

    // Plain text only: nothing became an element, nothing ran.
    expect(pop.injected).toEqual({ images: 0, handlers: 0, scripts: 0, inCard: 0 });
    expect(pop.pwned).toBeUndefined();
    expect(dialogs).toEqual([]);

    // The layout holds: the card stays inside the screen pop and the window, the name on its line.
    const { card, screenPop: box, nameBox, viewport } = pop;
    expect(card && box && nameBox).toBeTruthy();
    expect(card!.left).toBeGreaterThanOrEqual(box!.left);
    expect(card!.right).toBeLessThanOrEqual(box!.right + 0.5);
    expect(card!.right).toBeLessThanOrEqual(viewport.width);
    expect(card!.width).toBeLessThanOrEqual(viewport.width);
    expect(pop.scrollWidth).toBeLessThanOrEqual(viewport.width);
    expect(nameBox!.right).toBeLessThanOrEqual(card!.right + 0.5);
    expect(nameBox!.height).toBeLessThanOrEqual(pop.nameLineHeight * 2.5);
  } catch (error) {
    throw new Error(`${String(error)}\n${await sippLog()}`);
  }

  // The caller gives up: CANCEL, and the card shows the call ended.
  await sipp.command({ 'X-Command': 'cancel' });
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  const result = await sipp.done;
  expect(result.code, describeSipp(result)).toBe(0);
  expect(await ws.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

for (const c of CASES) {
  test(`hostile INVITE from the gateway: ${c.title}`, async ({ station, kamailio }) => {
    test.setTimeout(60_000);
    await ringAndCancel(c, station, kamailio);
  });
}

test(`hostile INVITE from the gateway: ${RAW_CONTROL_CASE.title}`, async ({ station, kamailio }) => {
  // SIP.js's parser would reject such a From header and drop the whole INVITE silently; the
  // softphone cleans the header section before SIP.js parses it, so the call rings as any other.
  test.setTimeout(60_000);
  await ringAndCancel(RAW_CONTROL_CASE, station, kamailio);
});
