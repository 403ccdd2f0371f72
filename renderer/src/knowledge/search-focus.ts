/**
 * Putting the cursor in the knowledge search from outside the panel (the searchKnowledge
 * shortcut): the panel registers how to focus its search box, the shortcut calls it. A plain
 * hand-off, so the shortcuts need neither the panel's DOM nor React.
 */

let focusSearch: (() => void) | undefined;

/** The panel says how to focus its search box; returns the function that takes that back. */
export function registerSearchFocus(fn: () => void): () => void {
  focusSearch = fn;
  return () => {
    // A newer registration (the panel mounted again first) stays.
    if (focusSearch === fn) focusSearch = undefined;
  };
}

/** Focus the knowledge search; false when no panel is on screen to take it. */
export function focusKnowledgeSearch(): boolean {
  if (!focusSearch) return false;
  focusSearch();
  return true;
}
