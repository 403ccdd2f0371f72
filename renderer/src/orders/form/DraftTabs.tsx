/**
 * Tabs over the open drafts when there is more than one (a waiting call, a call-back): the
 * caller's masked number, or 新工单 and the time it was started. Choosing one shows it in the form.
 */
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { activateDraft, useOrdersStore } from '../orders-store';
import { draftTabLabel } from './labels';

/** When this window first saw each draft (the tab of a draft without a call shows it). */
const firstSeen = new Map<string, number>();

function startedAt(id: string, createdAt: number | undefined, call?: { ringAt: number }): number {
  if (createdAt !== undefined) return createdAt;
  if (call) return call.ringAt;
  let at = firstSeen.get(id);
  if (at === undefined) firstSeen.set(id, (at = Date.now()));
  return at;
}

export function DraftTabs({ onError }: { onError: (message: string) => void }) {
  const { t } = useTranslation();
  const openIds = useOrdersStore(useShallow((s) => Object.values(s.drafts).filter((d) => d.state === 'open').map((d) => d.id)));
  const drafts = useOrdersStore((s) => s.drafts);
  const activeId = useOrdersStore((s) => s.activeDraftId);
  if (openIds.length < 2) return null;
  return (
    <Tabs
      size="small"
      type="card"
      activeKey={activeId ?? undefined}
      data-testid="draft-tabs"
      onChange={(id) => {
        try {
          activateDraft(id);
        } catch (error) {
          onError(error instanceof Error ? error.message : String(error));
        }
      }}
      items={openIds.map((id) => {
        const d = drafts[id]!;
        return {
          key: id,
          label: (
            <span data-testid={`draft-tab-${id}`} data-errors={d.errors.length}>
              {draftTabLabel(d, startedAt(id, d.createdAt, d.call), t)}
            </span>
          ),
        };
      })}
    />
  );
}
