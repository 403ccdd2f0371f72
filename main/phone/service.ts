/** The phone in main: SIP credentials, handed to the softphone only when it registers. */
import { phoneIpc } from '../../shared/phone/ipc';
import { channelError, type DomainService, type ServiceContext } from '../ipc/service';

export function phoneService(ctx: ServiceContext): DomainService<typeof phoneIpc> {
  return {
    ipc: phoneIpc,
    handlers: {
      credentials: () => {
        const password = ctx.secrets.get('sipPassword');
        if (!password) throw channelError(phoneIpc.credentials, 'no_password', 'No SIP password is stored');
        const sip = ctx.settings.get('sip');
        return { authUser: sip.authUser || sip.extension, password };
      },
    },
  };
}
