/** The codec preference: which codecs the line offers and accepts, in order (first = preferred). */
import { Button, Checkbox, List, Space } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CODECS } from '../../../shared/settings/schema';

type Codec = (typeof CODECS)[number];

const LABELS: Record<Codec, string> = { opus: 'Opus', G722: 'G.722', PCMU: 'G.711 μ-law (PCMU)', PCMA: 'G.711 A-law (PCMA)' };

export function CodecOrder({ value = [], onChange }: { value?: Codec[]; onChange?: (codecs: Codec[]) => void }) {
  const { t } = useTranslation();
  // Chosen codecs in their order, then the others.
  const rows = [...value, ...CODECS.filter((c) => !value.includes(c))];
  const move = (codec: Codec, by: -1 | 1) => {
    const i = value.indexOf(codec);
    const j = i + by;
    if (i < 0 || j < 0 || j >= value.length) return;
    const next = [...value];
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange?.(next);
  };
  const toggle = (codec: Codec, on: boolean) => {
    // At least one codec stays chosen.
    if (!on && value.length === 1) return;
    onChange?.(on ? [...value, codec] : value.filter((c) => c !== codec));
  };
  return (
    <List
      size="small"
      bordered
      dataSource={rows}
      data-testid="codec-order"
      renderItem={(codec) => {
        const i = value.indexOf(codec);
        return (
          <List.Item
            data-testid={`codec-${codec}`}
            actions={[
              <Button key="up" size="small" icon={<ArrowUpOutlined />} disabled={i <= 0} onClick={() => move(codec, -1)} aria-label={t('settings.codecUp', { codec: LABELS[codec] })} />,
              <Button key="down" size="small" icon={<ArrowDownOutlined />} disabled={i < 0 || i === value.length - 1} onClick={() => move(codec, 1)} aria-label={t('settings.codecDown', { codec: LABELS[codec] })} />,
            ]}
          >
            <Space>
              <Checkbox checked={i >= 0} disabled={i >= 0 && value.length === 1} onChange={(e) => toggle(codec, e.target.checked)}>
                {LABELS[codec]}
              </Checkbox>
            </Space>
          </List.Item>
        );
      }}
    />
  );
}
