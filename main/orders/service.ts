/** Work orders in main (STUB: replaced by the orders service — platform calls, local keys, number info). */
import { ordersIpc } from '../../shared/orders/ipc';
import { channelError, type DomainService, type ServiceContext } from '../ipc/service';

export function ordersService(_ctx: ServiceContext): DomainService<typeof ordersIpc> {
  const unavailable = () => {
    throw channelError(ordersIpc.history, 'unavailable', 'not built yet');
  };
  return {
    ipc: ordersIpc,
    handlers: {
      localKeys: () => {
        throw channelError(ordersIpc.localKeys, 'secrets_unavailable', 'not built yet');
      },
      numberInfo: () => ({ kind: 'unknown' as const }),
      history: unavailable,
      similar: unavailable,
      push: unavailable,
      followUp: unavailable,
      recordReveal: unavailable,
      get: unavailable,
    },
  };
}
