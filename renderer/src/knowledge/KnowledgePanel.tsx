/**
 * The knowledge panel: search the offline copy as you type (the index answers in the search
 * worker, with the platform down too), narrowed by hotline, department or category; the results
 * with the matched words marked; while the box is empty, suggestions for the order being typed;
 * an article opened whole with related ones; and the copy's state (how many, when synced, refresh).
 * Keyboard: ↓ from the search box into the results, ↑/↓ between them, Enter opens, Esc goes back
 * (article → results → search box → the work order).
 */
import { lazy, Suspense, useEffect, useRef } from 'react';
import { Alert, Button, Input, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { shanghaiDate, shanghaiTime } from '../../../shared/base/shanghai-time';
import { useSessionStore } from '../session/session-store';
import { searchKnowledge, showArticle, syncKnowledge, typeKnowledge, useKnowledgeStore } from './knowledge-store';
import { HitList } from './HitList';
import { SearchFilters } from './SearchFilters';
import { followOrderForSuggestions } from './suggestions';
import { focusRegion } from '../shell/regions';
import { registerSearchFocus } from './search-focus';

// The article view (and its Markdown rendering) loads when an article is first opened.
const ArticleView = lazy(() => import('./ArticleView'));

function syncedLabel(at: number | null, now: number): string | null {
  if (at === null) return null;
  return shanghaiDate(at) === shanghaiDate(now) ? shanghaiTime(at).slice(0, 5) : `${shanghaiDate(at)} ${shanghaiTime(at).slice(0, 5)}`;
}

export function KnowledgePanel() {
  const { t } = useTranslation();
  const held = useKnowledgeStore((s) => s.held);
  const syncedAt = useKnowledgeStore((s) => s.syncedAt);
  const syncing = useKnowledgeStore((s) => s.syncing);
  const stale = useKnowledgeStore((s) => s.stale);
  const hits = useKnowledgeStore((s) => s.hits);
  const hitsFor = useKnowledgeStore((s) => s.hitsFor);
  const failed = useKnowledgeStore((s) => s.searchFailed);
  const article = useKnowledgeStore((s) => s.article);
  const suggestions = useKnowledgeStore((s) => s.suggestions);
  // Suggestions follow the order being typed while the panel is on screen.
  useEffect(() => followOrderForSuggestions(), []);
  const online = useSessionStore((s) => s.status?.state === 'online');
  const text = useKnowledgeStore((s) => s.query);
  const onType = (value: string) => {
    typeKnowledge(value);
    // A new query goes back from the article to the results.
    if (useKnowledgeStore.getState().article) void showArticle(null);
  };
  const synced = syncedLabel(syncedAt, Date.now());
  const panel = useRef<HTMLDivElement>(null);
  const hitButtons = () => [...(panel.current?.querySelectorAll<HTMLButtonElement>('.knowledge-hit__open') ?? [])];
  const searchBox = () => panel.current?.querySelector<HTMLInputElement>('input[type="search"]');
  const focusSearch = () => searchBox()?.focus();
  // The searchKnowledge shortcut: the cursor in the search box, the last query selected to type over.
  useEffect(
    () =>
      registerSearchFocus(() => {
        const input = searchBox();
        input?.focus();
        input?.select();
      }),
    [],
  );
  const onSearchKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown' && hitButtons()[0]) {
      e.preventDefault();
      hitButtons()[0]!.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      focusRegion('workArea');
    }
  };
  const onListKey = (e: React.KeyboardEvent) => {
    const buttons = hitButtons();
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = at + (e.key === 'ArrowDown' ? 1 : -1);
      if (next < 0) focusSearch();
      else buttons[Math.min(next, buttons.length - 1)]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      focusSearch();
    }
  };
  const back = () => {
    void showArticle(null);
    focusSearch();
  };
  return (
    <div className="knowledge-panel" ref={panel}>
      <Typography.Title level={5}>{t('knowledge.title')}</Typography.Title>
      <Input
        type="search"
        value={text}
        onChange={(e) => onType(e.target.value)}
        onPressEnter={() => void searchKnowledge(text)}
        onKeyDown={onSearchKey}
        allowClear
        maxLength={200}
        placeholder={t('knowledge.searchPlaceholder')}
        aria-label={t('knowledge.searchPlaceholder')}
        data-testid="knowledge-search"
      />
      <SearchFilters />
      {article ? (
        <Suspense fallback={<Spin />}>
          <ArticleView article={article} onBack={back} />
        </Suspense>
      ) : (
        <>
          {failed && <Alert type="warning" showIcon title={t('knowledge.searchFailed')} />}
          {hits !== null &&
            (hits.length === 0 ? (
              <Typography.Text type="secondary" data-testid="knowledge-no-match" data-for={hitsFor}>
                {t('knowledge.noMatch')}
              </Typography.Text>
            ) : (
              <HitList hits={hits} testId="knowledge-results" dataFor={hitsFor} onKeyDown={onListKey} />
            ))}
          {hits === null && suggestions.length > 0 && (
            <section aria-label={t('knowledge.suggested')}>
              <Typography.Text type="secondary">{t('knowledge.suggested')}</Typography.Text>
              <HitList hits={suggestions} testId="knowledge-suggestions" onKeyDown={onListKey} />
            </section>
          )}
        </>
      )}
      <div data-testid="knowledge-copy" data-count={held}>
        <Typography.Text>{t('knowledge.copy', { count: held })}</Typography.Text>{' '}
        <Typography.Text type={stale ? 'warning' : 'secondary'} data-testid="knowledge-synced">
          {stale ? t('knowledge.stale') : synced ? t('knowledge.syncedAt', { time: synced }) : t('knowledge.neverSynced')}
        </Typography.Text>{' '}
        <Button size="small" loading={syncing} disabled={!online} onClick={() => void syncKnowledge()} data-testid="knowledge-refresh">
          {t('knowledge.refresh')}
        </Button>
      </div>
    </div>
  );
}
