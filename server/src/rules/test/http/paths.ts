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

/**
 * Whether the request reaches the route: the route's segments are the end of the request's, each
 * literal equal and each parameter any one segment (a catch-all one or more); what comes before
 * is a global prefix or a version, or anything when the test builds that part at run time. A
 * computed request segment reaches a parameter only: `/users/${id}` does not reach `/users/me`.
 */
export function reaches(request: RequestedPath, route: DeclaredRoute): boolean {
  if (request.visit !== route.page) return false;
  if (request.method && route.method && request.method !== route.method) return false;
  // An API route at the root (`GET /`) would end every path: it is reached only by the root itself.
  if (!route.page && route.segments.length === 0) return request.segments.length === 0 && !request.openHead;
  const q = request.segments;
  for (let head = 0; head <= q.length; head++) {
    if (head > 0 && !request.openHead && !PREFIX_SEGMENT.test(q[head - 1])) return false;
    if (head > 0 && route.page && !request.openHead) return false;
    if (matchFrom(q, head, route.segments, 0)) return true;
  }
  return false;
}

function matchFrom(q: string[], i: number, r: string[], j: number): boolean {
  if (j === r.length) return i === q.length;
  if (r[j] === REST) return i < q.length && (j === r.length - 1 || [...Array(q.length - i).keys()].some((k) => matchFrom(q, i + k + 1, r, j + 1)));
  if (i === q.length) return false;
  if (r[j] === PARAM) return matchFrom(q, i + 1, r, j + 1);
  return q[i] === r[j] && matchFrom(q, i + 1, r, j + 1);
}
