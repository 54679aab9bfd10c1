import { z } from 'zod';

/**
 * Detection config. Every field has a default so `detectionConfigSchema.parse({})` is a full, safe config.
 * Dangerous defaults are written down in docs/detection.md ("Dangerous defaults").
 */
const exclusionSchema = z
  .object({
    /** Route: method (`*` = any) and a path pattern where `*` matches one segment and `**` any rest. */
    method: z.string().default('*'),
    path: z.string().default('/**'),
    /** Input locations to skip, exact (`body.comment`) or prefix with `*` (`header.x-*`); empty = all. */
    locations: z.array(z.string()).default([]),
    /** Rule ids and categories this exclusion applies to; both empty = every rule. */
    rules: z.array(z.string()).default([]),
    categories: z.array(z.string()).default([]),
  })
  .strict();
export type Exclusion = z.infer<typeof exclusionSchema>;

export const detectionConfigSchema = z
  .object({
    /** 1 is the default deployment; 2–4 add rules with more false positives (OWASP CRS uses the same scale). */
    paranoia: z.number().int().min(1).max(4).default(1),
    limits: z
      .object({
        /** Body bytes inspected (CRS default SecRequestBodyNoFilesLimit is 128 KiB). */
        bodyBytes: z.number().int().min(1024).default(131_072),
        /** JSON nesting depth walked. */
        depth: z.number().int().min(1).max(1024).default(32),
        /** Values (args, fields, JSON leaves and keys) inspected. */
        args: z.number().int().min(1).default(1024),
        /** File content inspected per uploaded file. */
        fileBytes: z.number().int().min(0).default(8192),
        /** Per-request inspection time, in microseconds; shared by the JS rules and libddwaf. */
        timeBudgetMicros: z.number().int().min(100).default(10_000),
      })
      .strict()
      .default({ bodyBytes: 131_072, depth: 32, args: 1024, fileBytes: 8192, timeBudgetMicros: 10_000 }),
    /**
     * What a crossed limit does: `block` (fail closed: an `inspection.limit` finding of critical severity) or
     * `finding` (medium severity: adds risk, the request goes on, partially inspected).
     */
    limitOutcome: z.enum(['block', 'finding']).default('finding'),
    exclusions: z.array(exclusionSchema).default([]),
    /** Rule ids whose findings are recorded but never acted on. */
    monitorOnly: z.array(z.string()).default([]),
    /** Categories switched off entirely (same names as `--disable`). */
    disabledCategories: z.array(z.string()).default([]),
    /** Rule ids switched off entirely. */
    disabledRules: z.array(z.string()).default([]),
    /**
     * Parameter names that hold passwords (compared without case, `_` or `-`): there only SQL injection that closes
     * a string literal keeps its severity, other findings are `low`, and no fragment of the value is recorded
     * (`credential-fields.ts`). Empty: password fields are inspected like any other.
     */
    credentialFields: z
      .array(z.string().min(1))
      .default([
        'password',
        'passwd',
        'passwort',
        'pass',
        'pass1',
        'pass2',
        'pwd',
        'passphrase',
        'j_password',
        'new_password',
        'old_password',
        'current_password',
        'confirm_password',
        'password_confirmation',
        'password_confirm',
        'password2',
        'repeat_password',
        'verify_password',
      ]),
  })
  .strict();

export type DetectionConfig = z.infer<typeof detectionConfigSchema>;
