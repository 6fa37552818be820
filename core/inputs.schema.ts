import { z } from 'zod';
import type { $ZodIssue } from 'zod/v4/core';
import { AppError } from './errors.ts';
import { parseIsoDate } from '../rules/dates.ts';

// zod schemas for everything a person types in chat, after an adapter has parsed it into fields.

export const isoDateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => parseIsoDate(d) !== null, 'not a calendar date');
const link = z
  .string()
  .trim()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'only http(s) links');

export const fileFindingSchema = z.object({
  unit: z.string().trim().min(1).max(100),
  clause: z.string().trim().min(1).max(20),
  date: z.string().trim().max(20).optional(),
  count: z.number().optional(),
  value: z.number().optional(),
  level: z.string().trim().max(40).optional(),
  source: z.string().trim().max(40).optional(),
  deadline: z.string().trim().max(20).optional(),
  /** Imports only: the day a verified rectification was submitted (the rules check it). */
  rectifiedOn: z.string().trim().max(20).optional(),
  evidenceText: z.string().trim().max(4000).optional(),
  evidenceLinks: z.array(link).max(20).optional(),
  idempotencyKey: z.string().min(1).max(300),
  channel: z.string().min(1).max(40),
});

export const rectificationSchema = z.object({
  findingId: z.string().min(1).max(100),
  evidenceText: z.string().trim().max(4000).default(''),
  evidenceLinks: z.array(link).max(20).default([]),
  idempotencyKey: z.string().min(1).max(300),
});

/** A messenger user id: the platform's name (slack, dingtalk, console …) and the id on it. */
const identitySchema = z.object({
  platform: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/),
  externalId: z.string().trim().min(1).max(200),
});

export const linkIdentitySchema = z.object({ member: identitySchema, identity: identitySchema });

export const reasonSchema = z.string().trim().min(1).max(1000);

const findingRef = z.string().min(1).max(100);

export const appealSchema = z.object({
  findingId: findingRef,
  reasons: reasonSchema,
  evidenceLinks: z.array(link).max(20).default([]),
});

export const appealRulingSchema = z.discriminatedUnion('outcome', [
  z.object({ findingId: findingRef, outcome: z.literal('upheld'), ruling: reasonSchema }),
  z.object({ findingId: findingRef, outcome: z.literal('withdrawn'), ruling: reasonSchema }),
  z
    .object({
      findingId: findingRef,
      outcome: z.literal('reduced'),
      ruling: reasonSchema,
      count: z.number().int().positive().optional(),
      value: z.number().optional(),
      level: z.string().trim().min(1).max(40).optional(),
    })
    .refine((r) => r.count !== undefined || r.value !== undefined || r.level !== undefined, {
      message: 'a reduction changes the count, the value or the level',
      path: ['count'],
    }),
]);

export const extensionRequestSchema = z.object({
  findingId: findingRef,
  deadline: isoDateSchema,
  reason: reasonSchema,
});

export const extensionDecisionSchema = z.discriminatedUnion('decision', [
  z.object({
    findingId: findingRef,
    decision: z.literal('approve'),
    deadline: isoDateSchema,
    reason: reasonSchema.optional(),
  }),
  z.object({ findingId: findingRef, decision: z.literal('refuse'), reason: reasonSchema }),
]);

/** The first zod issue as a typed error naming the field. */
export function issuesToError(issues: readonly $ZodIssue[]): AppError {
  const first = issues[0]!;
  const field = first.path.map(String).join('.') || 'input';
  const missing = first.code === 'invalid_type' && (first as { input?: unknown }).input === undefined;
  return missing
    ? new AppError('FINDING.MISSING_FIELD', `${field}: required`, { field })
    : new AppError('FINDING.BAD_FIELD', `${field}: ${first.message}`, { field, params: { detail: first.message } });
}
