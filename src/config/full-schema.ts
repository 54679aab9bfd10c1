import { z } from 'zod';
import { behaviourConfigSchema } from '../behaviour/config.ts';
import { decisionsConfigSchema } from '../decisions/config.ts';
import { detectionConfigSchema } from '../detection/config.ts';
import { identityConfigSchema } from '../identity/config.ts';
import { coreSchemaShape } from './schema.ts';

/** The whole configuration file: the core sections plus one section per area, each defaulted. */
export const configSchema = z
  .object({
    ...coreSchemaShape,
    decisions: decisionsConfigSchema.prefault({}),
    detection: detectionConfigSchema.prefault({}),
    identity: identityConfigSchema.prefault({}),
    behaviour: behaviourConfigSchema.prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
/** What a config file or `configFromObject` may contain: every key optional, defaults filled in by parsing. */
export type ConfigInput = z.input<typeof configSchema>;
