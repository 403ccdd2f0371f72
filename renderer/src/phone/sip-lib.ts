/**
 * SIP.js, loaded when the phone first starts rather than with the first screen: it is a large
 * part of the renderer and nothing is drawn from it. Everything that needs it at run time (user
 * agent, registerer, sessions) exists only after `loadSipLib()` resolved in SipService.start(),
 * so `sipLib()` is synchronous from there on. Types come from `import type` as usual.
 */
import type * as SipJsModule from 'sip.js';

type SipJs = typeof SipJsModule;

let lib: SipJs | undefined;
let loading: Promise<SipJs> | undefined;

export function loadSipLib(): Promise<SipJs> {
  loading ??= import('sip.js').then((m) => (lib = m));
  return loading;
}

/** SIP.js once loaded; calling it earlier is a programming error (no user agent can exist yet). */
export function sipLib(): SipJs {
  if (!lib) throw new Error('SIP.js used before the phone started');
  return lib;
}
