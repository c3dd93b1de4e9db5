import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createTwoFilesPatch } from 'diff';
import { z } from 'zod';
import { applyTextEdits } from '../engine/applyTextEdits';
import type { Finding } from '../engine/types';
import { buildInventory, shownFlag } from '../rules/flag/inventory';
import { checkFindings, ruleCatalog, workspaceAt, type Io } from './main';

declare const DEPLOYRISK_VERSION: string;

/**
 * `deployrisk mcp`: the engine for coding agents over the Model Context Protocol (stdio). An agent
 * asks before it commits: check the branch or some paths, list the flags, read a rule's page, and
 * preview a fix as a diff. Nothing is written: the agent applies what it decides to apply. Every
 * answer is what the CLI would print, secrets redacted; a fix of a secret shows the lines it
 * removes by length only.
 */
export async function serveMcp(cwd: string): Promise<void> {
  const server = new McpServer({ name: 'deployrisk', version: DEPLOYRISK_VERSION });

  server.registerTool(
    'check',
    {
      title: 'Check for deployment risk',
      description:
        'Runs DeployRisk on the workspace (or some paths): migrations without a forward-fix plan or with unsafe locks, new features not behind a feature flag, changed code without tests, secrets in manifests. By default judges what the current branch adds against its base branch, uncommitted work included. Returns the findings with file, line, rule, severity, message and the titles of their fixes.',
      inputSchema: {
        paths: z.array(z.string()).optional().describe('Files or folders to check, relative to the workspace; default: everything.'),
        base: z.string().optional().describe('Ref the branch is compared with; default: the configured or default branch.'),
        changedLines: z.boolean().optional().describe('Only findings on lines the branch added or changed.'),
        history: z.boolean().optional().describe('Also judge migrations already on the base branch.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ paths, base, changedLines, history }) => {
      const notes: string[] = [];
      const outcome = await checkFindings(checkArgs({ paths, base, changedLines, history }), captured(cwd, notes));
      const findings = outcome.findings.map((f) => ({
        file: f.file,
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        rule: f.ruleId,
        severity: f.severity,
        message: f.message,
        fixes: (f.fixes ?? []).map((fix) => fix.title),
      }));
      return text({ findings, filesChecked: outcome.filesRead, notes });
    },
  );

  server.registerTool(
    'list_flags',
    {
      title: 'List feature flags',
      description: 'The feature flags the code evaluates (keys resolved through constants and wrappers), with provider, lifecycle state, owner, age and where each is evaluated.',
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      const inventory = await buildInventory(workspaceAt(cwd));
      const flags = inventory.flags.map(shownFlag).map((flag) => ({
        key: flag.key,
        provider: flag.provider,
        state: flag.state,
        reason: flag.reason,
        owner: flag.owner,
        ageDays: flag.ageDays,
        references: flag.references.slice(0, 20).map((ref) => `${ref.file}:${ref.startLine}`),
        moreReferences: Math.max(0, flag.references.length - 20),
      }));
      return text({ flags });
    },
  );

  server.registerTool(
    'explain_rule',
    {
      title: 'Explain a DeployRisk rule',
      description: "A rule's documentation: what it finds, why it matters for a deploy, how to fix it, and how to suppress it with a reason.",
      inputSchema: { ruleId: z.string().describe('A rule id such as migration/lock-risk (the `rule` of a finding).') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ ruleId }) => {
      const rule = ruleCatalog().find((r) => r.id === ruleId);
      if (!rule) return { isError: true, content: [{ type: 'text' as const, text: `No rule "${ruleId}". Rules: ${ruleCatalog().map((r) => r.id).join(', ')}` }] };
      const page = path.join(__dirname, '..', 'docs', 'rules', `${rule.id}.md`);
      return { content: [{ type: 'text' as const, text: existsSync(page) ? readFileSync(page, 'utf8') : `${rule.id} (${rule.defaultSeverity}): ${rule.description}` }] };
    },
  );

  server.registerTool(
    'preview_fix',
    {
      title: 'Preview a fix as a diff',
      description: 'The unified diff a finding\'s quick fix would make (the finding as `check` reports it: file, line, rule), without writing anything. Apply it yourself if it is right.',
      inputSchema: {
        file: z.string().describe('The finding\'s file, relative to the workspace.'),
        line: z.number().int().positive().describe('The finding\'s 1-based line.'),
        rule: z.string().describe('The finding\'s rule id.'),
        fix: z.number().int().nonnegative().optional().describe('Which of its fixes, 0-based; default the first.'),
        base: z.string().optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ file, line, rule, fix, base }) => {
      const outcome = await checkFindings(checkArgs({ paths: [file], base, history: true }), captured(cwd, []));
      const finding = outcome.findings.find((f) => f.file === file && f.ruleId === rule && f.range.start.line + 1 === line);
      if (!finding) return { isError: true, content: [{ type: 'text' as const, text: `No ${rule} finding at ${file}:${line} now; run check again.` }] };
      const chosen = finding.fixes?.[fix ?? 0];
      if (!chosen) return { isError: true, content: [{ type: 'text' as const, text: `That finding has ${finding.fixes?.length ?? 0} fixes.` }] };
      return { content: [{ type: 'text' as const, text: `${chosen.title}\n\n${fixDiff(outcome.root, finding, chosen)}` }] };
    },
  );

  await server.connect(new StdioServerTransport());
}

function checkArgs(options: { paths?: string[]; base?: string; changedLines?: boolean; history?: boolean }): string[] {
  return ['--fail-on', 'none', ...(options.base ? ['--base', options.base] : []), ...(options.changedLines ? ['--changed-lines'] : []), ...(options.history ? ['--all'] : []), ...(options.paths ?? [])];
}

/** The CLI's output channels for a tool call: stdout carries the protocol, so notes are collected. */
function captured(cwd: string, notes: string[]): Io {
  return { cwd, stdout: () => undefined, stderr: (line) => notes.push(...line.split('\n').filter(Boolean).map((l) => l.replace(/^note: /, ''))) };
}

/** The fix as a diff of every file it touches; a secret's removed lines show only their length. */
function fixDiff(root: string, finding: Finding, fix: NonNullable<Finding['fixes']>[number]): string {
  const read = (file: string) => (existsSync(path.join(root, file)) ? readFileSync(path.join(root, file), 'utf8').replace(/^\uFEFF/, '') : '');
  const patches: string[] = [];
  const patch = (file: string, before: string, after: string, isNew = false) => {
    let diff = createTwoFilesPatch(isNew ? '/dev/null' : `a/${file}`, `b/${file}`, before, after, '', '', { context: 3 }).replace(/^=+\n/, '');
    if (finding.ruleId.startsWith('secret/')) diff = diff.replace(/^-(?!--)(.*)$/gm, (_, removed: string) => `-«a removed line, ${removed.length} characters»`);
    patches.push(diff);
  };
  if (fix.edits.length) patch(finding.file, read(finding.file), applyTextEdits(read(finding.file), fix.edits));
  for (const other of fix.otherFiles ?? []) patch(other.file, read(other.file), applyTextEdits(read(other.file), other.edits));
  for (const created of fix.newFiles ?? []) patch(created.file, '', created.text, true);
  return patches.join('\n');
}

function text(value: unknown) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(value, null, 2) }] };
}
