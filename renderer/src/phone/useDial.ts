/** Dialling from the UI: places the call, or tells the agent why not; resolves true when dialled. */
import { App as AntApp } from 'antd';
import { useTranslation } from 'react-i18next';
import { sipService } from './sip-service';

export function useDial(): (number: string) => Promise<boolean> {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  return async (number) => {
    const r = await sipService.lines.dial(number);
    if (r !== 'ok') void message.warning(t(`phone.dialError.${r}`));
    return r === 'ok';
  };
}
