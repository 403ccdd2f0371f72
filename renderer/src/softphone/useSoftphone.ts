/**
 * Runs the SIP service while the shell is up: (re)starts it when the line settings or the stored
 * password change, reconnects on system resume, and unregisters when the shell goes away.
 */
import { useEffect } from 'react';
import { bridge, call } from '../bridge';
import { useSettingsStore } from '../stores/settings-store';
import { useConnectionStore } from '../stores/connection-store';
import { sipService } from './sip-service';

export function useSoftphone(): void {
  const sip = useSettingsStore((s) => s.settings?.sip);
  const passwordSet = useSettingsStore((s) => s.secrets?.sipPasswordSet ?? false);
  const key = JSON.stringify(sip);

  useEffect(() => {
    if (!sip) return;
    let cancelled = false;
    void (async () => {
      if (!sip.serverUrl || !sip.extension || !sip.domain) {
        await sipService.stop();
        useConnectionStore.setState({ sip: 'unconfigured', sipFailure: undefined });
        return;
      }
      if (!passwordSet) {
        await sipService.stop();
        useConnectionStore.setState({ sip: 'failed', sipFailure: 'noPassword' });
        return;
      }
      const credentials = await call(bridge().sip.credentials());
      if (!cancelled) await sipService.start(sip, credentials);
    })();
    return () => {
      cancelled = true;
    };
    // `key` stands for the whole sip section.
  }, [key, passwordSet]);

  useEffect(() => bridge().app.onResume(() => sipService.kick('system resumed')), []);
  useEffect(
    () => () => {
      void sipService.stop();
    },
    [],
  );
}
