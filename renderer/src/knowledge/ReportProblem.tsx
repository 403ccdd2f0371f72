/**
 * "Report a problem" with an article: what is wrong (wrong, outdated, unclear, other) and an
 * optional note, queued in the outbox (orders-store reportArticle) — it reaches the knowledge team
 * when the platform can be reached, and is not lost meanwhile.
 */
import { useState } from 'react';
import { Alert, Button, Input, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Article, ArticleProblem } from '../../../shared/knowledge/routes';
import { reportArticle } from '../orders/orders-store';

const PROBLEMS: readonly ArticleProblem[] = ['wrong', 'outdated', 'unclear', 'other'];

export function ReportProblem({ article }: { article: Pick<Article, 'id' | 'version'> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<ArticleProblem | null>(null);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ ok: true } | { ok: false; message: string } | null>(null);
  const send = async () => {
    if (!problem) return;
    setSending(true);
    try {
      await reportArticle({ articleId: article.id, articleVersion: article.version, problem, comment });
      setResult({ ok: true });
      setOpen(false);
      setProblem(null);
      setComment('');
    } catch (error) {
      setResult({ ok: false, message: error instanceof Error ? error.message : String(error) });
    } finally {
      setSending(false);
    }
  };
  if (!open) {
    return (
      <Space orientation="vertical" size={4}>
        <Button
          size="small"
          onClick={() => {
            setOpen(true);
            setResult(null);
          }}
          data-testid="knowledge-report"
        >
          {t('knowledge.report')}
        </Button>
        {result?.ok && (
          <Typography.Text type="success" data-testid="knowledge-reported">
            {t('knowledge.reported')}
          </Typography.Text>
        )}
      </Space>
    );
  }
  return (
    <div className="knowledge-report" role="group" aria-label={t('knowledge.reportTitle')} data-testid="knowledge-report-form">
      <Typography.Text strong>{t('knowledge.reportTitle')}</Typography.Text>
      <Radio.Group value={problem} onChange={(e) => setProblem(e.target.value as ArticleProblem)} data-testid="knowledge-report-kind">
        {PROBLEMS.map((p) => (
          <Radio key={p} value={p}>
            {t(`knowledge.reportKind.${p}`)}
          </Radio>
        ))}
      </Radio.Group>
      <Input.TextArea
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={1000}
        autoSize={{ minRows: 2, maxRows: 5 }}
        placeholder={t('knowledge.reportComment')}
        aria-label={t('knowledge.reportComment')}
        data-testid="knowledge-report-comment"
      />
      {result && !result.ok && <Alert type="error" showIcon title={t('knowledge.reportFailed', { message: result.message })} />}
      <Space size={8}>
        <Button size="small" type="primary" disabled={!problem} loading={sending} onClick={() => void send()} data-testid="knowledge-report-send">
          {t('knowledge.reportSend')}
        </Button>
        <Button size="small" onClick={() => setOpen(false)}>
          {t('knowledge.reportCancel')}
        </Button>
      </Space>
    </div>
  );
}
