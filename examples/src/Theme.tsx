import { useBooleanFlagValue } from '@openfeature/react-sdk';

export function Theme({ children }: { children: string }) {
  const dark = useBooleanFlagValue('dark-mode', false);
  const banner = useBooleanFlagValue('holiday-banner', false);
  return `${dark ? 'dark' : 'light'}${banner ? ' + banner' : ''}: ${children}`;
}
