/**
 * Runs the SIP service while the shell is up: (re)starts it when the line settings or the stored
 * password change, applies call-handling and audio settings without re-registering, watches the
 * audio devices, logs calls, reconnects on system resume, and unregisters when the shell goes away.
 */
import { useEffect } from 'react';
import { bridge, call, declaredError } from '../ipc/bridge';
import { phoneIpc } from '../../../shared/phone/ipc';
import { useSettingsStore } from '../settings/settings-store';
import { useRegistrationStore } from './registration-store';
import { configureWrapUp } from '../agent/agent-store';
import { recordCalls } from './call-log/call-log-recorder';
import { followMissedOffers } from '../queue/missed-offers';
import { audioDevices } from './audio/audio-devices';
import { sipService } from './sip-service';

export function useSoftphone(): void {
  const sip = useSettingsStore((s) => s.settings?.sip);
  const calls = useSettingsStore((s) => s.settings?.calls);
  const audio = useSettingsStore((s) => s.settings?.audio);
  const passwordSet = useSettingsStore((s) => s.secrets?.sipPasswordSet ?? false);
  const key = JSON.stringify(sip);

  useEffect(() => {
    if (!calls || !audio || !sip) return;
    sipService.lines.configure(calls, audio, sip.audioProcessing);
    configureWrapUp(calls.wrapUpS, calls.wrapUpExtendS);
  }, [calls, audio, sip]);

  useEffect(() => {
    if (!sip) return;
    let cancelled = false;
    void (async () => {
      if (!sip.serverUrl || !sip.extension || !sip.domain) {
        await sipService.stop();
        useRegistrationStore.setState({ sip: 'unconfigured', sipFailure: undefined });
        return;
      }
      if (!passwordSet) {
        await sipService.stop();
        useRegistrationStore.setState({ sip: 'failed', sipFailure: 'noPassword' });
        return;
      }
      const credentials = await call(bridge().phone.credentials()).catch((error: unknown) => {
        // Cleared between the status and this call: shown like a password never set.
        if (declaredError(phoneIpc.credentials, error) !== 'no_password') throw error;
        useRegistrationStore.setState({ sip: 'failed', sipFailure: 'noPassword' });
        return undefined;
      });
      if (credentials && !cancelled) await sipService.start(sip, credentials);
    })();
    return () => {
      cancelled = true;
    };
    // `key` stands for the whole sip section.
  }, [key, passwordSet]);

  useEffect(() => {
    audioDevices.start();
    const offLog = recordCalls(sipService.lines);
    const offMissed = followMissedOffers(sipService.lines);
    const offResume = bridge().shell.onResume(() => sipService.kick('system resumed'));
    return () => {
      offLog();
      offMissed();
      offResume();
      audioDevices.stop();
      void sipService.stop();
    };
  }, []);
}
