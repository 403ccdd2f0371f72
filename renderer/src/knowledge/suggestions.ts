/**
 * Suggestions while the agent types the order: the knowledge panel lists articles for what the
 * active draft says — the hotline the caller dialled, the category chosen, the title and the
 * content (its latest part: what is being said now) — refreshed after a short pause in typing.
 * They are only shown: nothing here moves the focus.
 */
import type { CategoryNode } from '../../../shared/directory/routes';
import type { DraftView } from '../orders/orders-state';
import { useOrdersStore } from '../orders/orders-state';
import { useReferenceStore } from '../directory/reference-store';
import { suggestKnowledge } from './knowledge-store';

/** Typing pauses this long before the suggestions follow (the agent types while talking). */
export const SUGGEST_PAUSE_MS = 400;
/** The content's latest this many characters are read. */
const CONTENT_TAIL = 400;

/** The names from the top of the category tree down to `code` (01.02 → 城乡建设 住房保障). */
export function categoryTrail(tree: readonly CategoryNode[], code: string): string[] {
  const names: string[] = [];
  let level: readonly CategoryNode[] = tree;
  for (;;) {
    const node = level.find((n) => code === n.code || code.startsWith(`${n.code}.`));
    if (!node) return names;
    names.push(node.name);
    if (node.code === code) return names;
    level = node.children;
  }
}

/** What the suggestions search for the draft ('' when it says nothing yet). */
export function suggestionText(draft: Pick<DraftView, 'form' | 'call'> | undefined, categories: readonly CategoryNode[]): string {
  if (!draft) return '';
  const { form } = draft;
  const said = [form.title, form.content.slice(-CONTENT_TAIL)].map((t) => t.trim()).filter(Boolean);
  // The hotline and category narrow the matter; alone (nothing said yet) they suggest too much.
  if (said.length === 0 && !form.categoryCode) return '';
  return [draft.call?.dialled ?? '', ...(form.categoryCode ? categoryTrail(categories, form.categoryCode) : []), ...said].filter(Boolean).join(' ');
}

function activeDraft(): DraftView | undefined {
  const s = useOrdersStore.getState();
  const d = s.activeDraftId ? s.drafts[s.activeDraftId] : undefined;
  return d?.state === 'open' ? d : undefined;
}

/** Follow the active draft (once per page); returns the unsubscribe function. */
export function followOrderForSuggestions(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  const update = () => {
    const text = suggestionText(activeDraft(), useReferenceStore.getState().data?.categories ?? []);
    if (text === last) return;
    last = text;
    clearTimeout(timer);
    // A cleared or switched-away draft clears at once; typing waits for the pause.
    timer = setTimeout(() => void suggestKnowledge(text), text === '' ? 0 : SUGGEST_PAUSE_MS);
  };
  const offOrders = useOrdersStore.subscribe(update);
  const offReference = useReferenceStore.subscribe(update);
  update();
  return () => {
    clearTimeout(timer);
    offOrders();
    offReference();
  };
}
