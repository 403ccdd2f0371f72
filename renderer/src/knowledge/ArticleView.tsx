/**
 * One article, whole: title, hotlines, validity and the answer wording (答复口径) rendered from its
 * Markdown as React elements (markdown-blocks.ts) — no HTML from the article reaches the page, no
 * link is followed, no remote content is loaded.
 */
import { Button, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Article } from '../../../shared/knowledge/routes';
import { markdownBlocks, type Inline } from './markdown-blocks';

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

export default function ArticleView({ article, onBack }: { article: Article; onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <article className="knowledge-article" data-testid="knowledge-article" data-article-id={article.id}>
      <Button size="small" onClick={onBack} data-testid="knowledge-back">
        {t('knowledge.back')}
      </Button>
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
          ) : b.ordered ? (
            <ol key={i}>
              {b.items.map((item, j) => (
                <li key={j}>
                  <Runs runs={item} />
                </li>
              ))}
            </ol>
          ) : (
            <ul key={i}>
              {b.items.map((item, j) => (
                <li key={j}>
                  <Runs runs={item} />
                </li>
              ))}
            </ul>
          ),
        )}
      </div>
    </article>
  );
}
