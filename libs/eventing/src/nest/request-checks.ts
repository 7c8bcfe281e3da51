import { errorBody, type ErrorBody } from './eventing-exception.filter';

/** Far deeper than any request of the API (three levels at most); deeper bodies only serve to exhaust a service's stack. */
export const MAX_JSON_DEPTH = 32;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** NUL cannot be stored as text and an unpaired surrogate is not text at all; no field of the API accepts either. */
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

function safelyDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A URL with NUL or broken text in its path or query: refused here, naming the problem, before any service sees it. */
export function urlProblem(url: string): ErrorBody | undefined {
  if (!unstorable(safelyDecoded(url))) return undefined;
  return errorBody(
    400,
    'INVALID_URL',
    'The URL contains a NUL byte or broken Unicode; no path or parameter accepts one',
  );
}

/**
 * A JSON body nested deeper than MAX_JSON_DEPTH, or with a NUL or unpaired surrogate in a
 * key or value, named by its path. Bodies that are not JSON pass: the service names that problem.
 */
export function jsonBodyProblem(body: Buffer, contentType: string | undefined): ErrorBody | undefined {
  if (body.length === 0 || !/json/i.test(contentType ?? '')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  return valueProblem(parsed);
}

/** The same checks on a value already parsed (a body, a query or a path parameter), named from `root`. */
export function valueProblem(value: unknown, root = '$'): ErrorBody | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string' && unstorable(value)) return brokenText(path);
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH)
      return errorBody(400, 'BODY_TOO_DEEP', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`, {
        maxDepth: MAX_JSON_DEPTH,
      });
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
      if (unstorable(key)) return brokenText(path);
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}

function brokenText(fullPath: string): ErrorBody {
  const path = fullPath.length > 200 ? `${fullPath.slice(0, 200)}…` : fullPath;
  return errorBody(400, 'INVALID_TEXT', `${path} contains a NUL character or broken Unicode`, {
    field: path,
  });
}
