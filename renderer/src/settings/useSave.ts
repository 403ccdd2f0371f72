/** Save a settings section and tell the agent whether it worked. */
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SettingsUpdate } from '../../../shared/settings/ipc';
import { updateSettings } from './settings-store';

export function useSave(): (update: SettingsUpdate) => Promise<boolean> {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return async (update) => {
    try {
      await updateSettings(update);
      void message.success(t('settings.saved'));
      return true;
    } catch (error) {
      void message.error(t('settings.saveFailed', { message: error instanceof Error ? error.message : String(error) }));
      return false;
    }
  };
}
