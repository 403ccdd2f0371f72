/** The knowledge panel: search box and results (the search engine arrives with its own issue). */
import { Empty, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function KnowledgePanel() {
  const { t } = useTranslation();
  return (
    <div className="knowledge-panel">
      <Typography.Title level={5}>{t('knowledge.title')}</Typography.Title>
      <Input.Search placeholder={t('knowledge.search')} allowClear aria-label={t('knowledge.search')} data-testid="knowledge-search" />
      <Empty description={t('knowledge.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
    </div>
  );
}
