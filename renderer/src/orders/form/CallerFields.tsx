/** The order form's caller group: name, gender, calling number, contact, company, caller type. */
import { Col, Input, Row, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { maskPhone } from '../../../../shared/base/redact';
import type { DraftView } from '../orders-store';
import { fieldId, TEXT_LIMITS } from './fields';
import { ORDER_ACCELERATORS } from './keys';
import { Choices, Section, shortcutKey as key, type FieldKit } from './field-kit';

const GENDERS = ['male', 'female', 'unknown'] as const;
const CALLER_TYPES = ['citizen', 'company', 'other'] as const;

export function CallerFields({ kit, draft }: { kit: FieldKit; draft: DraftView }) {
  const { t } = useTranslation();
  const { f, set, item } = kit;
  const contactIsCaller = !!draft.call && f.contact !== '' && f.contact === f.callerPhone;
  return (
    <Section title={t('orders.form.groups.caller')} testId="group-caller">
      <Row gutter={8}>
        <Col span={6}>
          {item(
            'callerName',
            <Tooltip title={key(ORDER_ACCELERATORS.focusCaller)} placement="topLeft" mouseEnterDelay={0.6}>
              <Input id={fieldId('callerName')} value={f.callerName} onChange={(e) => set({ callerName: e.target.value })} count={{ show: f.callerName.length > TEXT_LIMITS.callerName, max: TEXT_LIMITS.callerName }} data-testid="field-callerName" autoComplete="off" />
            </Tooltip>,
          )}
        </Col>
        <Col span={6}>
          {item(
            'gender',
            <Choices field="gender" values={GENDERS} value={f.gender} onChange={(v) => set({ gender: v })} />,
          )}
        </Col>
        <Col span={6}>
          {item(
            'callerPhone',
            draft.call ? (
              // The calling number comes from the call: shown masked (the pop reveals it on purpose).
              <Input id={fieldId('callerPhone')} value={f.callerPhone ? maskPhone(f.callerPhone) : ''} readOnly tabIndex={-1} data-testid="field-callerPhone" />
            ) : (
              <Input id={fieldId('callerPhone')} value={f.callerPhone} onChange={(e) => set({ callerPhone: e.target.value })} inputMode="tel" data-testid="field-callerPhone" autoComplete="off" />
            ),
          )}
        </Col>
        <Col span={6}>
          {item(
            'contact',
            // Pre-filled with the calling number: shown masked as a hint, typing replaces it.
            <Input
              id={fieldId('contact')}
              value={contactIsCaller ? '' : f.contact}
              onChange={(e) => set({ contact: e.target.value })}
              placeholder={contactIsCaller ? t('orders.form.contactSameAsCaller', { number: maskPhone(f.contact) }) : t('orders.form.contactPlaceholder')}
              inputMode="tel"
              data-testid="field-contact"
              data-same-as-caller={contactIsCaller}
              autoComplete="off"
            />,
          )}
        </Col>
        <Col span={12}>
          {item(
            'company',
            <Input id={fieldId('company')} value={f.company} onChange={(e) => set({ company: e.target.value })} count={{ show: f.company.length > TEXT_LIMITS.company, max: TEXT_LIMITS.company }} data-testid="field-company" autoComplete="off" />,
          )}
        </Col>
        <Col span={12}>
          {item(
            'callerType',
            <Choices field="callerType" values={CALLER_TYPES} value={f.callerType} onChange={(v) => set({ callerType: v })} />,
          )}
        </Col>
      </Row>
    </Section>
  );
}
