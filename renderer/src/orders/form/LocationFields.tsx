/** The order form's location group: district and street from the city's area tree, and the free address. */
import { useMemo } from 'react';
import { Col, Input, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { flattenTree, useReferenceStore } from '../../directory/reference-store';
import { fieldId, TEXT_LIMITS } from './fields';
import { SearchSelect, type SearchOption } from './SearchSelect';
import { Section, type FieldKit } from './field-kit';

export function LocationFields({ kit }: { kit: FieldKit }) {
  const { t } = useTranslation();
  const { f, set, item, status } = kit;
  const areas = useReferenceStore((s) => s.data?.areas);
  // The address keeps names (an address reads as text on the platform and in the order).
  const districtOptions = useMemo<SearchOption[]>(
    () => (areas ?? []).filter((a) => a.kind === 'district').map((a) => ({ code: a.name, name: a.name, path: [a.name], label: a.name })),
    [areas],
  );
  const streetOptions = useMemo<SearchOption[]>(() => {
    const district = areas?.find((a) => a.name === f.district);
    return flattenTree(district?.children ?? []).map(({ node, path }) => ({ code: node.name, name: node.name, path, label: path.join(' / ') }));
  }, [areas, f.district]);
  return (
    <Section title={t('orders.form.groups.location')} testId="group-location">
      <Row gutter={8}>
        <Col span={6}>
          {item(
            'district',
            <SearchSelect
              id={fieldId('district')}
              options={districtOptions}
              value={f.district}
              onChange={(v) => set(v === f.district ? { district: v } : { district: v, street: '' })}
              placeholder={t('orders.form.districtPlaceholder')}
              status={status('district')}
              testId="field-district"
            />,
          )}
        </Col>
        <Col span={6}>
          {item(
            'street',
            <SearchSelect
              id={fieldId('street')}
              options={streetOptions}
              value={f.street}
              onChange={(v) => set({ street: v })}
              placeholder={t('orders.form.streetPlaceholder')}
              status={status('street')}
              disabled={!f.district && !f.street}
              testId="field-street"
            />,
          )}
        </Col>
        <Col span={12}>
          {item(
            'addressDetail',
            <Input
              id={fieldId('addressDetail')}
              value={f.addressDetail}
              onChange={(e) => set({ addressDetail: e.target.value })}
              placeholder={t('orders.form.addressPlaceholder')}
              count={{ show: f.addressDetail.length > TEXT_LIMITS.addressDetail, max: TEXT_LIMITS.addressDetail }}
              data-testid="field-addressDetail"
              autoComplete="off"
            />,
          )}
        </Col>
      </Row>
    </Section>
  );
}
