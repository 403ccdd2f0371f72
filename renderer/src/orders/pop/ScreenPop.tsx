/**
 * The screen-pop for one call (useOrdersStore.pops[callId]), shown under the call card: the
 * masked number (full only after a reveal with a stated purpose, recorded on the platform), where
 * the number is from, which hotline the caller dialled, the caller's flags and history — local
 * records at once, the platform's merged in when they arrive (never waited for).
 *
 * Everything here is data from callers and configuration: rendered as text only. Nothing in this
 * component takes focus by itself, so an update while the agent types does not disturb them.
 */
import { memo, useMemo, useState, type KeyboardEvent } from 'react';
import { Alert, Input, Modal, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { revealNumber, useOrdersStore, type PopView } from '../orders-store';
import { useReferenceStore } from '../../directory/reference-store';
import { historyDate, hhmm, mergeHistory, orderNoLabel, type HistoryRow } from '../form/labels';
import { isComposing } from '../form/keys';
import './pop.css';

const PURPOSES = ['callback', 'register', 'other'] as const;
type Purpose = (typeof PURPOSES)[number];

/** The reveal's purpose as recorded (always in Chinese: the audit log is read by the city). */
export function revealPurposeText(purpose: Purpose, detail: string, zhLabel: (p: Purpose) => string): string {
  const d = detail.trim();
  return d ? `${zhLabel(purpose)}：${d}` : zhLabel(purpose);
}

function RevealModal({ callId, open, onClose }: { callId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [purpose, setPurpose] = useState<Purpose>('callback');
  const [detail, setDetail] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsDetail = purpose === 'other' && detail.trim().length < 2;

  const confirm = () => {
    if (busy) return;
    if (needsDetail) {
      setProblem(t('orders.reveal.needDetail'));
      return;
    }
    setBusy(true);
    setProblem(null);
    const text = revealPurposeText(purpose, detail, (p) => t(`orders.reveal.purposes.${p}`, { lng: 'zh-CN' }));
    revealNumber(callId, text)
      .then(() => {
        setDetail('');
        onClose();
      })
      .catch((error: unknown) => setProblem(t('orders.reveal.failed', { message: error instanceof Error ? error.message : String(error) })))
      .finally(() => setBusy(false));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !isComposing(e.nativeEvent)) {
      e.preventDefault();
      confirm();
    }
  };

  return (
    <Modal
      open={open}
      title={t('orders.reveal.title')}
      onCancel={onClose}
      onOk={confirm}
      okText={t('orders.reveal.confirm')}
      cancelText={t('orders.reveal.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      // The purpose choice gets the keyboard (the dialog would focus its close button).
      afterOpenChange={(opened) => {
        if (opened) document.querySelector<HTMLElement>('[data-testid="reveal-purpose"] input:checked')?.focus();
      }}
      okButtonProps={{ 'data-testid': 'reveal-confirm' }}
      data-testid="reveal-dialog"
    >
      <div onKeyDown={onKeyDown} data-testid="reveal-form">
        <Typography.Paragraph type="secondary">{t('orders.reveal.hint')}</Typography.Paragraph>
        <Radio.Group value={purpose} onChange={(e) => setPurpose(e.target.value as Purpose)} aria-label={t('orders.reveal.purpose')} data-testid="reveal-purpose">
          {PURPOSES.map((p) => (
            <Radio key={p} value={p} data-testid={`reveal-purpose-${p}`}>
              {t(`orders.reveal.purposes.${p}`)}
            </Radio>
          ))}
        </Radio.Group>
        <Input
          style={{ marginTop: 8 }}
          value={detail}
          onChange={(e) => setDetail(e.target.value)}
          placeholder={t('orders.reveal.detailPlaceholder')}
          aria-label={t('orders.reveal.detail')}
          maxLength={150}
          data-testid="reveal-detail"
        />
        {problem && <Alert style={{ marginTop: 8 }} type="error" showIcon title={problem} data-testid="reveal-error" />}
      </div>
    </Modal>
  );
}

function NumberRow({ pop }: { pop: PopView }) {
  const { t } = useTranslation();
  const [revealing, setRevealing] = useState(false);
  const info = pop.numberInfo;
  const where = [info?.region, info?.carrier].filter(Boolean).join(' · ');
  return (
    <div className="pop-row">
      <span className="text-secondary">{t('orders.pop.number')}</span>
      <strong className="tabular" data-testid="pop-number" data-revealed={pop.numberRevealed ? 'true' : 'false'}>
        {pop.numberRevealed ?? (pop.numberMasked || t('orders.pop.withheld'))}
      </strong>
      {/* Only a masked (a person's) number has more to show. */}
      {!pop.numberRevealed && pop.numberMasked.includes('*') && (
        <button type="button" className="pop-button" onClick={() => setRevealing(true)} data-testid="pop-reveal">
          {t('orders.pop.reveal')}
        </button>
      )}
      {info && (where || info.kind !== 'unknown') && (
        <span className="text-secondary" data-testid="pop-number-info" title={`${t('orders.pop.region')} · ${t('orders.pop.carrier')}`}>
          {where || t(`orders.pop.kind.${info.kind}`)}
        </span>
      )}
      {revealing && <RevealModal callId={pop.callId} open={revealing} onClose={() => setRevealing(false)} />}
    </div>
  );
}

function LineRow({ pop }: { pop: PopView }) {
  const { t } = useTranslation();
  const line = pop.line;
  const unitName = useReferenceStore((s) => (line?.unitCode ? s.data?.units.find((u) => u.code === line.unitCode)?.name : undefined));
  if (!line && !pop.dialled) return null;
  return (
    <div className="pop-row" data-testid="pop-line">
      <span className="text-secondary">{t('orders.pop.line')}</span>
      <strong>{line ? `${line.number} ${line.name}` : pop.dialled}</strong>
      {unitName && <span data-testid="pop-line-unit">{unitName}</span>}
      {line && (
        <span className={line.mergeMode === 'dual' || line.mergeMode === 'subcenter' ? 'pop-tag pop-tag--blue' : 'pop-tag'} data-testid="pop-line-mode" data-mode={line.mergeMode}>
          {t(`orders.pop.mergeMode.${line.mergeMode}`)}
        </span>
      )}
      {line?.note && <span className="text-secondary">{line.note}</span>}
    </div>
  );
}

function Flags({ flags }: { flags: PopView['flags'] }) {
  const { t } = useTranslation();
  if (flags.repeat <= 0 && flags.open <= 0 && !flags.confidentialBefore) return null;
  return (
    <div className="pop-flags" data-testid="pop-flags">
      {flags.repeat > 0 && (
        <span className="pop-tag pop-tag--orange" data-testid="pop-flag-repeat">
          {t('orders.pop.flags.repeat', { n: flags.repeat })}
        </span>
      )}
      {flags.open > 0 && (
        <span className="pop-tag pop-tag--red" data-testid="pop-flag-open">
          {t('orders.pop.flags.open', { n: flags.open })}
        </span>
      )}
      {flags.confidentialBefore && (
        <span className="pop-tag pop-tag--purple" data-testid="pop-flag-confidential">
          {t('orders.pop.flags.confidential')}
        </span>
      )}
    </div>
  );
}

/** Translations the history rows repeat, each looked up once per render of the list. */
type Label = (key: string, fallback?: string) => string;

function useRowLabels(): Label {
  const { t } = useTranslation();
  return useMemo(() => {
    const seen = new Map<string, string>();
    return (key: string, fallback?: string) => {
      let v = seen.get(key);
      if (v === undefined) {
        v = fallback === undefined ? t(key) : t(key, { defaultValue: fallback });
        seen.set(key, v);
      }
      return v;
    };
  }, [t]);
}

function HistoryItem({ row, label }: { row: HistoryRow; label: Label }) {
  if (row.kind === 'call') {
    return (
      <li data-testid="pop-history-call" className="text-secondary">
        <span className="tabular">
          {historyDate(row)} {hhmm(row.time)}
        </span>{' '}
        {label(`orders.pop.call.${row.direction ?? 'inbound'}`)} · {label(`callLog.result.${row.result ?? ''}`, row.result ?? '')}
      </li>
    );
  }
  const orderNo = row.source === 'local' ? orderNoLabel({ orderNo: row.orderNo, sync: row.sync ?? 'pending' }, (key) => label(key)) : row.orderNo;
  return (
    <li data-testid="pop-history-order" data-source={row.source}>
      <span className="tabular">{historyDate(row)}</span> <code className="pop-code">{orderNo}</code>{' '}
      {row.requestType && <span className="pop-tag">{label(`orders.form.requestType.${row.requestType}`, row.requestType)}</span>}
      {row.confidential ? (
        <span className="pop-tag pop-tag--purple" data-testid="pop-history-confidential">
          {label('orders.pop.confidential')}
        </span>
      ) : (
        <span>{row.title}</span>
      )}{' '}
      {row.status && <span className={row.status === 'closed' || row.status === 'calledBack' ? 'pop-tag' : 'pop-tag pop-tag--gold'}>{label(`orders.mine.status.${row.status}`)}</span>}
      {row.source === 'local' && <span className="text-secondary"> {label('orders.pop.local')}</span>}
    </li>
  );
}

function History({ pop }: { pop: PopView }) {
  const { t } = useTranslation();
  const rows = useMemo(() => mergeHistory(pop), [pop]);
  const label = useRowLabels();
  return (
    <div data-testid="pop-history">
      <div className="pop-row">
        <span className="text-secondary">{t('orders.pop.history')}</span>
        {pop.platform.cachedAt !== undefined && (
          <span className="text-secondary" data-testid="pop-platform-cached">
            {t('orders.pop.platformCached', { time: hhmm(pop.platform.cachedAt) })}
          </span>
        )}
        {pop.platform.state === 'loading' && (
          <span className="text-secondary" data-testid="pop-platform-loading">
            {t('orders.pop.platformLoading')}
          </span>
        )}
      </div>
      {pop.platform.state === 'unavailable' && (
        <Alert type="warning" showIcon title={t('orders.pop.platformUnavailable')} data-testid="pop-platform-unavailable" style={{ margin: '4px 0' }} />
      )}
      {rows.length === 0 ? (
        <div className="text-secondary">{t('orders.pop.noHistory')}</div>
      ) : (
        <ul className="pop-history">
          {rows.map((row) => (
            <HistoryItem key={row.key} row={row} label={label} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** The pop of one call; nothing when the orders domain has none for it. */
export const ScreenPop = memo(function ScreenPop({ callId }: { callId: string }) {
  const pop = useOrdersStore((s) => s.pops[callId]);
  if (!pop) return null;
  return (
    <div data-testid="pop" data-call-id={callId} style={{ display: 'grid', gap: 6, marginTop: 8, paddingTop: 8, borderTop: '1px solid rgba(5, 5, 5, 0.06)' }}>
      <NumberRow pop={pop} />
      <LineRow pop={pop} />
      <Flags flags={pop.flags} />
      <History pop={pop} />
    </div>
  );
});
