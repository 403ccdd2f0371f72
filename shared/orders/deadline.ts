/**
 * The deadline of an order (办理时限), computed the same way on the platform (when it dispatches)
 * and in the workstation (the preview beside the form): the city's policy gives working days per
 * request type (urgent: its own count, 0 = the same day), the working-day calendar counts them
 * from the day after acceptance, 调休 make-up days included. A deadline that runs into a year whose
 * holiday notice is not loaded is returned with `certain: false` — shown flagged, never guessed.
 */
import type { DeadlinePolicy } from '../directory/deadline-policy';
import type { WorkCalendar } from '../directory/working-days';
import type { OrderInput } from './work-order';

export interface DeadlinePreview {
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
  /** Working days the policy gives (0 = the same day). */
  workingDays: number;
  /** False when a day counted lies in a year without a known holiday notice. */
  certain: boolean;
}

export function handlingWorkingDays(policy: DeadlinePolicy, input: Pick<OrderInput, 'requestType' | 'urgency'>): number {
  return input.urgency === 'urgent' ? policy.urgentWorkingDays : policy.workingDays[input.requestType];
}

/** The deadline of an order accepted on `acceptedOn` (YYYY-MM-DD in Asia/Shanghai). */
export function deadlineFor(policy: DeadlinePolicy, calendar: WorkCalendar, input: Pick<OrderInput, 'requestType' | 'urgency'>, acceptedOn: string): DeadlinePreview {
  const workingDays = handlingWorkingDays(policy, input);
  const { date, certain } = calendar.addWorkingDays(acceptedOn, workingDays);
  return { date, workingDays, certain };
}
