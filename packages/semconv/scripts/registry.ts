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
      } else {
        problems.push(`${where}: unknown group type '${String(raw.type)}' (expected attribute_group or metric)`);
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

  if (problems.length > 0) throw new RegistryError(problems);
  return { name, version, description, imports, attributeGroups, metrics };
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
