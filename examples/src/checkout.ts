// Two providers in one workspace: the server SDK of LaunchDarkly and OpenFeature's React SDK.
import * as ld from '@launchdarkly/node-server-sdk';

const client = ld.init('sdk-key-from-the-environment');

export async function checkoutPage(context: ld.LDContext): Promise<string> {
  return (await client.variation('one-page-checkout', context, false)) ? 'one-page' : 'classic';
}
