/**
 * Loads and validates a semantic-conventions registry written in the OpenTelemetry registry YAML format
 * (a `manifest.yaml` plus model files holding `groups`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

export const PRIMITIVE_TYPES = [
  'string',
  'int',
  'double',
  'boolean',
  'string[]',
  'int[]',
  'double[]',
  'boolean[]',
] as const;
export const INSTRUMENTS = ['counter', 'histogram', 'gauge', 'updowncounter'] as const;
export const STABILITIES = ['development', 'alpha', 'beta', 'release_candidate', 'stable', 'deprecated'] as const;

export interface EnumMember {
  id: string;
  value: string | number;
  brief: string;
  stability?: string;
}

export interface AttributeDef {
  id: string;
  type: string | { members: EnumMember[] };
  brief: string;
  note?: string;
  stability: string;
  examples?: unknown[];
  /** `constant_name` (a costspan extension): the generated constant's name when the default would be ambiguous. */
  constantName?: string;
  /** Group that declares it. */
  group: string;
  /** Repository-relative file that declares it. */
  file: string;
}

export interface AttributeRef {
  ref: string;
  requirementLevel?: string;
}

export interface AttributeGroup {
  kind: 'attribute_group';
  id: string;
  displayName?: string;
  brief: string;
  note?: string;
  attributes: AttributeDef[];
  file: string;
}

export interface MetricGroup {
  kind: 'metric';
  id: string;
  metricName: string;
  instrument: string;
  unit: string;
  brief: string;
  note?: string;
  stability: string;
  attributes: AttributeRef[];
  file: string;
}

export interface Registry {
  name: string;
  version: string;
  description?: string;
  imports: string[];
  attributeGroups: AttributeGroup[];
  metrics: MetricGroup[];
  /** The dialect table (groups of `type: dialect`, a costspan extension): foreign names costspan reads. */
  dialects: DialectGroup[];
}

/** Which normalizer of the cost core consumes a dialect's names. */
export const DIALECT_READERS = ['gen_ai', 'openinference', 'ai_sdk', 'cost'] as const;
/** The usage (or identity) field a foreign name maps to. */
export const DIALECT_FIELDS = [
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'input_uncached_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'reasoning_tokens',
  'input_text_tokens',
  'input_image_tokens',
  'input_audio_tokens',
  'input_video_tokens',
  'output_text_tokens',
  'output_audio_tokens',
  'cost_total',
  'cost_details',
  'model',
  'request_model',
  'response_model',
  'embedding_model',
  'provider',
  'system',
  'operation',
  'operation_id',
  'request_type',
  'span_kind',
  'response_id',
  'service_tier',
  'request_service_tier',
  'provider_metadata',
  'marker',
] as const;
/**
 * `total`: the whole count of its side (input with cache, output with reasoning). `subset`: part of a total.
 * `exclusive`: a count that leaves out the subsets (the total is it plus them). `sum`: input + output.
 * `cost`: a money amount another tool computed. `identity`: model, provider, ids. `marker`: tells the dialect or
 * the kind of span.
 */
export const DIALECT_SEMANTICS = ['total', 'subset', 'exclusive', 'sum', 'cost', 'identity', 'marker'] as const;
export const DIALECT_VALUE_TYPES = ['int', 'double', 'string', 'json'] as const;

export interface DialectRead {
  /** The attribute name exactly as the producer writes it (camelCase allowed). */
  name: string;
  field: (typeof DIALECT_FIELDS)[number];
  semantics: (typeof DIALECT_SEMANTICS)[number];
  type: (typeof DIALECT_VALUE_TYPES)[number];
  brief: string;
  /** The name that replaced this one: this one is read only when that one is absent. */
  deprecatedFor?: string;
  /** Producers that write it (the group's when not given). */
  producers: string[];
  /** The generated constant (an existing registry attribute's constant when the name is declared there). */
  constantName: string;
  /** True when the name is declared as a registry attribute, so no new constant is generated. */
  declared: boolean;
  /**
   * `signal: true`: checked by the allocation-free fast test every span goes through (`hasDialectSignal`). Every
   * dialect needs one name that is on each of its model-call spans; the fewer, the faster every other span passes.
   */
  signal: boolean;
}

export interface DialectGroup {
  kind: 'dialect';
  id: string;
  /** `dialect.ai_sdk` → `ai_sdk`. */
  dialect: string;
  displayName?: string;
  brief: string;
  reader: (typeof DIALECT_READERS)[number];
  producers: string[];
  reads: DialectRead[];
  file: string;
}

/** `ai.usage.inputTokenDetails.noCacheTokens` → `ATTR_AI_USAGE_INPUT_TOKEN_DETAILS_NO_CACHE_TOKENS`. */
export function dialectConstant(name: string): string {
  return `ATTR_${name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[.-]/g, '_')
    .toUpperCase()}`;
}

/** A problem in a registry, naming the file and the group it was found in. */
export class RegistryError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid conventions registry:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RegistryError';
    this.problems = problems;
  }
}

/** The files of a registry: path (relative, used in messages) → YAML text. */
export type RegistrySources = Map<string, string>;

/** Reads `manifest.yaml` and every `*.yaml` under `model/` of a registry directory. */
export function readRegistrySources(dir: string, displayRoot = dir): RegistrySources {
  const sources: RegistrySources = new Map();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.yaml') || name.endsWith('.yml')) {
        sources.set(relative(displayRoot, p), readFileSync(p, 'utf8'));
      }
    }
  };
  walk(dir);
  return sources;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Parses and validates registry sources. Throws a RegistryError listing every problem found. */
export function loadRegistry(sources: RegistrySources): Registry {
  const problems: string[] = [];
  const manifestPath = [...sources.keys()].find((k) => k === 'manifest.yaml' || k.endsWith('/manifest.yaml'));
  let name = '';
  let version = '';
  let description: string | undefined;
  let imports: string[] = [];
  if (!manifestPath) {
    problems.push('manifest.yaml: missing');
  } else {
    const m = parseYaml(manifestPath, sources.get(manifestPath) ?? '', problems);
    if (isRecord(m)) {
      if (!nonEmpty(m.name)) problems.push(`${manifestPath}: manifest has no name`);
      else name = m.name;
      if (!nonEmpty(m.semconv_version)) problems.push(`${manifestPath}: manifest has no semconv_version`);
      else version = m.semconv_version;
      if (typeof m.description === 'string') description = m.description;
      const imp = isRecord(m.imports) ? m.imports.attributes : undefined;
      if (imp !== undefined) {
        if (!Array.isArray(imp) || !imp.every(nonEmpty)) {
          problems.push(`${manifestPath}: imports.attributes must be a list of attribute ids`);
        } else imports = imp;
      }
    } else if (m !== undefined) problems.push(`${manifestPath}: manifest must be a mapping`);
  }

  const attributeGroups: AttributeGroup[] = [];
  const metrics: MetricGroup[] = [];
  const rawDialects: { raw: Record<string, unknown>; where: string; gid: string; file: string }[] = [];
  const groupIds = new Map<string, string>();
  const attrIds = new Map<string, string>();
  const metricNames = new Map<string, string>();

  for (const [file, text] of sources) {
    if (file === manifestPath) continue;
    const doc = parseYaml(file, text, problems);
    if (doc === undefined) continue;
    if (!isRecord(doc) || !Array.isArray(doc.groups)) {
      problems.push(`${file}: expected a mapping with a 'groups' list`);
      continue;
    }
    doc.groups.forEach((raw, gi) => {
      const where = isRecord(raw) && nonEmpty(raw.id) ? `${file}: group '${raw.id}'` : `${file}: groups[${gi}]`;
      if (!isRecord(raw)) {
        problems.push(`${where}: must be a mapping`);
        return;
      }
      if (!nonEmpty(raw.id)) problems.push(`${where}: missing id`);
      else if (groupIds.has(raw.id)) {
        problems.push(`${where}: duplicate group id (first declared in ${groupIds.get(raw.id)})`);
      } else groupIds.set(raw.id, file);
      if (!nonEmpty(raw.brief)) problems.push(`${where}: missing brief`);
      const gid = String(raw.id ?? `groups[${gi}]`);
      if (raw.type === 'attribute_group') {
        const attrs: AttributeDef[] = [];
        if (!Array.isArray(raw.attributes) || raw.attributes.length === 0) {
          problems.push(`${where}: attribute_group needs a non-empty 'attributes' list`);
        } else {
          raw.attributes.forEach((a, ai) => {
            const def = validateAttribute(a, `${where}: attributes[${ai}]`, gid, file, problems);
            if (!def) return;
            if (attrIds.has(def.id)) {
              problems.push(`${where}: duplicate attribute id '${def.id}' (first declared in ${attrIds.get(def.id)})`);
              return;
            }
            attrIds.set(def.id, `${file}: group '${gid}'`);
            attrs.push(def);
          });
        }
        attributeGroups.push({
          kind: 'attribute_group',
          id: gid,
          displayName: typeof raw.display_name === 'string' ? raw.display_name : undefined,
          brief: String(raw.brief ?? ''),
          note: typeof raw.note === 'string' ? raw.note.trim() : undefined,
          attributes: attrs,
          file,
        });
      } else if (raw.type === 'metric') {
        const metric = validateMetric(raw, where, gid, file, problems);
        if (metric) {
          if (metricNames.has(metric.metricName)) {
            problems.push(
              `${where}: duplicate metric_name '${metric.metricName}' (first declared in ${metricNames.get(metric.metricName)})`,
            );
          } else {
            metricNames.set(metric.metricName, file);
            metrics.push(metric);
          }
        }
      } else if (raw.type === 'dialect') {
        rawDialects.push({ raw, where, gid, file });
      } else {
        problems.push(
          `${where}: unknown group type '${String(raw.type)}' (expected attribute_group, metric or dialect)`,
        );
      }
    });
  }

  // Metric attribute references must resolve to a declared or imported attribute.
  const known = new Set([...attrIds.keys(), ...imports]);
  for (const m of metrics) {
    for (const r of m.attributes) {
      if (!known.has(r.ref)) {
        problems.push(
          `${m.file}: group '${m.id}': reference to unknown attribute '${r.ref}' (declare it or list it under manifest imports)`,
        );
      }
    }
  }

  // Generated constant names must be unambiguous: unique in the registry, and never the name that another
  // spelling of the same words gets in OpenTelemetry's own package (`a.b_c` and `a.b.c` both give ATTR_A_B_C).
  const defaultConstant = (id: string) => `ATTR_${id.replace(/[.-]/g, '_').toUpperCase()}`;
  const importedConstants = new Map(imports.map((id) => [defaultConstant(id), id]));
  const constants = new Map<string, string>();
  for (const g of attributeGroups) {
    for (const a of g.attributes) {
      const name = a.constantName ?? defaultConstant(a.id);
      const imported = importedConstants.get(name);
      if (imported !== undefined && imported !== a.id) {
        problems.push(
          `${g.file}: group '${g.id}': constant ${name} of '${a.id}' would collide with imported attribute '${imported}'; set constant_name`,
        );
      } else if (constants.has(name)) {
        problems.push(
          `${g.file}: group '${g.id}': constant ${name} of '${a.id}' collides with '${constants.get(name)}'`,
        );
      }
      constants.set(name, a.id);
    }
  }

  const dialects = validateDialects(rawDialects, attributeGroups, constants, problems);

  if (problems.length > 0) throw new RegistryError(problems);
  return { name, version, description, imports, attributeGroups, metrics, dialects };
}

function parseYaml(file: string, text: string, problems: string[]): unknown {
  try {
    return parse(text);
  } catch (err) {
    problems.push(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

function validateAttribute(
  a: unknown,
  where: string,
  group: string,
  file: string,
  problems: string[],
): AttributeDef | undefined {
  if (!isRecord(a)) {
    problems.push(`${where}: must be a mapping`);
    return undefined;
  }
  const at = nonEmpty(a.id) ? `${where} ('${a.id}')` : where;
  let ok = true;
  if (!nonEmpty(a.id)) {
    problems.push(`${where}: missing id`);
    ok = false;
  } else if (!/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/.test(a.id)) {
    problems.push(`${at}: id must be lowercase dot-separated segments`);
    ok = false;
  }
  if (!nonEmpty(a.brief)) {
    problems.push(`${at}: missing brief`);
    ok = false;
  }
  if (!nonEmpty(a.stability) || !(STABILITIES as readonly string[]).includes(a.stability)) {
    problems.push(`${at}: stability must be one of ${STABILITIES.join(', ')}`);
    ok = false;
  }
  let type: AttributeDef['type'] = 'string';
  if (typeof a.type === 'string') {
    if (!(PRIMITIVE_TYPES as readonly string[]).includes(a.type)) {
      problems.push(`${at}: unknown type '${a.type}' (expected ${PRIMITIVE_TYPES.join(', ')} or an enum with members)`);
      ok = false;
    } else type = a.type;
  } else if (isRecord(a.type)) {
    const members = a.type.members;
    if (!Array.isArray(members) || members.length === 0) {
      problems.push(`${at}: enum without members`);
      ok = false;
    } else {
      const seen = new Set<string>();
      const ms: EnumMember[] = [];
      members.forEach((m, mi) => {
        if (!isRecord(m) || !nonEmpty(m.id) || (typeof m.value !== 'string' && typeof m.value !== 'number')) {
          problems.push(`${at}: members[${mi}] needs an id and a value`);
          ok = false;
          return;
        }
        if (!nonEmpty(m.brief)) {
          problems.push(`${at}: member '${m.id}' is missing brief`);
          ok = false;
        }
        if (seen.has(m.id)) {
          problems.push(`${at}: duplicate enum member '${m.id}'`);
          ok = false;
        }
        seen.add(m.id);
        ms.push({
          id: m.id,
          value: m.value,
          brief: String(m.brief ?? ''),
          stability: m.stability as string | undefined,
        });
      });
      type = { members: ms };
    }
  } else {
    problems.push(`${at}: missing type`);
    ok = false;
  }
  if (
    a.constant_name !== undefined &&
    (typeof a.constant_name !== 'string' || !/^ATTR_[A-Z0-9_]+$/.test(a.constant_name))
  ) {
    problems.push(`${at}: constant_name must look like ATTR_UPPER_SNAKE`);
    ok = false;
  }
  if (a.examples !== undefined && !Array.isArray(a.examples)) {
    problems.push(`${at}: examples must be a list`);
    ok = false;
  }
  if (!ok) return undefined;
  return {
    id: a.id as string,
    type,
    brief: (a.brief as string).trim(),
    note: typeof a.note === 'string' ? a.note.trim() : undefined,
    stability: a.stability as string,
    examples: a.examples as unknown[] | undefined,
    constantName: typeof a.constant_name === 'string' ? a.constant_name : undefined,
    group,
    file,
  };
}

function validateMetric(
  raw: Record<string, unknown>,
  where: string,
  gid: string,
  file: string,
  problems: string[],
): MetricGroup | undefined {
  let ok = nonEmpty(raw.brief) && nonEmpty(raw.id);
  if (!nonEmpty(raw.metric_name)) {
    problems.push(`${where}: metric needs metric_name`);
    ok = false;
  }
  if (!nonEmpty(raw.instrument) || !(INSTRUMENTS as readonly string[]).includes(raw.instrument)) {
    problems.push(`${where}: instrument must be one of ${INSTRUMENTS.join(', ')}`);
    ok = false;
  }
  if (typeof raw.unit !== 'string') {
    problems.push(`${where}: metric needs a unit`);
    ok = false;
  }
  if (!nonEmpty(raw.stability) || !(STABILITIES as readonly string[]).includes(raw.stability)) {
    problems.push(`${where}: stability must be one of ${STABILITIES.join(', ')}`);
    ok = false;
  }
  const refs: AttributeRef[] = [];
  if (raw.attributes !== undefined) {
    if (!Array.isArray(raw.attributes)) {
      problems.push(`${where}: attributes must be a list`);
      ok = false;
    } else {
      raw.attributes.forEach((r, ri) => {
        if (!isRecord(r) || !nonEmpty(r.ref)) {
          problems.push(`${where}: attributes[${ri}] must be a {ref: <attribute id>}`);
          ok = false;
        } else
          refs.push({
            ref: r.ref,
            requirementLevel: typeof r.requirement_level === 'string' ? r.requirement_level : undefined,
          });
      });
    }
  }
  if (!ok) return undefined;
  return {
    kind: 'metric',
    id: gid,
    metricName: raw.metric_name as string,
    instrument: raw.instrument as string,
    unit: raw.unit as string,
    brief: (raw.brief as string).trim(),
    note: typeof raw.note === 'string' ? raw.note.trim() : undefined,
    stability: raw.stability as string,
    attributes: refs,
    file,
  };
}

const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(nonEmpty);
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);

/**
 * Groups of `type: dialect` (a costspan extension of the registry format): `reader`, `producers` and a list of
 * `reads`, each with the foreign `name` (any case, as the producer writes it), `field`, `semantics`, `type`,
 * `brief` and optionally `deprecated_for`, `producers` and `constant_name`. A name is declared once in the whole
 * table; a name that is also a registry attribute reuses that attribute's constant.
 */
function validateDialects(
  raws: { raw: Record<string, unknown>; where: string; gid: string; file: string }[],
  attributeGroups: AttributeGroup[],
  constants: Map<string, string>,
  problems: string[],
): DialectGroup[] {
  const declared = new Map<string, string>();
  for (const g of attributeGroups)
    for (const a of g.attributes) declared.set(a.id, a.constantName ?? defaultAttr(a.id));
  const names = new Map<string, string>();
  const groups: DialectGroup[] = [];
  const deprecations: { name: string; target: string; where: string }[] = [];
  for (const { raw, where, gid, file } of raws) {
    if (!gid.startsWith('dialect.') || gid.length <= 'dialect.'.length) {
      problems.push(`${where}: a dialect group id must start with 'dialect.'`);
    }
    if (!oneOf(DIALECT_READERS, raw.reader)) {
      problems.push(`${where}: reader must be one of ${DIALECT_READERS.join(', ')}`);
    }
    if (!stringList(raw.producers) || raw.producers.length === 0) {
      problems.push(`${where}: producers must be a non-empty list of names`);
    }
    const reads: DialectRead[] = [];
    if (!Array.isArray(raw.reads) || raw.reads.length === 0) {
      problems.push(`${where}: dialect needs a non-empty 'reads' list`);
    } else {
      raw.reads.forEach((r, ri) => {
        const at = isRecord(r) && nonEmpty(r.name) ? `${where}: reads[${ri}] ('${r.name}')` : `${where}: reads[${ri}]`;
        if (!isRecord(r)) {
          problems.push(`${at}: must be a mapping`);
          return;
        }
        let ok = true;
        const fail = (msg: string) => {
          problems.push(`${at}: ${msg}`);
          ok = false;
        };
        if (!nonEmpty(r.name) || !/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/.test(r.name)) {
          fail('name must be dot-separated segments of letters, digits and underscores');
        } else if (names.has(r.name)) fail(`name declared twice in the dialect table (first in ${names.get(r.name)})`);
        if (!oneOf(DIALECT_FIELDS, r.field)) fail(`field must be one of ${DIALECT_FIELDS.join(', ')}`);
        if (!oneOf(DIALECT_SEMANTICS, r.semantics)) fail(`semantics must be one of ${DIALECT_SEMANTICS.join(', ')}`);
        if (!oneOf(DIALECT_VALUE_TYPES, r.type)) fail(`type must be one of ${DIALECT_VALUE_TYPES.join(', ')}`);
        if (!nonEmpty(r.brief)) fail('missing brief');
        if (r.producers !== undefined && !stringList(r.producers)) fail('producers must be a list of names');
        if (r.deprecated_for !== undefined && !nonEmpty(r.deprecated_for)) fail('deprecated_for must be a name');
        if (r.signal !== undefined && typeof r.signal !== 'boolean') fail('signal must be true or false');
        if (
          r.constant_name !== undefined &&
          (typeof r.constant_name !== 'string' || !/^ATTR_[A-Z0-9_]+$/.test(r.constant_name))
        ) {
          fail('constant_name must look like ATTR_UPPER_SNAKE');
        }
        if (!ok) return;
        const name = r.name as string;
        names.set(name, `${file}: group '${gid}'`);
        const existing = declared.get(name);
        const constantName = existing ?? (r.constant_name as string | undefined) ?? dialectConstant(name);
        if (existing === undefined) {
          const other = constants.get(constantName);
          if (other !== undefined && other !== name) {
            problems.push(`${at}: constant ${constantName} collides with '${other}'; set constant_name`);
          }
          constants.set(constantName, name);
        }
        if (typeof r.deprecated_for === 'string') deprecations.push({ name, target: r.deprecated_for, where: at });
        reads.push({
          name,
          field: r.field as DialectRead['field'],
          semantics: r.semantics as DialectRead['semantics'],
          type: r.type as DialectRead['type'],
          brief: (r.brief as string).trim(),
          deprecatedFor: r.deprecated_for as string | undefined,
          producers: (r.producers as string[] | undefined) ?? (stringList(raw.producers) ? raw.producers : []),
          constantName,
          declared: existing !== undefined,
          signal: r.signal === true,
        });
      });
    }
    groups.push({
      kind: 'dialect',
      id: gid,
      dialect: gid.slice('dialect.'.length),
      displayName: typeof raw.display_name === 'string' ? raw.display_name : undefined,
      brief: String(raw.brief ?? '').trim(),
      reader: raw.reader as DialectGroup['reader'],
      producers: stringList(raw.producers) ? raw.producers : [],
      reads,
      file,
    });
  }
  for (const d of deprecations) {
    if (!names.has(d.target))
      problems.push(`${d.where}: deprecated_for '${d.target}' is not a name in the dialect table`);
  }
  return groups;
}

function defaultAttr(id: string): string {
  return `ATTR_${id.replace(/[.-]/g, '_').toUpperCase()}`;
}
