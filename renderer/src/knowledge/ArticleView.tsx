/**
 * One article, whole: title, hotlines, validity and the answer wording (答复口径) rendered from its
 * Markdown as React elements (markdown-blocks.ts) — no HTML from the article reaches the page, no
 * link is followed, no remote content is loaded. 用于即时答复 puts it into the order open in the
 * form: answered on the spot with this article as its basis, the wording added to the summary.
 * Below it, "report a problem" (through the outbox) and articles on the same matter.
 */
import { useEffect, useRef } from 'react';
import { Button, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Article } from '../../../shared/knowledge/routes';
import { answerWithArticle } from '../../../shared/orders/order-form';
import { editDraft, useOrdersStore } from '../orders/orders-store';
import { answerText, markdownBlocks, type Inline } from './markdown-blocks';
import { HitList } from './HitList';
import { ReportProblem } from './ReportProblem';
import { useKnowledgeStore } from './knowledge-store';

function Runs({ runs }: { runs: readonly Inline[] }) {
  return (
    <>
      {runs.map((r, i) =>
        r.kind === 'strong' ? (
          <strong key={i}>{r.text}</strong>
        ) : r.kind === 'link' ? (
          <span key={i} className="knowledge-article__link">
            {r.text} ({r.href})
          </span>
        ) : (
          <span key={i}>{r.text}</span>
        ),
      )}
    </>
  );
}

function ListBlock({ ordered, items }: { ordered: boolean; items: readonly Inline[][] }) {
  const ListTag = ordered ? 'ol' : 'ul';
  return (
    <ListTag>
      {items.map((item, j) => (
        <li key={j}>
          <Runs runs={item} />
        </li>
      ))}
    </ListTag>
  );
}

export default function ArticleView({ article, onBack }: { article: Article; onBack: () => void }) {
  const { t } = useTranslation();
  const related = useKnowledgeStore((s) => s.related);
  const draft = useOrdersStore((s) => (s.activeDraftId ? s.drafts[s.activeDraftId] : undefined));
  const open = draft?.state === 'open' ? draft : undefined;
  const used = open?.form.disposition === 'answered' && open.form.knowledgeArticleId === article.id;
  // Opened from the results by keyboard or mouse: the keys now act here (Esc back, Tab to 用于即时答复).
  const backButton = useRef<HTMLButtonElement>(null);
  useEffect(() => backButton.current?.focus(), [article.id]);
  const use = () => {
    if (open) editDraft(open.id, answerWithArticle(open.form, { id: article.id, wording: answerText(article.body) }));
  };
  return (
    <article
      className="knowledge-article"
      data-testid="knowledge-article"
      data-article-id={article.id}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onBack();
        }
      }}
    >
      <Space size={8} wrap>
        <Button size="small" onClick={onBack} data-testid="knowledge-back" ref={backButton}>
          {t('knowledge.back')}
        </Button>
        <Button size="small" type="primary" disabled={!open} onClick={use} data-testid="knowledge-use" data-used={String(used)}>
          {used ? t('knowledge.used') : t('knowledge.use')}
        </Button>
        {!open && <Typography.Text type="secondary">{t('knowledge.noOrder')}</Typography.Text>}
      </Space>
      <Typography.Title level={5} data-testid="knowledge-article-title">
        {article.title}
      </Typography.Title>
      <Space size={4} wrap>
        <Typography.Text type="secondary">{article.id}</Typography.Text>
        {article.hotlines.map((h) => (
          <Tag key={h}>{h}</Tag>
        ))}
        {article.validTo && <Typography.Text type="secondary">{t('orders.form.knowledgeValidTo', { date: article.validTo })}</Typography.Text>}
      </Space>
      <div className="knowledge-article__body" data-testid="knowledge-article-body">
        {markdownBlocks(article.body).map((b, i) =>
          b.kind === 'heading' ? (
            <Typography.Text strong key={i} className="knowledge-article__heading">
              <Runs runs={b.inline} />
            </Typography.Text>
          ) : b.kind === 'paragraph' ? (
            <p key={i}>
              <Runs runs={b.inline} />
            </p>
          ) : (
            <ListBlock key={i} ordered={b.ordered} items={b.items} />
          ),
        )}
      </div>
      <ReportProblem key={article.id} article={article} />
      {related.length > 0 && (
        <section className="knowledge-article__more" aria-label={t('knowledge.related')}>
          <Typography.Text type="secondary">{t('knowledge.related')}</Typography.Text>
          <HitList hits={related} testId="knowledge-related" />
        </section>
      )}
    </article>
  );
}
