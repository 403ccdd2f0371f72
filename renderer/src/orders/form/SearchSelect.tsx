/**
 * A select over configured entries (categories, units, areas) searchable by characters, code,
 * full pinyin and pinyin initials ("gjj" → 公积金). Arrow keys and Enter pick, as in any antd
 * select. The pinyin data (a small lazy chunk) loads as soon as the first select shows.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { Select } from 'antd';
import { loadPinyin, searchItems, type PinyinMatcher, type SearchItem } from './pinyin';
import { isComposing } from './keys';

export interface SearchOption extends SearchItem {
  /** What the option shows (e.g. the path "城乡建设 / 住房公积金"). */
  readonly label: string;
}

/** Options shown at most (a city's category tree can be large; the agent narrows by typing). */
const MAX_SHOWN = 200;

let sharedMatcher: PinyinMatcher | null = null;

function usePinyin(): [PinyinMatcher | null, () => void] {
  const [matcher, setMatcher] = useState<PinyinMatcher | null>(sharedMatcher);
  // Loaded as soon as a select shows (the form is itself loaded lazily): the matcher must not
  // arrive while the agent types, changing the options under the keyboard's Enter.
  const [wanted, setWanted] = useState(true);
  useEffect(() => {
    if (!wanted || matcher) return;
    let live = true;
    void loadPinyin().then((m) => {
      sharedMatcher = m;
      if (live) setMatcher(m);
    });
    return () => {
      live = false;
    };
  }, [wanted, matcher]);
  return [matcher, () => setWanted(true)];
}

interface CommonProps {
  readonly id: string;
  readonly options: readonly SearchOption[];
  readonly placeholder?: string;
  readonly notFound?: string;
  readonly status?: 'error';
  readonly testId: string;
  readonly disabled?: boolean;
  readonly ariaLabel?: string;
  /** The list opened (e.g. to refresh what it offers). */
  readonly onOpen?: () => void;
}

interface SingleProps extends CommonProps {
  readonly multiple?: false;
  readonly value: string;
  readonly onChange: (value: string) => void;
}

interface MultipleProps extends CommonProps {
  readonly multiple: true;
  readonly value: readonly string[];
  readonly onChange: (value: string[]) => void;
}

export function SearchSelect(props: SingleProps | MultipleProps) {
  const [query, setQuery] = useState('');
  const [matcher, wantPinyin] = usePinyin();
  const shown = useMemo(() => {
    const found = searchItems(props.options, query, matcher).slice(0, MAX_SHOWN);
    return found.map((o) => ({ value: o.code, label: o.label }));
  }, [props.options, query, matcher]);
  // The selected entries always have an option, so their label shows even when filtered out.
  const value = props.value;
  const all = props.options;
  const options = useMemo(() => {
    const selected: readonly string[] = typeof value === 'string' ? (value ? [value] : []) : value;
    const missing = selected.filter((v) => !shown.some((o) => o.value === v));
    const extra = missing.map((v) => ({ value: v, label: all.find((o) => o.code === v)?.label ?? v }));
    return [...shown, ...extra];
  }, [shown, value, all]);

  const common = {
    id: props.id,
    showSearch: {
      filterOption: false,
      onSearch: (q: string) => {
        wantPinyin();
        setQuery(q);
      },
    },
    options,
    placeholder: props.placeholder,
    notFoundContent: props.notFound,
    status: props.status,
    disabled: props.disabled,
    // No clear button: it would be one more Tab stop in every filled select. Delete clears instead.
    onInputKeyDown: (e: KeyboardEvent<HTMLInputElement>) => {
      if (e.key === 'Delete' && query === '' && !isComposing(e.nativeEvent)) {
        e.preventDefault();
        if (props.multiple) props.onChange([]);
        else props.onChange('');
      }
    },
    'aria-label': props.ariaLabel,
    'data-testid': props.testId,
    onOpenChange: (open: boolean) => {
      if (open) {
        wantPinyin();
        props.onOpen?.();
      } else setQuery('');
    },
    style: { width: '100%' },
  };
  if (props.multiple) {
    const onChange = props.onChange;
    return <Select<string[]> {...common} mode="multiple" value={[...props.value]} onChange={(v) => onChange(v ?? [])} />;
  }
  const onChange = props.onChange;
  return (
    <Select<string>
      {...common}
      value={props.value || undefined}
      onChange={(v) => {
        setQuery('');
        onChange(v ?? '');
      }}
    />
  );
}
