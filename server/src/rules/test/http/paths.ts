/**
 * Request paths as tests write them and route paths as projects declare them, as segments, and
 * whether a request reaches a route. A request segment built at run time (`${id}`) is `*`; a route
 * parameter (`:id`, `{id}`, `[id]`, `$id`) is `:`, a catch-all (`*`, `[...slug]`, `$`) is `**`.
 */
export const DYNAMIC = '*';
export const PARAM = ':';
export const REST = '**';

/** A path a test requests: `request(app).post('/api/v1/auth/email/login')`, `page.goto(`/t/${team.url}/documents`)`. */
export interface RequestedPath {
  /** Upper case; undefined when the test does not say (or it is computed). */
  method?: string;
  segments: string[];
  /** The path starts with a value DeployRisk cannot read (`${baseUrl}/envelope/create`): any prefix may be there. */
  openHead: boolean;
  /** A page visit in a browser (`page.goto`, `cy.visit`), not an API call. */
  visit: boolean;
  /** 0-based line of the request in the test file. */
  line: number;
  /** The named function of the test file the request is made in (a helper `findEnvelopes(request, token, query)`), if any. */
  helper?: string;
}

/** A route a source file declares, its handler's lines, and whether it is a page (visited) or an API route (requested). */
export interface DeclaredRoute {
  /** Upper case; undefined for any method (`@All`, `app.all`, a page). */
  method?: string;
  segments: string[];
  page: boolean;
  /** 0-based lines of the handler (a page: the whole module). */
  start: number;
  end: number;
  /** The names an API handler mentions (`login`, `service`, `validateLogin`): what of the modules it imports it runs. */
  uses?: string[];
}

/**
 * The segments of a path as text with `\0` where a value is computed (`/users/\0/roles`): the
 * origin of a full URL, the query and the fragment left out. Undefined for what is not a path.
 */
export function pathSegments(text: string): string[] | undefined {
  let rest = text;
  const origin = /^https?:\/\/[^/?#\0]*/i.exec(rest);
  if (origin) rest = rest.slice(origin[0].length);
  if (rest !== '' && !rest.startsWith('/')) return undefined;
  rest = rest.split(/[?#]/)[0];
  return rest
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (segment.includes('\0') ? DYNAMIC : segment));
}

/** Segments of a declared route path: `:id`, `{id}`, `[id]` are parameters, `*` and `[...slug]` catch-alls. */
export function routeSegments(path: string): string[] {
  return path
    .split(/[?#]/)[0]
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (segment === '*' || /^\[\[?\.\.\./.test(segment) ? REST : /^:|^\{[^}]*\}$|^\[[^\]]*\]$/.test(segment) ? PARAM : segment));
}

/**
 * What may stand before the routes a project declares, which a request carries and the route
 * does not say: a global prefix (`api`) and a URI version (`v1`, `v2-beta`).
 */
const PREFIX_SEGMENT = /^(?:api|rest|v\d+(?:[.-]\w+)?)$/i;

/** Longer paths are not matched: no real route or request has this many segments. */
const MAX_SEGMENTS = 64;

/**
 * Whether the request reaches the route: the route's segments are the end of the request's, each
 * literal equal and each parameter any one segment (a catch-all one or more); what comes before
 * is a global prefix or a version, or anything when the test builds that part at run time. A
 * computed request segment reaches a parameter only: `/users/${id}` does not reach `/users/me`. A
 * route of parameters only (`/:slug`) would end every path: it is reached only by a request
 * written whole, with nothing before it; a route at the root only by the root.
 */
export function reaches(request: RequestedPath, route: DeclaredRoute): boolean {
  if (request.visit !== route.page) return false;
  if (request.method && route.method && request.method !== route.method) return false;
  const q = request.segments;
  const r = route.segments;
  if (q.length > MAX_SEGMENTS || r.length > MAX_SEGMENTS) return false;
  // A page at the root is visited by the base URL itself (`page.goto(BASE_URL)`); an API route there only by a request for `/`.
  if (r.length === 0) return q.length === 0 && (route.page || !request.openHead);
  const literal = r.some((segment) => segment !== PARAM && segment !== REST);
  const matched = new Map<number, boolean>();
  // Whether q[i…] matches r[j…]: remembered, so catch-alls try each split once (not each combination).
  const matchFrom = (i: number, j: number): boolean => {
    if (j === r.length) return i === q.length;
    const key = i * (r.length + 1) + j;
    let result = matched.get(key);
    if (result !== undefined) return result;
    if (r[j] === REST) {
      result = false;
      for (let end = i + 1; end <= q.length && !result; end++) result = matchFrom(end, j + 1);
    } else {
      result = i < q.length && (r[j] === PARAM || q[i] === r[j]) && matchFrom(i + 1, j + 1);
    }
    matched.set(key, result);
    return result;
  };
  if (!literal) return !request.openHead && matchFrom(0, 0);
  for (let head = 0; head <= q.length; head++) {
    if (head > 0 && !request.openHead && !PREFIX_SEGMENT.test(q[head - 1])) return false;
    if (head > 0 && route.page && !request.openHead) return false;
    if (matchFrom(head, 0)) return true;
  }
  return false;
}
