import type { DetectorEntry } from '../detector.ts';
import { createAccountEnumeration } from './account-enumeration.ts';
import { createCredentialStuffing } from './credential-stuffing.ts';
import { createFlood } from './flood.ts';
import { createScanning } from './scanning.ts';
import { createScraping } from './scraping.ts';
import { createTiming } from './timing.ts';

/**
 * Every behaviour detector, by name, in the order they run. Adding one is a file, its test and a line here
 * (style rule 3); the engine builds only the entries whose family is not disabled. Challenge outcomes (missing
 * or replayed tokens, ignored Retry-After) are findings of the `challenge` family made by src/behaviour/challenge/.
 */
export const BEHAVIOUR_DETECTORS: readonly DetectorEntry[] = [
  { name: 'credential-stuffing', family: 'stuffing', create: createCredentialStuffing },
  { name: 'account-enumeration', family: 'enumeration', create: createAccountEnumeration },
  { name: 'scraping', family: 'scraping', create: createScraping },
  { name: 'scanning', family: 'scanning', create: createScanning },
  { name: 'flood', family: 'flood', create: createFlood },
  { name: 'timing', family: 'timing', create: createTiming },
];

export const BEHAVIOUR_FAMILIES: readonly string[] = [
  ...new Set([...BEHAVIOUR_DETECTORS.map((d) => d.family), 'challenge']),
];
