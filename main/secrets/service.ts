/**
 * Secrets in main. Write-only from the renderer: it may set or clear the SIP password and learn
 * whether one is stored, never read one back (the phone gets its credentials through its own channel).
 */
import { secretsIpc } from '../../shared/secrets/ipc';
import { channelError, type DomainService, type ServiceContext } from '../ipc/service';
import { SecretsUnavailableError } from './secret-store';

export function secretsService(ctx: ServiceContext): DomainService<typeof secretsIpc> {
  const { secrets, logger } = ctx;
  const status = () => ({ sipPasswordSet: secrets.has('sipPassword'), protection: secrets.protection() });
  return {
    ipc: secretsIpc,
    handlers: {
      status,
      setSipPassword: ({ password }) => {
        try {
          secrets.set('sipPassword', password);
        } catch (error) {
          if (error instanceof SecretsUnavailableError) throw channelError(secretsIpc.setSipPassword, 'secrets_unavailable', error.message);
          throw error;
        }
        logger.info('SIP password stored');
        return status();
      },
      clearSipPassword: () => {
        secrets.delete('sipPassword');
        return status();
      },
    },
  };
}
