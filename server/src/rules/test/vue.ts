import { vueScriptModule } from '../../engine/vueSfc';

/** Vue single-file components: the code a test exercises is in their `<script>` blocks. */
export function isVueComponent(relPath: string): boolean {
  return relPath.endsWith('.vue');
}

/**
 * The text of a single-file component with everything outside its `<script>` and `<script setup>`
 * blocks blanked (line breaks kept), so offsets and lines stay the file's own: the template and
 * the styles are markup, and a change to them alone is no code a unit test would check. The blocks
 * are Vue's compiler's (`engine/vueSfc.ts`), shared with the flag rules.
 */
export function vueScriptText(text: string): string {
  return vueScriptModule(text).text;
}
