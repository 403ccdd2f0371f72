/**
 * 即时答复's knowledge article: picked from the offline copy of the knowledge base by title,
 * keyword, pinyin initials or number. Articles of the order's category (pre-selected from the
 * dialled hotline) come first; expired ones are not offered. Opening the picker refreshes a copy
 * older than a few seconds; with the platform down it picks from the copy.
 */
import { useEffect, useMemo } from 'react';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { syncIfOld, useKnowledgeStore, wantArticles, type ArticleSummary } from '../../knowledge/knowledge-store';
import { SearchSelect, type SearchOption } from './SearchSelect';

/** How many leading category levels two codes share ("01.01.02" and "01.01.05" → 2). */
function sharedLevels(a: string | undefined, b: string): number {
  if (!a || !b) return 0;
  const x = a.split('.');
  const y = b.split('.');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n += 1;
  return n;
}

/** Articles closest to the order's category first (deeper shared levels first), then by number. */
export function articlesForOrder(articles: readonly ArticleSummary[], categoryCode: string): ArticleSummary[] {
  return articles
    .map((a) => ({ a, near: sharedLevels(a.categoryCode, categoryCode) }))
    .sort((p, q) => q.near - p.near || (p.a.id < q.a.id ? -1 : p.a.id > q.a.id ? 1 : 0))
    .map((p) => p.a);
}

interface Props {
  readonly id: string;
  readonly value: string;
  readonly onChange: (id: string) => void;
  readonly categoryCode: string;
  readonly status?: 'error';
  readonly testId: string;
}

export function ArticlePicker(props: Props) {
  const { t } = useTranslation();
  const articles = useKnowledgeStore((s) => s.articles);
  useEffect(wantArticles, []);
  const options = useMemo<SearchOption[]>(
    () =>
      articlesForOrder(articles ?? [], props.categoryCode).map((a) => ({
        code: a.id,
        name: a.title,
        // Keywords rank like a category's parents: after the title, before pinyin.
        path: [...a.keywords, a.title],
        label: a.title,
      })),
    [articles, props.categoryCode],
  );
  return (
    <SearchSelect
      id={props.id}
      options={options}
      value={props.value}
      onChange={props.onChange}
      onOpen={syncIfOld}
      placeholder={t('orders.form.knowledgePlaceholder')}
      notFound={t('orders.form.knowledgeNone')}
      status={props.status}
      testId={props.testId}
    />
  );
}

/** Below the picker: the picked article's number, hotlines and validity, or why there is none. */
export function ArticleNote({ value }: { value: string }) {
  const { t } = useTranslation();
  const loaded = useKnowledgeStore((s) => s.articles !== null);
  const article = useKnowledgeStore((s) => (value ? s.articles?.find((a) => a.id === value) : undefined));
  const empty = useKnowledgeStore((s) => s.held === 0);
  const stale = useKnowledgeStore((s) => s.stale);
  if (!loaded) return null;
  if (value && !article) {
    return (
      <Typography.Text type="warning" data-testid="knowledge-article-missing">
        {t('orders.form.knowledgeMissing', { id: value })}
      </Typography.Text>
    );
  }
  if (article) {
    const parts = [article.id, ...(article.hotlines.length > 0 ? [article.hotlines.join('/')] : []), article.validTo ? t('orders.form.knowledgeValidTo', { date: article.validTo }) : ''];
    return (
      <Typography.Text type="secondary" data-testid="knowledge-article-note">
        {parts.filter(Boolean).join(' · ')}
      </Typography.Text>
    );
  }
  if (empty) {
    return (
      <Typography.Text type="warning" data-testid="knowledge-empty">
        {t(stale ? 'orders.form.knowledgeUnavailable' : 'orders.form.knowledgeNotSynced')}
      </Typography.Text>
    );
  }
  return null;
}
