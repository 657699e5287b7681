import { addMonths, diffDays } from './dates';
import { MAX_GESTATION_DAYS, pregnancyDating } from './dating';
import type { IsoDate, Journey, StageKind } from './domain';

export interface StageOnDay {
  stage: StageKind;
  /**
   * Days since the stage's anchor: gestational days, postpartum days, chronological age in days,
   * days since planning began. Corrected age is a fact (correctedAgeMonths), not the day index, so
   * one child has one position on the content timeline.
   */
  dayIndex: number;
}

/** The postpartum stage lasts one year after delivery; a child is followed until the 7th birthday (0–6 years). */
export const POSTPARTUM_DAYS = 365;
export const CHILD_MONTHS = 84;

/**
 * The stage of one journey on one day (at most one today; a list so callers need no special case).
 * A journey's status is its present truth, so:
 *  - loss: no stage on any day. This is the promise that matters most: once a loss is recorded, no
 *    pregnancy content or reminder can qualify, including those still pending for earlier days;
 *  - delivered: postpartum from the delivery day (day 0) to day 365, nothing before or after;
 *  - active pregnancy: from the (best) LMP to 44+6;
 *  - child: from birth to the day before the 7th birthday; preconception: from the start day on;
 *  - closed (and any status that does not fit the kind): nothing.
 */
export function stagesOf({ journey, on }: { journey: Journey; on: IsoDate }): StageOnDay[] {
  switch (journey.kind) {
    case 'preconception': {
      if (journey.status !== 'active') return [];
      const days = diffDays(on, journey.startedOn);
      return days >= 0 ? [{ stage: 'preconception', dayIndex: days }] : [];
    }
    case 'pregnancy': {
      if (journey.status === 'delivered') {
        if (!journey.outcomeOn) return [];
        const days = diffDays(on, journey.outcomeOn);
        return days >= 0 && days <= POSTPARTUM_DAYS ? [{ stage: 'postpartum', dayIndex: days }] : [];
      }
      if (journey.status !== 'active' || (!journey.lmp && !journey.edd)) return [];
      const days = diffDays(on, pregnancyDating(journey).lmp);
      return days >= 0 && days <= MAX_GESTATION_DAYS ? [{ stage: 'pregnancy', dayIndex: days }] : [];
    }
    case 'child': {
      if (journey.status !== 'active' || on < journey.birthDate || on >= addMonths(journey.birthDate, CHILD_MONTHS))
        return [];
      return [{ stage: 'child', dayIndex: diffDays(on, journey.birthDate) }];
    }
  }
}
