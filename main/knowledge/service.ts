/**
 * The knowledge base in main: reads the platform's article change feed and synonym table for the
 * renderer, which keeps the offline copy (renderer/src/knowledge). Articles are not personal data;
 * the access token is what stays here.
 */
import { knowledgeIpc } from '../../shared/knowledge/ipc';
import { platformApi } from '../../shared/http';
import type { DomainService, ServiceContext } from '../ipc/service';
import type { PlatformClient } from '../session/platform-client';
import { platformCaller } from '../session/platform-failure';

export interface KnowledgeServiceOptions {
  platform: PlatformClient;
}

export function knowledgeService(ctx: ServiceContext, options: KnowledgeServiceOptions): DomainService<typeof knowledgeIpc> {
  const call = platformCaller(options.platform, ctx.logger.child('knowledge'));
  return {
    ipc: knowledgeIpc,
    handlers: {
      changes: ({ after, limit }) =>
        call(knowledgeIpc.changes, () => options.platform.call(platformApi.knowledge.changes, { query: { after, ...(limit !== undefined && { limit }) } })),
      synonyms: ({ known }) =>
        call(knowledgeIpc.synonyms, () => options.platform.call(platformApi.knowledge.synonyms, { query: known !== undefined ? { known } : {} })),
    },
  };
}
