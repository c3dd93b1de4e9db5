/**
 * Which kinds of file the secret rules read, by path and a cheap look at the text, and what the
 * file is for. Structural checks need to know what a file is: a literal `password:` is a leak in
 * Helm values or a compose file, but only a field name in an OpenAPI schema; and a credential in
 * a test fixture or a developer's local compose file guards nothing that is deployed.
 */
import { keyValueLines } from './embedded';
import { findTokens } from './tokens';

export type SecretFileKind =
  | 'kubernetes' // YAML/JSON with a kind (incl. Argo CD, Flux, SealedSecret, ExternalSecret, kustomize patches)
  | 'kustomization'
  | 'helm-values'
  | 'helm-secrets' // helm-secrets values files: meant to be SOPS-encrypted, so every value is secret
  | 'helm-template'
  | 'helmfile'
  | 'compose'
  | 'github-actions'
  | 'gitlab-ci'
  | 'dotenv'
  | 'app-config' // Spring application.properties/yml, ASP.NET appsettings.json
  | 'other-config'; // other YAML/JSON: token formats, connection strings and decoded values

/**
 * What a file is for. `test`: fixtures, test code and CI test runs; `development`: files that set
 * up a developer's machine (dev containers, local compose files, `.env.development`). Credentials
 * there open a throwaway database on a laptop or a CI runner, not a deployment.
 */
export type SecretContext = 'deployed' | 'development' | 'test';

export function secretFileKind(relPath: string, text: string): SecretFileKind | null {
  const known = lastKinds.get(relPath);
  if (known?.text === text) return known.kind;
  const kind = fileKindOf(relPath, text);
  lastKinds.delete(relPath);
  if (lastKinds.size >= 8) lastKinds.delete(lastKinds.keys().next().value!);
  lastKinds.set(relPath, { text, kind });
  return kind;
}

/**
 * The last kinds told, by path: the rules and the scan ask about a file one after another, and the
 * patterns that tell a Kubernetes manifest try every line of the text (generated JSON files of
 * megabytes, each asked about eight times, cost 0.5 s of a whole-tree check). The text is
 * compared (the same string, mostly: a pointer), so a changed file is told again; eight files at
 * most, so no large text is kept long.
 */
const lastKinds = new Map<string, { text: string; kind: SecretFileKind | null }>();

function fileKindOf(relPath: string, text: string): SecretFileKind | null {
  const lower = relPath.toLowerCase();
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return isExampleEnv(name) ? null : 'dotenv';
  if (/^(application|bootstrap)([-.][\w.-]+)?\.properties$/.test(name)) return 'app-config';
  if (/^helmfile(\.[\w-]+)?\.ya?ml(\.gotmpl)?$/.test(name) || (/(^|\/)helmfile\.d\/[^/]+\.ya?ml(\.gotmpl)?$/.test(lower))) return 'helmfile';
  if (!/\.(ya?ml|json|tpl)$/.test(name)) return null;
  if (name === 'package.json' || LOCK_FILES.has(name) || name.endsWith('.schema.json') || name === 'tsconfig.json' || name === '.sops.yaml') return null;
  if (/(^|\/)templates\//.test(lower) && text.includes('{{')) return 'helm-template';
  if (/^kustomization\.ya?ml$/.test(name)) return 'kustomization';
  if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/.test(name)) return 'compose';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(lower) || /(^|\/)action\.ya?ml$/.test(lower)) return 'github-actions';
  if (name === '.gitlab-ci.yml' || /(^|\/)\.gitlab\/ci\//.test(lower)) return 'gitlab-ci';
  if (isValuesName(lower, name)) return 'helm-values';
  if (/^[ \t]*"?kind"?\s*:/m.test(text) && (/^[ \t]*"?apiVersion"?\s*:/m.test(text) || /^[ \t]*"?metadata"?\s*:/m.test(text))) return 'kubernetes';
  if (/^(application|bootstrap)([-.][\w.-]+)?\.ya?ml$/.test(name) || /^appsettings([.-][\w.-]+)?\.json$/.test(name)) return 'app-config';
  // Only what would be read as other configuration: a manifest, values or compose file in a
  // service named `i18n`, or with an OpenAPI document after it, is read as what it is.
  if (isTranslationCatalog(lower) || API_DESCRIPTION.test(text)) return null;
  return 'other-config';
}

/**
 * Package managers' lock files: generated, holding integrity hashes and registry URLs the package
 * manager writes without credentials (as gitleaks' default allowlist has them). A monorepo's
 * `pnpm-lock.yaml` is megabytes of YAML, the costliest file a scan would read.
 */
const LOCK_FILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'packages.lock.json', 'project.assets.json']);

/**
 * Folders holding translation catalogs (`locales/de-DE.json`): user-facing strings, never configuration.
 * They are the largest JSON of a web app, each read for nothing (formbricks: ten of them, a
 * third of a whole-tree check).
 */
const TRANSLATION_DIRS = new Set(['locales', 'locale', 'i18n', 'l10n', 'translations', 'lang', 'langs']);
/** `locales/de-DE.json`, and a catalog per language and namespace: `i18n/ar/common.json`, `locales/de_DE/translation.json`. */
function isTranslationCatalog(lower: string): boolean {
  const folders = lower.split('/').slice(0, -1);
  const parent = folders.at(-1) ?? '';
  return TRANSLATION_DIRS.has(parent) || (TRANSLATION_DIRS.has(folders.at(-2) ?? '') && LANGUAGE_TAG.test(parent));
}

/** A language tag as catalogs are named: `de`, `pt-br`, `zh_hans`, `de_de` (the path is lower-cased). */
const LANGUAGE_TAG = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8}){0,2}$/;

/**
 * An OpenAPI or Swagger description, by its first key, the version (`openapi: 3.0.3`, `"swagger":
 * "2.0"`, minified or not, after comments): documentation of an API, its example tokens
 * documentation values. A CRD's `openAPIV3Schema` is another key.
 */
const API_DESCRIPTION = /^\s*(?:#[^\n]*\n\s*)*\{?\s*["']?(?:openapi|swagger)["']?[ \t]*:[ \t]*["']?\d/;

/** `values.yaml`, `values-prod.yaml`, `grafana-values.yaml`, `values/prod.yaml`: Helm values by their name. */
function isValuesName(lower: string, name: string): boolean {
  return /^values([.-][\w.-]+)?\.ya?ml$/.test(name) || /[._-]values\.ya?ml$/.test(name) || /(^|\/)values\/[^/]+\.ya?ml$/.test(lower);
}

/** `.env.example` and friends document variables; their values are placeholders by intent. */
function isExampleEnv(name: string): boolean {
  return /\.(example|sample|template|dist|defaults?|tmpl|tpl)$/.test(name) || /^(example|sample)\.env$/.test(name);
}

const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'e2e', 'cypress', 'playwright', 'testdata', 'test-data', 'test_data', 'fixtures', '__fixtures__', 'mocks', '__mocks__', 'testing', 'ci', '.ci', 'integration-tests', 'e2e-tests']);
const DEVELOPMENT_DIRS = new Set(['.devcontainer', 'devcontainer', '.dev', 'dev', 'devenv', 'local', 'local-dev', 'hack', '.vscode', '.idea', '.worktree-container']);
/** Folders of compose and `.env` files that set up a developer's machine. */
const LOCAL_DEVELOPMENT_DIRS = new Set(['develop', 'development', 'local-development', 'localdev', 'sandbox']);
/**
 * Folders of example and demo projects: their compose and `.env` files start a copy on a
 * developer's machine. Manifests there stay deployed: they are written to be applied.
 */
const EXAMPLE_DIRS = new Set(['example', 'examples', 'sample', 'samples', 'demo', 'demos']);
/**
 * A build context named for local development: `./docker/dev`, `./docker/local-postgres`. A `dev-`
 * prefix is not enough: `dev-portal` is as often a product for developers as a development copy.
 */
const LOCAL_BUILD_DIR = /^(?:dev|develop|development|local)$|^local[._-]/;
const TEST_WORDS = /(^|[._-])(test|tests|testing|ci|e2e|cypress|playwright|spec|integration)([._-]|$)/;
const DEVELOPMENT_WORDS = /(^|[._-])(dev|develop|development|local|override|devcontainer|sandbox|debug)([._-]|$)/;

/**
 * The context of a file by its path and, for compose files, by how they run: a compose file
 * that only starts stock backing services (databases, caches, mail catchers) for an application
 * run on the host, or that builds and mounts the working copy, sets up development.
 */
export function secretContext(relPath: string, text: string, kind: SecretFileKind | null): SecretContext {
  const lower = relPath.toLowerCase();
  const segments = lower.split('/');
  const name = segments[segments.length - 1];
  const dirs = segments.slice(0, -1);
  if (dirs.some((dir) => TEST_DIRS.has(dir) || /^tests?[-_]|[-_]tests?$/.test(dir))) return 'test';
  if (isTestCode(name)) return 'test';
  if (dirs.some((dir) => DEVELOPMENT_DIRS.has(dir))) return 'development';
  const local = kind === 'compose' || kind === 'dotenv' || kind === 'app-config';
  // `docker/development/compose.yml` runs on a laptop; a `development/` folder of manifests or
  // values deploys to a development cluster, which is deployed.
  if (local && dirs.some((dir) => LOCAL_DEVELOPMENT_DIRS.has(dir) || EXAMPLE_DIRS.has(dir))) return 'development';
  const stem = name.replace(/\.(ya?ml|json|properties|env)$/, '');
  // `values-dev.yaml` deploys to a development cluster; `docker-compose.dev.yml` runs on a laptop.
  if ((kind === 'compose' || kind === 'dotenv' || kind === 'app-config' || kind === 'helm-values') && TEST_WORDS.test(stem)) return 'test';
  if (local && DEVELOPMENT_WORDS.test(stem)) return 'development';
  if (kind === 'compose' || kind === 'dotenv') {
    const said = saysNotForProduction(text);
    if (said) return said;
  }
  if (kind === 'compose' && composeSetsUpDevelopment(text)) return 'development';
  if (kind === 'dotenv' && envAddressesOnlyThisMachine(text) && findTokens(text).length === 0) return 'development';
  return 'deployed';
}

/** Addresses of the machine itself: a service there runs beside the developer's shell. */
const THIS_MACHINE = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal)$/i;
/** `DATABASE_HOSTNAME`, `REDIS_HOST`, `SMTP_SERVER`: variables that hold a host. */
const HOST_VARIABLE = /(^|_)(HOST|HOSTNAME|SERVER|ADDR|ADDRESS)$/i;

/**
 * A `.env` file whose every address (host variables and the hosts of URLs) is this machine
 * configures a local run: `DATABASE_HOSTNAME=localhost` opens a database on the developer's
 * laptop. One remote address, or none at all, leaves the file deployed: a production `.env` on a
 * single host reaches its database on `127.0.0.1` too, but names its public URL or mail server.
 * The caller also keeps a file holding a provider's issued token deployed: such a token works
 * from anywhere, and shows the file carries real credentials.
 */
function envAddressesOnlyThisMachine(text: string): boolean {
  let addresses = 0;
  for (const { key, value } of keyValueLines(text, 'env')) {
    const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]/]*\]|[^:/?#]*)/i.exec(value);
    const host = url ? url[1] : HOST_VARIABLE.test(key) ? value.replace(/:\d+$/, '') : '';
    if (host === '') continue;
    if (!THIS_MACHINE.test(host)) return false;
    addresses++;
  }
  return addresses > 0;
}

/** Test code by its file name: `foo.test.ts`, `foo_test.go`, `test_foo.py`, `conftest.py`, `FooTest.java`. */
function isTestCode(name: string): boolean {
  return /\.(test|spec)\.[a-z]+$/.test(name) || /_(test|spec)\.[a-z]+$/.test(name) || /^test_[\w-]+\.py$/.test(name) || name === 'conftest.py' || /[a-z0-9](test|tests|spec)\.(java|kt|cs|php|scala)$/.test(name);
}

/**
 * Header comments that say what a file is for (`# For local development only`, `# Demo setup,
 * not for production`, `# used for internal testing`): read in the comment lines before the first
 * setting, where such notes sit. List items describe parts of the file (`# - backend: for local
 * development`, one profile of a self-hosting file), not what the whole file is for.
 */
function saysNotForProduction(text: string): SecretContext | null {
  const header: string[] = [];
  for (const line of text.slice(0, 8192).split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed === '---') continue;
    if (!trimmed.startsWith('#')) break;
    if (/^#+[ \t]*[-*][ \t]/.test(trimmed)) continue;
    header.push(trimmed.toLowerCase());
  }
  const said = header.join(' ');
  if (/not (to be )?(used )?for (personal |real |production )?(deployments?|production)|(do not|don't|never) use (this |it )?in production|not (meant |intended |suitable )?for production|\btesting (deployments?|only|purposes)|internal testing|for (tests|testing) only/.test(said)) return /test/.test(said) ? 'test' : 'development';
  if (/\b(for|only for) (local )?(development|dev|demo|demonstration)\b|(development|dev|demo)[- ]only|local development|demo(nstration)? (setup|purposes|only)/.test(said)) return 'development';
  return null;
}

/** Stock images a developer runs beside an application on the host. */
const BACKING_IMAGES = /^(docker\.io\/)?(library\/|bitnami\/|dpage\/|mailhog\/|axllent\/|schickling\/|localstack\/|mcr\.microsoft\.com\/azure-storage\/|pgvector\/|postgis\/|minio\/)?(postgres|postgis|pgvector|mysql|mariadb|mongo|redis|valkey|memcached|rabbitmq|elasticsearch|opensearch|kibana|minio|mc|pgadmin4?|adminer|phpmyadmin|mongo-express|redis-commander|mailhog|mailpit|mailcatcher|maildev|smtp4dev|localstack|azurite|zookeeper|kafka|clickhouse-server|cassandra|dynamodb-local|nats)(:[\w.-]+)?(@sha256:[0-9a-f]+)?$/;

/** Tools only a developer runs: database admin UIs, mail catchers, cloud emulators. */
const DEVELOPER_TOOLS = /(^|\/)(pgadmin4?|adminer|phpmyadmin|mongo-express|redis-commander|mailhog|mailpit|mailcatcher|maildev|smtp4dev|localstack|azurite)(:|@|$)/;

/**
 * A compose file for development: a service builds a `dev` target or from a folder named for
 * local development (`./docker/local-postgres`), or mounts the project itself into the container
 * (`./:/app`), which runs the working copy; or every service is a stock
 * backing service, none is built (the application runs on the host), and the file runs a
 * developer's tool (an admin UI, a mail catcher) or publishes its ports on localhost only.
 */
function composeSetsUpDevelopment(text: string): boolean {
  if (/^[ \t]*target:[ \t]*["']?(dev|development|local)["']?[ \t]*$/m.test(text)) return true;
  for (const match of text.matchAll(/^[ \t]*(?:build|context):[ \t]*["']?([\w./-]+)/gm)) {
    if (match[1].toLowerCase().split('/').some((dir) => LOCAL_BUILD_DIR.test(dir))) return true;
  }
  if (/^[ \t]*-[ \t]*["']?\.\/?:\/[\w/.-]*(:[a-z,]+)?["']?[ \t]*$/m.test(text)) return true;
  const images = [...text.matchAll(/^[ \t]+image:[ \t]*["']?([^\s"'#]+)/gm)].map((match) => match[1].toLowerCase());
  if (images.length === 0 || /^[ \t]+build:/m.test(text) || !images.every((image) => BACKING_IMAGES.test(image))) return false;
  const ports = [...text.matchAll(/^[ \t]*-[ \t]*["']?([\d.:[\]a-z]+:\d+(-\d+)?:\d+|\d+(-\d+)?:\d+|\d+)["']?[ \t]*$/gm)].map((match) => match[1]);
  const localOnly = ports.length > 0 && ports.every((port) => /^(127\.0\.0\.1|localhost|\[::1\]):/.test(port));
  return localOnly || images.some((image) => DEVELOPER_TOOLS.test(image));
}
