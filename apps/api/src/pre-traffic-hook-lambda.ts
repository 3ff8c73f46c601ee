import { cachedApplicationContext } from './lambda-boot.js';
import { PreTrafficHook, type HookStatus, type LifecycleHookEvent } from './pre-traffic-hook.js';
import { PreTrafficHookModule } from './pre-traffic-hook.module.js';

const applicationContext = cachedApplicationContext(PreTrafficHookModule, 'pre-traffic-hook');

/** CodeDeploy's BeforeAllowTraffic hook (tools/deploy/safe-deploys.ts, docs/DEPLOY.md). */
export async function handler(event: LifecycleHookEvent): Promise<HookStatus> {
  return (await applicationContext()).get(PreTrafficHook).run(event);
}
