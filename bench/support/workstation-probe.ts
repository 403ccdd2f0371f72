/**
 * Injected into the workstation page (init script) by the call benchmark: the shared probes plus
 * what the workstation shows and what the agent clicks. Reads only the DOM the agent sees
 * (data-testids), so the renderer is measured as it is, without hooks in its code.
 */
import { installProbe, now } from './call-probe';

const probe = installProbe();

const text = (testId: string) => document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? '';

probe.whenShown('registeredShown', () => text('registration').includes('已注册'));
probe.whenShown('shown', () => text('call-state') === '来电振铃');
// A transferred call's order on the receiving seat's pop (the transfer benchmark names the summary
// it waits for, so the card of an earlier call does not count).
probe.whenShown('ticketShown', () => {
  const want = (window as { benchTicketSummary?: string }).benchTicketSummary;
  return want !== undefined && text('ticket-summary') === want;
});

// The agent's action is the click itself: stamped in the capture phase, before React handles it.
const ACTIONS: Record<string, string> = { answer: 'answerAt', dial: 'dialAt', hangup: 'hangupAt', 'transfer-go': 'transferAt' };
window.addEventListener(
  'click',
  (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-testid]') : null;
    const name = ACTIONS[target?.getAttribute('data-testid') ?? ''];
    if (name) probe.mark(name, now());
  },
  { capture: true },
);
