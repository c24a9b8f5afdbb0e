/** An error with MLflow's error code (e.g. INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST). */
export class TrackingError extends Error {
  readonly errorCode: string;
  readonly httpStatus?: number;

  constructor(errorCode: string, message: string, httpStatus?: number) {
    super(httpStatus ? `${errorCode} (HTTP ${httpStatus}): ${message}` : `${errorCode}: ${message}`);
    this.name = 'TrackingError';
    this.errorCode = errorCode;
    this.httpStatus = httpStatus;
  }
}

/** The server could not be reached (network error, or 429/5xx after every retry). */
export class TrackingUnavailableError extends Error {
  /** The last problem seen, without the request line (e.g. `network error: ... ECONNREFUSED ...`). */
  readonly reason: string;

  constructor(message: string, options?: { cause?: unknown; reason?: string }) {
    super(message, options);
    this.name = 'TrackingUnavailableError';
    this.reason = options?.reason ?? message;
  }
}

export const INVALID_PARAMETER_VALUE = 'INVALID_PARAMETER_VALUE';
export const RESOURCE_DOES_NOT_EXIST = 'RESOURCE_DOES_NOT_EXIST';
export const RESOURCE_ALREADY_EXISTS = 'RESOURCE_ALREADY_EXISTS';
export const INVALID_STATE = 'INVALID_STATE';
