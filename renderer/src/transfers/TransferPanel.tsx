/**
 * The transfer panel (双向一键转接): the directory's targets from the platform — never a built-in
 * list — found by number, name or pinyin initials ("ns" → 纳税), favourites first; each with its
 * default way (three-way introduction for sub-centers and dual-number lines with seats, blind
 * otherwise), its service hours (outside them: the agent is offered a work order instead), and the
 * emergency lines as their own confirm-once action with the number to read out. A number typed
 * that the directory does not know can still be transferred to. What travels with the caller (the
 * call's order) is said before the agent clicks.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { Alert, Button, Input, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { StarFilled, StarOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { availability, transferTargets, type TransferTarget } from '../../../shared/transfers/targets';
import { WorkCalendar } from '../../../shared/directory/working-days';
import type { TransferKind } from '../../../shared/transfers/routes';
import { classifyPhone, normalizePhone } from '../../../shared/base/phone-number';
import { useReferenceStore } from '../directory/reference-store';
import { useSessionStore } from '../session/session-store';
import { useSettingsStore, updateSettings } from '../settings/settings-store';
import { editDraft, activateDraft, useOrdersStore } from '../orders/orders-store';
import { requestFieldFocus } from '../orders/form/field-focus';
import { isComposing } from '../orders/form/keys';
import { loadPinyin, searchItems, type PinyinMatcher } from '../orders/form/pinyin';
import { useCallStore } from '../phone/call-store';
import { recordReadOut, startTransfer, type StartResult } from './transfer-runner';
import { useTransfersStore } from './transfer-store';
import type { FieldError } from '../../../shared/orders/order-form';
import './transfers.css';

const KINDS: readonly Exclude<TransferKind, 'emergency'>[] = ['threeWay', 'attended', 'blind'];

function usePinyin(): PinyinMatcher | null {
  const [m, setM] = useState<PinyinMatcher | null>(null);
  useEffect(() => {
    let live = true;
    void loadPinyin().then((x) => live && setM(x));
    return () => {
      live = false;
    };
  }, []);
  return m;
}

/** The seat's own hotline (a sub-center's 12366) is not a target for itself. */
function useTargets(): TransferTarget[] {
  const data = useReferenceStore((s) => s.data);
  const org = useSessionStore((s) => s.status?.user?.orgCode);
  return useMemo(() => {
    if (!data) return [];
    const own = data.units.find((u) => u.code === org)?.hotline ?? undefined;
    return transferTargets(data.directory, data.units, own);
  }, [data, org]);
}

function useCalendar(): WorkCalendar | undefined {
  const cal = useReferenceStore((s) => s.data?.calendar);
  return useMemo(() => (cal ? new WorkCalendar({ overrides: new Map(cal.days.map((d) => [d.date, d.kind])), knownYears: new Set(cal.knownYears) }) : undefined), [cal]);
}

/** What travels with the caller: the order the call came with, the call's order, or none yet. */
function useContextLine(callId: string | undefined): { kind: 'received' | 'submitted' | 'draft' | 'none'; orderNo?: string } {
  const received = useTransfersStore((s) => (callId ? s.tickets[callId] : undefined));
  const draft = useOrdersStore(useShallow((s) => {
    const d = callId ? Object.values(s.drafts).find((x) => x.call?.callId === callId) : undefined;
    return d ? { state: d.state, id: d.id } : undefined;
  }));
  const orderNo = useOrdersStore((s) => (draft ? s.myOrders.find((o) => o.id === draft.id)?.orderNo : undefined));
  if (received?.state === 'ready') return { kind: 'received', orderNo: received.context.order.orderNo };
  if (draft?.state === 'submitted') return { kind: 'submitted', ...(orderNo ? { orderNo } : {}) };
  if (draft?.state === 'open') return { kind: 'draft' };
  return { kind: 'none' };
}

function TargetRow({ target, open, selected, favourite, onSelect, onStar }: { target: TransferTarget; open: boolean; selected: boolean; favourite: boolean; onSelect: () => void; onStar: () => void }) {
  const { t } = useTranslation();
  return (
    <div
      role="option"
      aria-selected={selected}
      className={selected ? 'transfer-row transfer-row--selected' : 'transfer-row'}
      onClick={onSelect}
      data-testid={`transfer-target-${target.number}`}
      data-open={open ? 'true' : 'false'}
      data-kind={target.defaultKind}
    >
      <button
        type="button"
        className="transfer-star"
        onClick={(e) => {
          e.stopPropagation();
          onStar();
        }}
        aria-pressed={favourite}
        aria-label={t(favourite ? 'transfers.unstar' : 'transfers.star', { number: target.number })}
        data-testid={`transfer-favourite-${target.number}`}
      >
        {favourite ? <StarFilled /> : <StarOutlined />}
      </button>
      <strong className="tabular">{target.number}</strong>
      <span className="transfer-name">{target.name}</span>
      {target.mergeMode === 'emergency' && <Tag color="red">{t('transfers.tag.emergency')}</Tag>}
      {target.mergeMode === 'subcenter' && <Tag color="blue">{t('transfers.tag.subcenter')}</Tag>}
      {target.mergeMode === 'dual' && <Tag color="geekblue">{t('transfers.tag.dual')}</Tag>}
      {target.threeWay && <Tag>{t('transfers.tag.threeWay')}</Tag>}
      {!open && (
        <Tooltip title={target.serviceHours}>
          <Tag color="orange" data-testid={`transfer-closed-${target.number}`}>
            {t('transfers.closed')}
          </Tag>
        </Tooltip>
      )}
      {target.department && <span className="text-secondary transfer-department">{target.department}</span>}
    </div>
  );
}

function IncompleteAlert({ errors, onWithout, onFix }: { errors: readonly FieldError[]; onWithout: () => void; onFix: () => void }) {
  const { t } = useTranslation();
  const fields = [...new Set(errors.map((e) => t(`orders.form.fields.${e.field}`)))].join('、');
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="transfer-incomplete"
      title={t('transfers.incomplete', { fields })}
      description={
        <Space size="small" wrap>
          <Button size="small" onClick={onFix} data-testid="transfer-fix-order">
            {t('transfers.fixOrder')}
          </Button>
          <Button size="small" onClick={onWithout} data-testid="transfer-without-order">
            {t('transfers.withoutOrder')}
          </Button>
        </Space>
      }
    />
  );
}

export function TransferPanel({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const targets = useTargets();
  const calendar = useCalendar();
  const pinyin = usePinyin();
  const favourites = useSettingsStore((s) => s.settings?.transfers.favourites ?? []);
  const callId = useCallStore((s) => s.calls.find((c) => c.id === s.focusedId && !c.consult)?.id ?? s.calls.find((c) => !c.consult)?.id);
  const context = useContextLine(callId);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ kind: 'incomplete'; errors: readonly FieldError[]; retry: () => void } | { kind: 'error'; text: string } | null>(null);
  const [now] = useState(() => Date.now());

  const shown = useMemo(() => {
    const items = targets.map((tg) => ({ code: tg.number, name: tg.name, path: [...(tg.department ? [tg.department] : []), tg.name], target: tg }));
    const found = searchItems(items, query, pinyin).map((i) => i.target);
    // Favourites first, in the order they were starred; the rest in the directory's order.
    const fav = favourites.map((n) => found.find((x) => x.number === n)).filter((x): x is TransferTarget => !!x);
    return [...fav, ...found.filter((x) => !favourites.includes(x.number))];
  }, [targets, query, pinyin, favourites]);
  const typed = normalizePhone(query);
  const typedNumber = /^\d{3,}$/.test(typed) && classifyPhone(typed) && !targets.some((x) => x.number === typed) ? typed : undefined;
  const current = shown.find((x) => x.number === selected) ?? (query ? shown[0] : undefined);
  const isOpen = (x: TransferTarget) => availability(x, now, calendar) === 'open';

  const toggleStar = (number: string) => {
    const s = useSettingsStore.getState().settings;
    if (!s) return;
    const list = s.transfers.favourites;
    const next = list.includes(number) ? list.filter((n) => n !== number) : [...list, number].slice(-20);
    void updateSettings({ section: 'transfers', value: { favourites: next } });
  };

  const run = async (target: TransferTarget | { number: string }, kind: TransferKind, withoutOrder = false) => {
    if (!callId || busy) return;
    setBusy(true);
    setProblem(null);
    const ref = 'uri' in target ? { number: target.number, name: target.name, uri: target.uri, org: target.org } : { number: target.number };
    const r: StartResult = await startTransfer(callId, ref, kind, { withoutOrder }).finally(() => setBusy(false));
    if (r.ok) return onDone();
    if (r.reason === 'incomplete') setProblem({ kind: 'incomplete', errors: r.errors, retry: () => void run(target, kind, true) });
    else setProblem({ kind: 'error', text: t(`phone.transferError.${r.reason}`) });
  };

  /** Outside its hours: record the matter as a work order to that target instead (转办). */
  const asOrder = (target: TransferTarget) => {
    const draft = callId ? Object.values(useOrdersStore.getState().drafts).find((d) => d.call?.callId === callId && d.state === 'open') : undefined;
    if (!draft) return;
    editDraft(draft.id, { disposition: 'transferred', transferTarget: target.org ?? target.number });
    activateDraft(draft.id);
    requestFieldFocus('content');
    onDone();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || isComposing(e.nativeEvent)) return;
    e.preventDefault();
    if (current && current.mergeMode !== 'emergency') void run(current, current.defaultKind);
    else if (!current && typedNumber) void run({ number: typedNumber }, 'blind');
  };

  return (
    <div className="transfer-panel" data-testid="transfer-panel" style={{ width: 400 }}>
      <Input
        value={query}
        autoFocus
        allowClear
        onChange={(e) => {
          setQuery(e.target.value.slice(0, 40));
          setSelected(null);
        }}
        onKeyDown={onKeyDown}
        placeholder={t('transfers.searchPlaceholder')}
        aria-label={t('transfers.search')}
        data-testid="transfer-number"
      />
      <div className="transfer-list" role="listbox" aria-label={t('transfers.directory')} data-testid="transfer-list">
        {shown.length === 0 && !typedNumber && <Typography.Text type="secondary">{targets.length === 0 ? t('transfers.noDirectory') : t('transfers.noMatch')}</Typography.Text>}
        {shown.slice(0, 30).map((x) => (
          <TargetRow key={x.number} target={x} open={isOpen(x)} selected={current?.number === x.number} favourite={favourites.includes(x.number)} onSelect={() => setSelected(x.number)} onStar={() => toggleStar(x.number)} />
        ))}
      </div>
      {current && current.mergeMode === 'emergency' && (
        <EmergencyActions
          target={current}
          busy={busy}
          onTransfer={() => void run(current, 'emergency')}
          onReadOut={() => {
            if (callId) void recordReadOut(callId, { number: current.number, name: current.name }).then(onDone);
          }}
        />
      )}
      {current && current.mergeMode !== 'emergency' && (
        <Space orientation="vertical" size="small" style={{ width: '100%' }}>
          {!isOpen(current) && (
            <Alert
              type="warning"
              showIcon
              data-testid="transfer-closed"
              title={t('transfers.closedHint', { number: current.number, hours: current.serviceHours })}
              action={
                <Button size="small" onClick={() => asOrder(current)} data-testid="transfer-as-order">
                  {t('transfers.asOrder')}
                </Button>
              }
            />
          )}
          <Space size="small" wrap>
            <Button type="primary" loading={busy} onClick={() => void run(current, current.defaultKind)} data-testid="transfer-go" data-kind={current.defaultKind}>
              {t(`transfers.kind.${current.defaultKind}`)} {current.number}
            </Button>
            {KINDS.filter((k) => k !== current.defaultKind).map((k) => (
              <Button key={k} size="small" disabled={busy} onClick={() => void run(current, k)} data-testid={`transfer-kind-${k}`}>
                {t(`transfers.kind.${k}`)}
              </Button>
            ))}
          </Space>
        </Space>
      )}
      {!current && typedNumber && (
        <Space size="small">
          <Button type="primary" loading={busy} onClick={() => void run({ number: typedNumber }, 'blind')} data-testid="transfer-blind">
            {t('phone.transferBlind')}
          </Button>
          <Button disabled={busy} onClick={() => void run({ number: typedNumber }, 'attended')} data-testid="transfer-consult">
            {t('phone.transferConsult')}
          </Button>
        </Space>
      )}
      <Typography.Text type="secondary" className="transfer-context" data-testid="transfer-context" data-context={context.kind}>
        {t(`transfers.context.${context.kind}`, { orderNo: context.orderNo ?? '' })}
      </Typography.Text>
      {problem?.kind === 'incomplete' && (
        <IncompleteAlert
          errors={problem.errors}
          onWithout={problem.retry}
          onFix={() => {
            const first = problem.errors[0];
            if (first) requestFieldFocus(first.field);
            onDone();
          }}
        />
      )}
      {problem?.kind === 'error' && <Alert type="error" showIcon title={problem.text} data-testid="transfer-error" />}
    </div>
  );
}

/** 110/119/120/122: transfer after one confirmation, or read the number out; the linkage is recorded either way. */
function EmergencyActions({ target, busy, onTransfer, onReadOut }: { target: TransferTarget; busy: boolean; onTransfer: () => void; onReadOut: () => void }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }} data-testid="transfer-emergency">
      <Alert
        type="error"
        showIcon
        title={t('transfers.emergency.readOut', { number: target.number, name: target.name })}
        description={target.note ?? undefined}
        data-testid="transfer-readout"
        action={
          <Button size="small" disabled={busy} onClick={onReadOut} data-testid="transfer-readout-done">
            {t('transfers.emergency.readOutDone')}
          </Button>
        }
      />
      {target.emergencyRule !== 'readOut' && (
        <Popconfirm
          title={t('transfers.emergency.confirm', { number: target.number, name: target.name })}
          okText={t('transfers.emergency.ok')}
          cancelText={t('transfers.emergency.cancel')}
          okButtonProps={{ danger: true, 'data-testid': 'transfer-emergency-confirm' } as never}
          onConfirm={onTransfer}
        >
          <Button danger type="primary" loading={busy} data-testid="transfer-emergency-go">
            {t('transfers.emergency.go', { number: target.number })}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}
