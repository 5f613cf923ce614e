// The parsed body of the last response each definition got (as the engine's http/response-body.ts reads it: JSON as
// parsed, XML with its root element as the first level), kept so that completion can offer the
// Response Attribute paths that response really has. The run fills it; nothing is written to disk.
import type * as vscode from 'vscode';
import { formatResponsePath, type PathSegment } from '../engine';

/** Marketo's characters for a key that can be mapped (docs/marketo-behaviour.md#response-mappings). */
const MAPPABLE_KEY = /^[A-Za-z0-9\-_: ]+$/;

export interface ResponsePathEntry {
  path: string;
  value: unknown;
}

/** A body not parsed yet: parsed by the first completion or hover that asks for it. */
class Unparsed {
  constructor(readonly parse: () => unknown) {}
}

export class LastResponses {
  private readonly bodies = new Map<string, unknown>();

  /** Remembers the parsed body of a definition's last response (undefined forgets it). */
  set(uri: vscode.Uri | string, parsedBody: unknown): void {
    const key = keyOf(uri);
    if (parsedBody === undefined) this.bodies.delete(key);
    else this.bodies.set(key, parsedBody);
  }

  /**
   * Remembers a body to be parsed when first asked for (`parse` gives undefined for one that cannot
   * be read). A run's answer may be 10 MB: parsing it right after the run would hold up the
   * extension host, and so the run panel's message, for nothing when no completion follows.
   */
  setUnparsed(uri: vscode.Uri | string, parse: () => unknown): void {
    this.bodies.set(keyOf(uri), new Unparsed(parse));
  }

  get(uri: vscode.Uri | string): unknown {
    const key = keyOf(uri);
    const kept = this.bodies.get(key);
    if (!(kept instanceof Unparsed)) return kept;
    const parsed = kept.parse();
    this.set(key, parsed);
    return parsed;
  }

  has(uri: vscode.Uri | string): boolean {
    return this.bodies.has(keyOf(uri));
  }

  delete(uri: vscode.Uri | string): void {
    this.bodies.delete(keyOf(uri));
  }

  clear(): void {
    this.bodies.clear();
  }
}

function keyOf(uri: vscode.Uri | string): string {
  return typeof uri === 'string' ? uri : uri.toString();
}

/** The one store of the extension: the run writes to it, completion reads it. */
export const lastResponses = new LastResponses();

export interface PathLimits {
  /** at most this many paths */
  maxPaths: number;
  /** elements of one list that are indexed */
  maxIndexes: number;
  maxDepth: number;
}

const DEFAULT_LIMITS: PathLimits = { maxPaths: 2000, maxIndexes: 20, maxDepth: 16 };

/**
 * Every Response Attribute path a parsed body has, objects and lists included, in document order:
 * `company`, `company.name`, `company.tech`, `company.tech[0]`, … Keys Marketo cannot map
 * (characters other than letters, digits, `-`, `_`, `:` and spaces) and a list at the top level
 * (every level must be named) are left out.
 */
export function responsePaths(body: unknown, limits: Partial<PathLimits> = {}): ResponsePathEntry[] {
  const { maxPaths, maxIndexes, maxDepth } = { ...DEFAULT_LIMITS, ...limits };
  const out: ResponsePathEntry[] = [];
  const walk = (value: unknown, segments: PathSegment[]): void => {
    if (out.length >= maxPaths || segments.length > maxDepth) return;
    if (segments.length > 0) out.push({ path: formatResponsePath(segments), value });
    if (Array.isArray(value)) {
      if (segments.length === 0) return;
      value.slice(0, maxIndexes).forEach((item: unknown, index) => walk(item, [...segments, { kind: 'index', index }]));
    } else if (value !== null && typeof value === 'object') {
      for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
        if (!MAPPABLE_KEY.test(name)) continue;
        walk(child, [...segments, { kind: 'key', name }]);
      }
    }
  };
  walk(body, []);
  return out;
}
