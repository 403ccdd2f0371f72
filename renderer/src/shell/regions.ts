/**
 * Keyboard navigation between the shell's regions, as in desktop applications: F6 / Shift+F6
 * cycle, Alt+1…4 jump. Agents keep their hands on the keyboard while talking.
 */
export const REGIONS = ['softphone', 'workArea', 'knowledge', 'statusBar'] as const;
export type Region = (typeof REGIONS)[number];

export function focusRegion(region: Region): void {
  const el = document.querySelector<HTMLElement>(`[data-region="${region}"]`);
  el?.focus();
}

function currentRegionIndex(): number {
  const active = document.activeElement;
  const host = active instanceof HTMLElement ? active.closest<HTMLElement>('[data-region]') : null;
  return host ? REGIONS.indexOf(host.dataset.region as Region) : -1;
}

export function handleRegionKey(event: KeyboardEvent): boolean {
  if (event.key === 'F6') {
    const i = currentRegionIndex();
    const step = event.shiftKey ? -1 : 1;
    const next = i < 0 ? 0 : (i + step + REGIONS.length) % REGIONS.length;
    focusRegion(REGIONS[next]!);
    return true;
  }
  if (event.altKey && !event.ctrlKey && !event.metaKey && /^Digit[1-4]$/.test(event.code)) {
    focusRegion(REGIONS[Number(event.code.slice(5)) - 1]!);
    return true;
  }
  return false;
}
