import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { featureBranch } from '../helpers/featureBranch';

/**
 * More classes found by replaying real feature commits (issue 18, second pass), each as a minimal
 * change of our own: a base commit and a branch on top.
 */
const BASE: Record<string, string> = {
  // A class component and a function component reading props through `this.props` / `props`.
  'web/types.ts': `export interface CanvasProps {
  readOnly?: boolean;
}
`,
  'web/Canvas.tsx': `import React from 'react';
import type { CanvasProps } from './types';
import { Toolbar } from './Toolbar';

export class Canvas extends React.Component<CanvasProps> {
  render() {
    return (
      <div>
        {!this.props.readOnly && <Toolbar />}
      </div>
    );
  }
}
`,
  'web/Panel.tsx': `import type { PanelProps } from './panelTypes';
import { Title } from './Title';

export function Panel(props: PanelProps) {
  return (
    <section>
      <Title text={props.title} />
    </section>
  );
}
`,
  // Two login strategies that will share one new state store.
  'auth/github.ts': `import { Strategy } from 'passport-github2';

export const github = new Strategy({ clientID: 'gh', store: true }, () => undefined);
`,
  'auth/google.ts': `import { Strategy } from 'passport-google-oauth20';

export const google = new Strategy({ clientID: 'go', store: true }, () => undefined);
`,
  // Follow state kept by the editor; the host's session class will own it.
  'live/editor.ts': `import { Emitter } from './emitter';

export class Editor {
  emitter = new Emitter();

  update(prev: { leader?: { id: string } }, next: { leader?: { id: string } }) {
    if (prev.leader?.id !== next.leader?.id) {
      if (prev.leader) {
        this.emitter.trigger({ leader: prev.leader, action: 'UNFOLLOW' });
      }
      if (next.leader) {
        this.emitter.trigger({ leader: next.leader, action: 'FOLLOW' });
      }
    }
  }
}
`,
  'live/session.ts': `import { Portal } from './portal';

export class Session {
  portal = new Portal();
  leader: { id: string } | null = null;

  setLeader(leader: { id: string } | null) {
    this.leader = leader;
  }

  rename(name: string) {
    this.portal.send({ name });
  }
}
`,
  // An app importing a shared library through tsconfig aliases, one exact and one with a wildcard.
  'apps/web/tsconfig.json': `{ "compilerOptions": { "paths": { "@acme/common": ["../../libs/common/src/index.ts"], "@acme/common/*": ["../../libs/common/src/*"] } } }
`,
  'libs/common/src/index.ts': `export const version = '1.0.0';
`,
  'apps/web/src/main.ts': `import { version } from '@acme/common';

export function start(platform: string) {
  if (platform === 'desktop') {
    console.log(version);
  }
}
`,
  // An editor node view that toggles classes on its element.
  'editor/tableView.ts': `export class TableView {
  constructor(private readonly dom: HTMLElement, private rows: string[][]) {}

  update(rows: string[][]) {
    this.rows = rows;
    this.dom.classList.toggle('wide', this.isWide());
  }

  private isWide() {
    return this.rows.some((row) => row.length > 8);
  }
}
`,
  // A host app whose root component the branch gives two new hooks.
  'host/env.ts': `export const isDevEnv = () => import.meta.env.MODE === 'development';
`,
  'host/App.tsx': `import { useState } from 'react';
import { Editor } from './Editor';

export function App() {
  const [api, setApi] = useState<{ update(peers: string[]): void } | null>(null);
  return <Editor onReady={setApi} />;
}

export function Status({ api }: { api: { update(peers: string[]): void } | null }) {
  return <p>{api ? 'connected' : 'offline'}</p>;
}
`,
};

const BRANCH: Record<string, string> = {
  'host/fakePeers.ts': `import { useEffect } from 'react';
import { isDevEnv } from './env';

export const useFakePeers = (api: { update(peers: string[]): void } | null) => {
  useEffect(() => {
    if (!isDevEnv() || !api) {
      return;
    }
    // ?peers=<N> fills the canvas with N fake collaborators, to exercise the avatar list without a room.
    const count = Number(new URLSearchParams(window.location.search).get('peers') ?? 0);
    if (!Number.isFinite(count) || count <= 0) {
      return;
    }
    let cancelled = false;
    const names = Array.from({ length: Math.floor(count) }, (_, i) => \`peer-\${i + 1}\`);
    Promise.resolve(names).then((peers) => {
      if (!cancelled) {
        api.update(peers);
      }
    });
    return () => {
      cancelled = true;
    };
  }, [api]);
};
`,
  'host/livePeers.ts': `import { useEffect } from 'react';

export const useLivePeers = (api: { update(peers: string[]): void } | null) => {
  useEffect(() => {
    const source = new EventSource('/peers');
    source.onmessage = (event) => api?.update(JSON.parse(event.data));
    return () => source.close();
  }, [api]);
};
`,
  'host/App.tsx': `import { useState } from 'react';
import { Editor } from './Editor';
import { useFakePeers } from './fakePeers';
import { useLivePeers } from './livePeers';

export function App() {
  const [api, setApi] = useState<{ update(peers: string[]): void } | null>(null);
  useFakePeers(api);
  return <Editor onReady={setApi} />;
}

export function Status({ api }: { api: { update(peers: string[]): void } | null }) {
  useLivePeers(api);
  return <p>{api ? 'connected' : 'offline'}</p>;
}
`,
  'editor/tableView.ts': `export class TableView {
  constructor(private readonly dom: HTMLElement, private rows: string[][]) {}

  update(rows: string[][]) {
    this.rows = rows;
    this.dom.classList.toggle('wide', this.isWide());
    console.debug('sticky', this.hasHeaderColumn());
    this.dom.classList.toggle('sticky-first-column', this.hasHeaderColumn());
  }

  private isWide() {
    return this.rows.some((row) => row.length > 8);
  }

  private hasHeaderColumn() {
    return this.rows.length > 0 && this.rows.every((row) => row[0]?.startsWith('#') ?? false);
  }
}
`,
  'libs/common/src/zoom.ts': `export function useZoomEffect() {
  const level = Number(localStorage.getItem('zoom') ?? '1');
  document.body.style.setProperty('zoom', String(level));
  window.addEventListener('storage', () => document.body.style.setProperty('zoom', localStorage.getItem('zoom') ?? '1'));
}
`,
  'apps/web/src/main.ts': `import { version } from '@acme/common';
import { useZoomEffect } from '@acme/common/zoom';

export function start(platform: string) {
  if (platform === 'desktop') {
    console.log(version);
    useZoomEffect();
  }
}
`,
  'live/editor.ts': `import { Emitter } from './emitter';

export class Editor {
  emitter = new Emitter();

  update(prev: { leader?: { id: string } }, next: { leader?: { id: string } }) {
    this.emitter.flush();
  }
}
`,
  'live/session.ts': `import { Portal } from './portal';

export class Session {
  portal = new Portal();
  leader: { id: string } | null = null;

  setLeader(leader: { id: string } | null) {
    const prev = this.leader;
    if (prev?.id !== leader?.id && this.portal.socket) {
      if (prev) {
        this.portal.trigger({ leader: prev, action: 'UNFOLLOW' });
      }
      if (leader) {
        this.portal.trigger({ leader, action: 'FOLLOW' });
      }
    }
    this.leader = leader;
  }

  rename(name: string) {
    if (name.startsWith('@')) {
      this.portal.send({ handle: name.slice(1), mention: true });
    }
    this.portal.send({ name });
  }
}
`,
  'auth/stateStore.ts': `export class StateStore {
  constructor(private readonly secret: string) {}

  store(req: unknown, state: string, done: (err: unknown, handle?: string) => void) {
    done(null, Buffer.from(this.secret + state).toString('base64url'));
  }
}
`,
  'auth/github.ts': `import { Strategy } from 'passport-github2';
import { StateStore } from './stateStore';

export const github = new Strategy({ clientID: 'gh', store: new StateStore('s1') }, () => undefined);
`,
  'auth/google.ts': `import { Strategy } from 'passport-google-oauth20';
import { StateStore } from './stateStore';

export const google = new Strategy({ clientID: 'go', store: new StateStore('s1') }, () => undefined);
`,
  'web/types.ts': `export interface CanvasProps {
  readOnly?: boolean;
  statusFrame?: { label: string };
}
`,
  'web/Canvas.tsx': `import React from 'react';
import type { CanvasProps } from './types';
import { Toolbar } from './Toolbar';
import { StatusFrame } from './StatusFrame';
import { Minimap } from './Minimap';

export class Canvas extends React.Component<CanvasProps> {
  render() {
    return (
      <div>
        {!this.props.readOnly && <Toolbar />}
        {this.props.statusFrame && <StatusFrame status={this.props.statusFrame} />}
        <Minimap />
      </div>
    );
  }
}
`,
  'web/Panel.tsx': `import type { PanelProps } from './panelTypes';
import { Title } from './Title';
import { ExportButton } from './ExportButton';

export function Panel(props: PanelProps) {
  return (
    <section>
      <Title text={props.title} />
      {props.onExport && <ExportButton onClick={props.onExport} />}
    </section>
  );
}
`,
};

describe('flag/unguarded-feature on the classes found replaying real commits (second pass)', () => {
  const { summary } = featureBranch(BASE, BRANCH);

  test('an element rendered only when a new prop is passed, read through this.props or props, is switched on by the host', async () => {
    // The element shown to everyone is the feature; the opt-in one is the host's to switch on.
    assert.deepEqual(await summary('web/Canvas.tsx'), ['13 info <Minimap>']);
    assert.deepEqual(await summary('web/Panel.tsx'), []);
  });

  test('a branch moved into another class with its receivers renamed is not new; a branch written here is', async () => {
    assert.deepEqual(await summary('live/session.ts'), ['21 info branch if (name.startsWith(\'@\'))']);
  });

  test('a call of a function the branch wrote, imported through a subpath of an alias that also names the package root, is reported', async () => {
    assert.deepEqual(await summary('apps/web/src/main.ts'), ['7 info call to useZoomEffect()']);
  });

  test("a predicate the branch wrote is a feature when its answer is handed to an action, not when it is logged", async () => {
    assert.deepEqual(await summary('editor/tableView.ts'), ['8 info call to hasHeaderColumn()']);
  });

  test('a new call of a helper from another module that returns early unless in development is guarded; one that always runs is not', async () => {
    assert.deepEqual(await summary('host/App.tsx'), ['13 info call to useLivePeers()']);
  });

  test('a function the branch wrote, put to use in several files, is one finding: in the first file', async () => {
    assert.deepEqual(await summary('auth/github.ts'), ['4 info new StateStore()']);
    assert.deepEqual(await summary('auth/google.ts'), []);
  });
});
