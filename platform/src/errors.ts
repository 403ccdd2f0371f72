/** An error with an API code; the server turns it into the contract's error body and status. */
import { ERROR_CODES, type ErrorCode } from '../../shared/http/route';

export class ApiProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }
}
