/** Vue single-file components: the code a test exercises is in their `<script>` blocks. */
export function isVueComponent(relPath: string): boolean {
  return relPath.endsWith('.vue');
}

/**
 * The text of a single-file component with everything outside its `<script>` and `<script setup>`
 * blocks blanked (line breaks kept), so offsets and lines stay the file's own: the template and
 * the styles are markup, and a change to them alone is no code a unit test would check.
 */
export function vueScriptText(text: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let open = text.indexOf('<script', from); open >= 0; open = text.indexOf('<script', from)) {
    const start = text.indexOf('>', open);
    if (start < 0) break;
    const close = text.indexOf('</script>', start);
    const end = close < 0 ? text.length : close;
    parts.push(blank(text.slice(from, start + 1)), text.slice(start + 1, end));
    from = end;
  }
  parts.push(blank(text.slice(from)));
  return parts.join('');
}

function blank(markup: string): string {
  return markup.replace(/[^\r\n]/g, ' ');
}
