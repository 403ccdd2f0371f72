/** Element ids of the order form's fields (kept apart so that the shell can focus one without loading the form). */
import type { OrderFormField } from '../../../../shared/orders/order-form';

/** The id of a field's input element (labels point at it; focus goes to it). */
export function fieldId(field: OrderFormField): string {
  return `order-field-${field}`;
}
