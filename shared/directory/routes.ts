import { z } from 'zod';
import { dateSchema, defineRoute, emptySchema, textSchema } from '../http/route';
import { deadlinePolicySchema } from './deadline-policy';

const ALL = ['agent', 'subcenter', 'lead', 'admin'] as const;

export const MERGE_MODES = ['whole', 'dual', 'subcenter', 'emergency', 'local'] as const;

/**
 * When a target takes transfers, in Asia/Shanghai time: every day, or on working days only (the
 * city's working-day calendar: holidays off, make-up workdays on). An entry without windows is
 * always open (7x24); `serviceHours` is the same said in words for the agent.
 */
export const serviceWindowSchema = z
  .object({
    days: z.enum(['daily', 'workdays']),
    from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    to: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/),
  })
  .strict()
  .refine((w) => w.from < w.to, { message: 'a window ends after it starts', path: ['to'] });
export type ServiceWindow = z.infer<typeof serviceWindowSchema>;

/** What the agent does for an emergency line: transfer the caller, or read the number to them. */
export const EMERGENCY_RULES = ['transfer', 'readOut'] as const;

export const directoryEntrySchema = z
  .object({
    number: z.string().regex(/^\d{3,12}$/),
    name: textSchema(60).min(1),
    mergeMode: z.enum(MERGE_MODES),
    status: z.enum(['active', 'notOpened']),
    unitCode: z.string().max(32).nullable(),
    /** Where a one-click transfer goes (sub-centers, dual lines with own seats, emergency lines). */
    transferUri: z.string().max(256).regex(/^sips?:[^\s<>"]+$/).nullable(),
    threeWay: z.boolean(),
    serviceHours: textSchema(60),
    note: textSchema(300).nullable(),
    /** The request category pre-selected when a caller dialled this number (e.g. 12333 → 人社). */
    categoryCode: z.string().regex(/^\d{2}(\.\d{2}){0,3}$/).nullable(),
    /** When it takes transfers (absent: always); outside them the agent is offered a work order instead. */
    hours: z.array(serviceWindowSchema).max(8).optional(),
    /** Emergency lines only: transfer the caller (default), or read the number out. */
    emergencyRule: z.enum(EMERGENCY_RULES).optional(),
  })
  .strict();
export type DirectoryEntry = z.infer<typeof directoryEntrySchema>;

export const unitSchema = z
  .object({
    code: z.string().regex(/^[A-Z0-9-]{2,32}$/),
    name: textSchema(60).min(1),
    kind: z.enum(['department', 'district', 'street', 'utility', 'subcenter', 'dualLine']),
    parent: z.string().nullable(),
    hotline: z.string().nullable(),
  })
  .strict();
export type Unit = z.infer<typeof unitSchema>;

export interface CategoryNode {
  code: string;
  name: string;
  children: CategoryNode[];
}
export const categoryNodeSchema: z.ZodType<CategoryNode> = z.lazy(() =>
  z.object({ code: z.string().regex(/^\d{2}(\.\d{2}){0,3}$/), name: textSchema(40).min(1), children: z.array(categoryNodeSchema) }).strict(),
);

/** The city's area tree (区县 → 街道/乡镇) for an order's location. */
export interface AreaNode {
  code: string;
  name: string;
  kind: 'district' | 'street';
  children: AreaNode[];
}
export const areaNodeSchema: z.ZodType<AreaNode> = z.lazy(() =>
  z.object({ code: z.string().regex(/^[0-9A-Z]{2,16}$/), name: textSchema(40).min(1), kind: z.enum(['district', 'street']), children: z.array(areaNodeSchema) }).strict(),
);

/** A phrase template for the agent's summary or reply (常用语), configured by the city. */
export const phraseSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    /** Shown as the template's group in the picker (e.g. 咨询答复, 派单说明). */
    group: textSchema(20).min(1),
    text: textSchema(500).min(1),
  })
  .strict();
export type Phrase = z.infer<typeof phraseSchema>;

/** A reason a request is not accepted (不予受理), with the wording the agent reads to the caller. */
export const outOfScopeReasonSchema = z
  .object({
    code: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{1,31}$/),
    name: textSchema(40).min(1),
    wording: textSchema(500).min(1),
  })
  .strict();
export type OutOfScopeReason = z.infer<typeof outOfScopeReasonSchema>;

export const calendarDaySchema = z.object({ date: dateSchema, kind: z.enum(['holiday', 'workday']), name: z.string() }).strict();

/** Live event: a reference data set changed (seats refetch it at once rather than at their next poll). */
export const referenceEventSchema = z.object({ type: z.literal('reference'), kind: z.string().min(1).max(32), version: z.number().int().nonnegative() }).strict();

const versioned = <T extends z.ZodRawShape>(shape: T) => z.object({ version: z.number().int().nonnegative(), ...shape }).strict();

export const directoryRoutes = {
  versions: defineRoute({
    id: 'reference.versions',
    method: 'GET',
    path: '/v1/reference/versions',
    summary: 'Current version of every reference data set (poll this; refetch what changed)',
    tag: 'reference',
    auth: ALL,
    query: emptySchema,
    successStatus: 200,
    response: z.record(z.string(), z.number().int().nonnegative()),
  }),
  directory: defineRoute({
    id: 'reference.directory',
    method: 'GET',
    path: '/v1/reference/directory',
    summary: 'Hotline directory: merged numbers, merge modes, transfer addresses',
    tag: 'reference',
    auth: ALL,
    query: emptySchema,
    successStatus: 200,
    response: versioned({ entries: z.array(directoryEntrySchema) }),
  }),
  units: defineRoute({
    id: 'reference.units',
    method: 'GET',
    path: '/v1/reference/units',
    summary: 'Handling units (承办单位)',
    tag: 'reference',
    auth: ALL,
    query: emptySchema,
    successStatus: 200,
    response: versioned({ units: z.array(unitSchema) }),
  }),
  categories: defineRoute({
    id: 'reference.categories',
    method: 'GET',
    path: '/v1/reference/categories',
    summary: 'Request category tree',
    tag: 'reference',
    auth: ALL,
    query: emptySchema,
    successStatus: 200,
    response: versioned({ categories: z.array(categoryNodeSchema) }),
  }),
  areas: defineRoute({
    id: 'reference.areas',
    method: 'GET',
    path: '/v1/reference/areas',
    summary: 'Area tree (districts and streets) for the location of a request',
    tag: 'reference',
    auth: ALL,
    query: emptySchema,
    successStatus: 200,
    response: versioned({ areas: z.array(areaNodeSchema) }),
  }),
  phrases: defineRoute({
    id: 'reference.phrases',
    method: 'GET',
    path: '/v1/reference/phrases',
    summary: "Phrase templates for the agent's summary and replies",
    tag: 'reference',
    auth: ALL,
    query: emptySchema,
    successStatus: 200,
    response: versioned({ phrases: z.array(phraseSchema) }),
  }),
  outOfScope: defineRoute({
    id: 'reference.outOfScope',
    method: 'GET',
    path: '/v1/reference/out-of-scope',
    summary: 'Reasons a request is not accepted (不予受理), with the wording read to the caller',
    tag: 'reference',
    auth: ALL,
    query: emptySchema,
    successStatus: 200,
    response: versioned({ reasons: z.array(outOfScopeReasonSchema) }),
  }),
  deadlinePolicy: defineRoute({
    id: 'reference.deadlinePolicy',
    method: 'GET',
    path: '/v1/reference/deadline-policy',
    summary: 'Deadline policy in working days',
    tag: 'reference',
    auth: ALL,
    query: emptySchema,
    successStatus: 200,
    response: versioned({ policy: deadlinePolicySchema }),
  }),
  calendar: defineRoute({
    id: 'reference.calendar',
    method: 'GET',
    path: '/v1/reference/calendar',
    summary: 'Working-day calendar: holidays and make-up workdays, and the years whose notice is known',
    tag: 'reference',
    auth: ALL,
    query: z.object({ from: z.coerce.number().int().min(2000).max(2100), to: z.coerce.number().int().min(2000).max(2100) }).strict(),
    successStatus: 200,
    response: versioned({ knownYears: z.array(z.number().int()), days: z.array(calendarDaySchema) }),
  }),
  setCalendarDay: defineRoute({
    id: 'admin.calendar.setDay',
    method: 'PUT',
    path: '/v1/admin/calendar/days/:date',
    summary: "Mark a date as holiday, make-up workday, or back to the weekday rule (a notice's revision)",
    tag: 'admin',
    auth: ['admin'],
    params: z.object({ date: dateSchema }).strict(),
    body: z.object({ kind: z.enum(['holiday', 'workday', 'normal']), name: textSchema(40) }).strict(),
    successStatus: 200,
    response: z.object({ version: z.number().int() }).strict(),
  }),
  setCalendarYear: defineRoute({
    id: 'admin.calendar.setYear',
    method: 'PUT',
    path: '/v1/admin/calendar/years/:year',
    summary: "Declare a year's holiday notice entered (deadlines in it are then certain)",
    tag: 'admin',
    auth: ['admin'],
    params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict(),
    body: z.object({ known: z.boolean() }).strict(),
    successStatus: 200,
    response: z.object({ version: z.number().int() }).strict(),
  }),
  putDirectoryEntry: defineRoute({
    id: 'admin.directory.put',
    method: 'PUT',
    path: '/v1/admin/directory/:number',
    summary: 'Add or change a hotline directory entry (transfer address, service hours …); seats follow at once',
    tag: 'admin',
    auth: ['admin'],
    params: z.object({ number: z.string().regex(/^\d{3,12}$/) }).strict(),
    body: directoryEntrySchema,
    successStatus: 200,
    response: z.object({ version: z.number().int() }).strict(),
  }),
  deleteDirectoryEntry: defineRoute({
    id: 'admin.directory.delete',
    method: 'DELETE',
    path: '/v1/admin/directory/:number',
    summary: 'Remove a hotline directory entry',
    tag: 'admin',
    auth: ['admin'],
    params: z.object({ number: z.string().regex(/^\d{3,12}$/) }).strict(),
    query: emptySchema,
    successStatus: 200,
    response: z.object({ version: z.number().int() }).strict(),
  }),
  setDeadlinePolicy: defineRoute({
    id: 'admin.deadlinePolicy.set',
    method: 'PUT',
    path: '/v1/admin/deadline-policy',
    summary: 'Replace the deadline policy',
    tag: 'admin',
    auth: ['admin'],
    body: deadlinePolicySchema,
    successStatus: 200,
    response: versioned({ policy: deadlinePolicySchema }),
  }),
} as const;
