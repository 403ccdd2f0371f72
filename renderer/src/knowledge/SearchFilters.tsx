/**
 * The search's filters: hotline, department and top-level category, offered from what the copy
 * covers (the index's facets) and named from the city's reference data. Native selects: the panel
 * is on the first screen, and these are three short lists.
 */
import { useTranslation } from 'react-i18next';
import { useReferenceStore } from '../directory/reference-store';
import { setKnowledgeFilters, useKnowledgeStore, type KnowledgeFilters } from './knowledge-store';

function FilterSelect({ field, label, all, options }: { field: keyof KnowledgeFilters; label: string; all: string; options: readonly { value: string; name: string }[] }) {
  const filters = useKnowledgeStore((s) => s.filters);
  const value = filters[field] ?? '';
  return (
    <select
      className="knowledge-filter"
      aria-label={label}
      data-testid={`knowledge-filter-${field}`}
      value={value}
      onChange={(e) => void setKnowledgeFilters({ ...filters, [field]: e.target.value || undefined })}
    >
      <option value="">{all}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.name}
        </option>
      ))}
    </select>
  );
}

export function SearchFilters() {
  const { t } = useTranslation();
  const facets = useKnowledgeStore((s) => s.facets);
  const units = useReferenceStore((s) => s.data?.units);
  const categories = useReferenceStore((s) => s.data?.categories);
  if (!facets) return null;
  const unitName = (code: string) => units?.find((u) => u.code === code)?.name ?? code;
  const categoryName = (code: string) => categories?.find((c) => c.code === code)?.name ?? code;
  return (
    <div className="knowledge-filters" role="group" aria-label={t('knowledge.filters')}>
      <FilterSelect field="hotline" label={t('knowledge.filterHotline')} all={t('knowledge.anyHotline')} options={facets.hotlines.map((h) => ({ value: h, name: h }))} />
      <FilterSelect field="unitCode" label={t('knowledge.filterUnit')} all={t('knowledge.anyUnit')} options={facets.unitCodes.map((c) => ({ value: c, name: unitName(c) }))} />
      <FilterSelect
        field="categoryCode"
        label={t('knowledge.filterCategory')}
        all={t('knowledge.anyCategory')}
        options={facets.categoryCodes.map((c) => ({ value: c, name: categoryName(c) }))}
      />
    </div>
  );
}
