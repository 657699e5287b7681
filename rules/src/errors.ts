/** Every reason a rules/ function refuses its input; stable, so callers can map them to messages. */
export type RulesErrorCode =
  | 'INVALID_DATE'
  | 'UNKNOWN_TIME_ZONE'
  | 'DATING_MISSING'
  | 'LMP_IN_FUTURE'
  | 'LMP_TOO_OLD'
  | 'EDD_TOO_FAR'
  | 'EDD_TOO_OLD'
  | 'BIRTH_IN_FUTURE'
  | 'INVALID_GESTATIONAL_AGE'
  | 'INVALID_DAYS';

/** A domain error with a stable `code` and the `field` it is about, for a 400 that names the field. */
export class RulesError extends Error {
  constructor(
    readonly code: RulesErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RulesError';
  }
}
