/**
 * The one place SIP.js is used. It owns the user agent and the registration and keeps the
 * registration honest: connect and register at start; on WebSocket loss, network change or
 * system resume, reconnect and re-register with full-jitter backoff, forever; an authentication
 * failure stops retrying and says why. SIP.js objects never leave this module; the connection
 * store gets plain states.
 *
 *   unconfigured ─configure─► connecting ──REGISTER 200──► registered
 *                                 ▲   │                       │
 *                     backoff timer   └─transport error──► connecting (retry) ◄── ws lost / resume
 *                                     └─401/403 with credentials──► failed(auth)   (no retry)
 */
import type { Registerer, UserAgent, UserAgentOptions } from 'sip.js';
import { loadSipLib, sipLib } from './sip-lib';
import { fastIceFactory } from './fast-ice';
import { withCodecPreference } from './codec-preference';
import { withPreparedOffer } from './prepared-offer';
import type { Settings } from '../../../shared/settings/schema';
import { isLoopbackUrl } from '../../../shared/settings/schema';
import { registerRejection } from '../../../shared/phone/registration-policy';
import { sanitizeSipHeaders } from '../../../shared/phone/remote-identity';
import { fullJitterDelay } from '../../../shared/phone/backoff';
import { useRegistrationStore, type SipConnection } from './registration-store';
import { createRendererLogger } from '../logging/logger';
import { bridge } from '../ipc/bridge';
import { i18n } from '../i18n';
import { CallLines } from './call-lines';

const log = createRendererLogger('sip');

export type SipFailure = 'auth' | 'insecureServer' | 'noPassword' | 'rejected';

export interface SipCredentials {
  authUser: string;
  password: string;
}

/** Longest wait between reconnect attempts (full jitter below it). */
export const RECONNECT_CAP_MS = 4000;
/** Registration lost for longer than this: a desktop notification (the agent may not see the strip). */
export const LOST_NOTICE_MS = 10_000;

let lostTimer: ReturnType<typeof setTimeout> | undefined;

function setState(sip: SipConnection, extra: { failure?: SipFailure; insecure?: boolean } = {}) {
  const was = useRegistrationStore.getState().sip;
  useRegistrationStore.setState({ sip, sipFailure: extra.failure, sipInsecure: extra.insecure ?? useRegistrationStore.getState().sipInsecure });
  if (sip === 'registered' || sip === 'unregistered' || sip === 'unconfigured') {
    if (lostTimer !== undefined) clearTimeout(lostTimer);
    lostTimer = undefined;
  } else if (was === 'registered' && lostTimer === undefined) {
    lostTimer = setTimeout(() => {
      lostTimer = undefined;
      const now = useRegistrationStore.getState().sip;
      if (now === 'connecting' || now === 'failed') {
        void bridge().shell.notify({ title: i18n.t('phone.lostNotice.title'), body: i18n.t('phone.lostNotice.body'), urgency: 'critical', focusOnClick: true });
      }
    }, LOST_NOTICE_MS);
  }
}

export class SipService {
  private ua: UserAgent | undefined;
  private registerer: Registerer | undefined;
  private retryTimer: number | undefined;
  private attempt = 0;
  private stopped = true;
  private domain: string | undefined;
  private readonly onOnline = () => this.kick('network online');
  /** The agent's calls (answer, dial, transfer, conference…). */
  readonly lines = new CallLines({
    ua: () => (this.ua && this.domain ? { ua: this.ua, domain: this.domain } : undefined),
    registered: () => useRegistrationStore.getState().sip === 'registered',
  });

  /** Start (or restart) with these settings. */
  async start(sip: Settings['sip'], credentials: SipCredentials): Promise<void> {
    const { Registerer, RegistererState, SIPExtension, UserAgent } = await loadSipLib();
    await this.stop();
    if (!sip.serverUrl || !sip.extension || !sip.domain) {
      setState('unconfigured');
      return;
    }
    const insecure = sip.serverUrl.startsWith('ws:');
    if (insecure && !isLoopbackUrl(sip.serverUrl) && !sip.allowInsecureWs) {
      setState('failed', { failure: 'insecureServer', insecure });
      return;
    }
    this.stopped = false;
    this.domain = sip.domain;
    const uri = UserAgent.makeURI(`sip:${sip.extension}@${sip.domain}`);
    if (!uri) {
      setState('failed', { failure: 'rejected' });
      return;
    }
    const options: UserAgentOptions = {
      uri,
      // SIP.js does not escape quotes in the From display name; strict proxies drop such requests.
      displayName: sip.displayName.replace(/["\\]/g, '').trim() || undefined,
      authorizationUsername: credentials.authUser,
      authorizationPassword: credentials.password,
      transportOptions: { server: sip.serverUrl, connectionTimeout: 5, keepAliveInterval: 15 },
      // Calls use clones of the microphone acquired at registration (no getUserMedia per call),
      // the offer/answer leaves as soon as a usable ICE candidate is in (see fast-ice.ts), and
      // lists the codecs in the agent's order.
      // A ringing call's offer is applied before the answer (see prepared-offer.ts).
      sessionDescriptionHandlerFactory: withPreparedOffer(
        withCodecPreference(
          fastIceFactory(() => this.lines.microphone.forCall(), () => sip.iceServers.length > 0),
          () => sip.codecs,
        ),
      ),
      sipExtensionReplaces: SIPExtension.Supported,
      sessionDescriptionHandlerFactoryOptions: {
        // No public STUN by default: offline, ICE would wait for its whole timeout.
        peerConnectionConfiguration: { iceServers: sip.iceServers.map((urls) => ({ urls })) },
        iceGatheringTimeout: sip.iceGatheringTimeoutMs,
      },
      logBuiltinEnabled: false,
      logLevel: 'warn',
      logConnector: (level, category, _label, content) => {
        if (level === 'error' || level === 'warn') log.warn(`${category}: ${content.slice(0, 300)}`);
      },
      delegate: {
        onInvite: (invitation) => this.lines.onInvite(invitation),
        onDisconnect: (error) => {
          if (this.stopped) return;
          log.warn('SIP transport lost', { reason: error?.message ?? 'closed' });
          this.lines.signallingLost();
          setState('connecting', { insecure });
          this.scheduleRetry();
        },
      },
    };
    this.ua = new UserAgent(options);
    const transport = this.ua.transport;
    const deliver = transport.onMessage;
    transport.onMessage = (message: string) => deliver?.(sanitizeSipHeaders(message));
    this.registerer = new Registerer(this.ua, { expires: sip.registerExpiresS });
    this.registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) this.onRegistered();
    });
    window.addEventListener('online', this.onOnline);
    setState('connecting', { insecure });
    await this.connectAndRegister();
  }

  /** Reconnect now (network back, system resumed). */
  kick(reason: string): void {
    if (this.stopped || !this.ua) return;
    log.info('SIP reconnect requested', { reason });
    this.attempt = 0;
    this.clearRetry();
    void this.connectAndRegister();
  }

  private onRegistered(): void {
    this.attempt = 0;
    const was = useRegistrationStore.getState().sip;
    setState('registered');
    if (was !== 'registered') {
      void this.lines.warmUp();
      this.lines.signallingRestored();
    }
  }

  async stop(): Promise<void> {
    if (!this.stopped || this.ua) await this.lines.shutdown();
    this.stopped = true;
    this.clearRetry();
    window.removeEventListener('online', this.onOnline);
    const ua = this.ua;
    const registerer = this.registerer;
    this.ua = undefined;
    this.registerer = undefined;
    if (registerer && registerer.state === sipLib().RegistererState.Registered) await registerer.unregister().catch(() => undefined);
    if (ua) await ua.stop().catch(() => undefined);
    setState('unregistered');
  }

  private async connectAndRegister(): Promise<void> {
    const ua = this.ua;
    const registerer = this.registerer;
    if (!ua || !registerer) return;
    try {
      if (ua.isConnected()) {
        // already connected
      } else if (ua.state === 'Started') {
        await ua.reconnect();
      } else {
        await ua.start();
      }
    } catch (error) {
      if (this.stopped || ua !== this.ua) return;
      log.warn('SIP server unreachable', { reason: error instanceof Error ? error.message : String(error) });
      setState('connecting');
      this.scheduleRetry();
      return;
    }
    await registerer
      .register({
        requestDelegate: {
          // SIP.js keeps the registerer "Registered" across a transport loss, so a successful
          // re-REGISTER emits no state change: the accepted reply is what says we are back.
          onAccept: () => this.onRegistered(),
          onReject: (response) => {
            const code = response.message.statusCode;
            const decision = registerRejection(code);
            if (decision.retry) {
              setState('connecting');
              this.scheduleRetry();
            } else if (decision.failure === 'auth') {
              // Wrong credentials: retrying would only lock the account. Say why and stop.
              log.warn('SIP registration refused: authentication failed', { code });
              this.stopped = true;
              this.clearRetry();
              setState('failed', { failure: 'auth' });
            } else {
              log.warn('SIP registration rejected', { code });
              setState('failed', { failure: 'rejected' });
            }
          },
        },
      })
      .catch((error: unknown) => {
        if (this.stopped) return;
        log.warn('SIP register failed', { reason: error instanceof Error ? error.message : String(error) });
        this.scheduleRetry();
      });
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.clearRetry();
    // Capped low: an agent must be reachable again within seconds of the server coming back, and
    // full jitter spreads a whole center's seats over the window.
    const delay = fullJitterDelay(this.attempt++, 500, RECONNECT_CAP_MS);
    this.retryTimer = window.setTimeout(() => void this.connectAndRegister(), delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}

export const sipService = new SipService();
