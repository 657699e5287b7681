import { correctedBirthDate } from './child-age';
import { pregnancyDating } from './dating';
import type { IsoDate, Journey, StageKind, TriggerAnchor } from './domain';

/**
 * The stage in which a rule with this anchor may be due; `enrolment` fits any stage (the rule's
 * conditions pick one). Pregnancy anchors need an active pregnancy, so nothing anchored on the LMP,
 * the EDD or the last visit can ever be due after a loss or a delivery.
 */
export const ANCHOR_STAGE: Readonly<Record<TriggerAnchor, StageKind | null>> = {
  lmp: 'pregnancy',
  edd: 'pregnancy',
  'last-visit': 'pregnancy',
  delivery: 'postpartum',
  birth: 'child',
  enrolment: null,
};

/**
 * The anchor date of a journey, or null when it has none (no visit yet, not delivered, wrong kind).
 * This is the date a store indexes to find candidates with `dueAnchorRanges`: the best LMP/EDD
 * (a corrected EDD wins), and for `corrected` birth rules the corrected birth date.
 */
export function anchorDateOf({
  journey,
  anchor,
  corrected = false,
}: {
  journey: Journey;
  anchor: TriggerAnchor;
  corrected?: boolean;
}): IsoDate | null {
  switch (anchor) {
    case 'enrolment':
      return journey.enrolledOn;
    case 'lmp':
    case 'edd': {
      if (journey.kind !== 'pregnancy' || (!journey.lmp && !journey.edd)) return null;
      const dating = pregnancyDating(journey);
      return anchor === 'lmp' ? dating.lmp : dating.edd;
    }
    case 'last-visit':
      return journey.kind === 'pregnancy' ? (journey.lastVisitOn ?? null) : null;
    case 'delivery':
      return journey.kind === 'pregnancy' && journey.status === 'delivered' ? (journey.outcomeOn ?? null) : null;
    case 'birth':
      if (journey.kind !== 'child') return null;
      return corrected ? correctedBirthDate(journey.birthDate, journey.gestationalAgeAtBirthDays) : journey.birthDate;
  }
}
