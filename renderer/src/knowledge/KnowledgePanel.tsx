/**
 * The knowledge panel. Search arrives with its own issue; until then the panel says so plainly
 * rather than offering a search box that finds nothing.
 */
import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function KnowledgePanel() {
  const { t } = useTranslation();
  return (
    <div className="knowledge-panel">
      <Typography.Title level={5}>{t('knowledge.title')}</Typography.Title>
      <Alert type="info" showIcon title={t('knowledge.coming')} data-testid="knowledge-coming" />
    </div>
  );
}
