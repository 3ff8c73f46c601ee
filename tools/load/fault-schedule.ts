import type { InjectedFault } from '@dev/lambda-emulator';

export const FAULT_KINDS: readonly InjectedFault[] = ['crash', 'timeout', 'throttle'];

/** The fault for the n-th classifier invocation (counted from 1): every `every`-th one, crash, timeout and throttle in turn. */
export function faultForInvocation(invocation: number, every: number): InjectedFault | undefined {
  if (invocation % every !== 0) return undefined;
  return FAULT_KINDS[(invocation / every - 1) % FAULT_KINDS.length];
}
