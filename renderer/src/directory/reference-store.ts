/**
 * The city's reference data in the renderer: the copy main keeps (fetched from the platform by
 * version, cached on disk), and the look-ups the work-order form and the screen-pop need. Works
 * from the cached copy when the platform is down; `stale` says the copy could not be refreshed.
 */
import { create } from 'zustand';
import type { ReferenceState } from '../../../shared/directory/ipc';
import type { AreaNode, CategoryNode, DirectoryEntry } from '../../../shared/directory/routes';
import { WorkCalendar } from '../../../shared/directory/working-days';
import { deadlineFor, type DeadlinePreview } from '../../../shared/orders/deadline';
import type { OrderInput } from '../../../shared/orders/work-order';
import { bridge, call } from '../ipc/bridge';

export const useReferenceStore = create<ReferenceState>()(() => ({ data: null, fetchedAt: null, stale: true }));

let started = false;

/** Load the cached copy and follow its refreshes (once per page). */
export async function startReference(): Promise<void> {
  if (started) return;
  started = true;
  bridge().directory.onChanged((next) => {
    calendarCache = undefined;
    useReferenceStore.setState(next, true);
  });
  useReferenceStore.setState(await call(bridge().directory.reference()), true);
}

/** The directory entry of a dialled number (e.g. 12333 → 人社, dual number), if any. */
export function lineForDialled(dialled: string | undefined): DirectoryEntry | undefined {
  if (!dialled) return undefined;
  return useReferenceStore.getState().data?.directory.find((e) => e.number === dialled);
}

let calendarCache: { source: ReferenceState['data']; calendar: WorkCalendar } | undefined;

function calendar(): WorkCalendar | undefined {
  const data = useReferenceStore.getState().data;
  if (!data) return undefined;
  if (calendarCache?.source !== data) {
    calendarCache = {
      source: data,
      calendar: new WorkCalendar({ overrides: new Map(data.calendar.days.map((d) => [d.date, d.kind])), knownYears: new Set(data.calendar.knownYears) }),
    };
  }
  return calendarCache.calendar;
}

/** The deadline an order would get if accepted on `acceptedOn` (undefined without a policy). */
export function previewDeadline(input: Pick<OrderInput, 'requestType' | 'urgency'>, acceptedOn: string): DeadlinePreview | undefined {
  const data = useReferenceStore.getState().data;
  const cal = calendar();
  if (!data?.deadlinePolicy || !cal) return undefined;
  return deadlineFor(data.deadlinePolicy, cal, input, acceptedOn);
}

/** Depth-first walk of a tree with each node's path of names (for search and labels). */
export function flattenTree<T extends CategoryNode | AreaNode>(nodes: readonly T[], trail: string[] = []): { node: T; path: string[] }[] {
  const out: { node: T; path: string[] }[] = [];
  for (const n of nodes) {
    const path = [...trail, n.name];
    out.push({ node: n, path });
    out.push(...flattenTree(n.children as T[], path));
  }
  return out;
}
