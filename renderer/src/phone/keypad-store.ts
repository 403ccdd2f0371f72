/** Whether the DTMF keypad is open: toggled from the call controls, drawn inside the call card. */
import { create } from 'zustand';

export const useKeypadStore = create<{ readonly open: boolean }>()(() => ({ open: false }));

export function toggleKeypad(): void {
  useKeypadStore.setState((s) => ({ open: !s.open }));
}

export function closeKeypad(): void {
  useKeypadStore.setState({ open: false });
}
